"""Slow clients cannot hold the server: a request whose headers trickle in is dropped after
COACH_HEADER_TIMEOUT_S, and /healthz answers all the while (a real `coach serve`)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx

from coach.http_timeouts import raise_open_files_limit
from coach.testing.procs import free_port, wait_ready


def test_trickled_headers_are_cut_off_and_health_still_answers(tmp_path):
    port = free_port()
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "COACH_DATA_DIR": str(tmp_path / "d"),
           "COACH_CACHE_DIR": str(tmp_path / "c"), "COACH_HEADER_TIMEOUT_S": "1.5"}
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "coach", "serve", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_ready(f"http://127.0.0.1:{port}/healthz", proc, log)
        slow = []
        for _ in range(200):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            slow.append(s)
        began = time.monotonic()
        closed_at: dict[int, float] = {}
        while time.monotonic() - began < 6 and len(closed_at) < len(slow):
            for n, s in enumerate(slow):
                if n in closed_at:
                    continue
                try:
                    s.sendall(b"X-a: b\r\n")  # one more header line, every 0.2 s: never finished
                except OSError:
                    closed_at[n] = time.monotonic() - began
            assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
            time.sleep(0.2)
        assert len(closed_at) == len(slow), f"{len(slow) - len(closed_at)} trickling connections still open after 6 s"
        assert max(closed_at.values()) < 4
        # A normal kept-alive client is not affected: several requests on one connection.
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(3):
                assert client.get("/healthz").status_code == 200
                time.sleep(0.5)
    finally:
        for s in slow:
            s.close()
        proc.terminate()
        proc.wait(10)


def test_the_open_files_limit_is_raised_to_the_hard_limit():
    import resource

    assert raise_open_files_limit() == resource.getrlimit(resource.RLIMIT_NOFILE)[0]
