"""Several `coach serve` processes behind HAProxy, on one PostgreSQL and one Redis: the
deployment of docker-compose.yml's `scale` profile, without Docker (Debian's haproxy package,
the database and Redis already running). The end-to-end test and bench/scale_out.py use it;
so can an operator:

    python -m coach.testing.cluster --instances 3 \\
        --database-url postgresql://postgres@127.0.0.1:5432/coach --redis-url redis://127.0.0.1:6379/0

Round robin, no sticky sessions: any instance serves any session (a resume elsewhere takes
it over). A dead instance leaves the rotation after two failed health checks (about 2 s), and
a connection that cannot reach an instance is sent to another one (`option redispatch`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from coach.testing.procs import free_port, wait_ready

# Websockets stay open for a whole interview: the tunnel timeout is the idle limit, a little
# over COACH_IDLE_TIMEOUT_S (30 minutes), after which Coach closes them itself.
HAPROXY_CFG = """\
global
    maxconn 4000
defaults
    mode http
    option redispatch
    retries 3
    timeout connect 2s
    timeout client 35m
    timeout server 35m
    timeout tunnel 35m
    timeout http-request 10s
frontend coach
    bind 127.0.0.1:{port}
    default_backend coaches
backend coaches
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server check inter 1s fall 2 rise 1
{servers}
"""


class Instance:
    def __init__(self, name: str, env: dict[str, str], log: Path) -> None:
        self.name = name
        self.port = free_port()
        self.env = env
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Instance:
        with self.log.open("a") as out:  # a file, not a pipe: an unread pipe blocks the server
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "coach", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        return self

    def ready(self) -> None:
        assert self.proc is not None
        wait_ready(f"http://127.0.0.1:{self.port}/readyz", self.proc, self.log)

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.alive:
            assert self.proc is not None
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class Cluster:
    def __init__(
        self,
        instances: int,
        database_url: str,
        redis_url: str,
        workdir: Path,
        cache_dir: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        if shutil.which("haproxy") is None:
            raise RuntimeError("haproxy is not installed (apt-get install haproxy)")
        self.workdir = workdir
        self.port = free_port()
        base = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/tmp"),
            "COACH_DATABASE_URL": database_url,
            "COACH_REDIS_URL": redis_url,
            "COACH_CACHE_DIR": str(cache_dir or workdir / "cache"),
            **(env or {}),
        }
        self.instances = [
            Instance(f"coach{n}", {**base, "COACH_DATA_DIR": str(workdir / f"coach{n}")}, workdir / f"coach{n}.log")
            for n in range(1, instances + 1)
        ]
        self.haproxy: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/interview"

    def config(self) -> str:
        servers = "\n".join(f"    server {i.name} 127.0.0.1:{i.port}" for i in self.instances)
        return HAPROXY_CFG.format(port=self.port, servers=servers)

    def start(self) -> Cluster:
        self.workdir.mkdir(parents=True, exist_ok=True)
        # The first instance migrates the database; the others start beside it.
        for instance in self.instances:
            instance.start()
        for instance in self.instances:
            instance.ready()
        cfg = self.workdir / "haproxy.cfg"
        cfg.write_text(self.config())
        with (self.workdir / "haproxy.log").open("a") as out:
            self.haproxy = subprocess.Popen(["haproxy", "-db", "-f", str(cfg)], stdout=out, stderr=subprocess.STDOUT)
        wait_ready(f"{self.url}/readyz", self.haproxy, self.workdir / "haproxy.log", timeout=30)
        return self

    def stop(self) -> None:
        if self.haproxy is not None and self.haproxy.poll() is None:
            self.haproxy.terminate()
            self.haproxy.wait(10)
        for instance in self.instances:
            instance.stop()

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="N coach serve processes behind HAProxy (no Docker).")
    parser.add_argument("--instances", type=int, default=3)
    parser.add_argument("--database-url", default=os.environ.get("COACH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/coach"))
    parser.add_argument("--redis-url", default=os.environ.get("COACH_REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--workdir", type=Path, default=None, help="logs and data (default: a new temporary directory)")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="coach-cluster-"))
    with Cluster(args.instances, args.database_url, args.redis_url, workdir) as cluster:
        print(f"Coach on {cluster.url} ({args.instances} instances behind HAProxy; logs in {workdir}). Ctrl-C stops it.", flush=True)
        try:
            while all(i.alive for i in cluster.instances):
                time.sleep(1)
            print("an instance exited; see its log", file=sys.stderr)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
