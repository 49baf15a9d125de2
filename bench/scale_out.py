"""Scale-out: 1, 2 and 3 `coach serve` instances behind HAProxy (coach.testing.cluster), on
the local PostgreSQL and Redis, offline interviewer (its CPU work per turn is what an instance
spends). For each cluster size, closed-loop candidates (answer, wait for the reply, answer
again) at rising concurrency; a level holds if the p99 time from `say` to the first reply
frame stays within --p99-ms. Printed per size: the most candidates held, turns per second
there, and the table of every level. Then the lease's cost per turn: the same writes with and
without the fencing read, on PostgreSQL.

    python bench/scale_out.py                       # 1, 2, 3 instances; needs haproxy
    python bench/scale_out.py --sizes 1 3 --levels 16 32 64 --turns 6

PostgreSQL at COACH_TEST_POSTGRES (default postgresql://postgres@127.0.0.1:5432/test, a new
database per size) and Redis at redis://127.0.0.1:6379/14. All instances share this machine:
more instances add CPU lanes until the cores run out, so the figures say how far one machine
goes, and how the lease and the balancer cost, not what separate machines would do.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from websockets.asyncio.client import connect

from coach.storage import Lease, Store
from coach.testing.cluster import Cluster

PG_ADMIN = os.environ.get("COACH_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
REDIS = "redis://127.0.0.1:6379/14"
ANSWERS = [
    "Each app server reserves a range of ids from a counter and base62-encodes them, so two servers never collide.",
    "Redirects read from a Redis cache of hot codes in front of the database, since reads outnumber writes a hundred to one.",
    "How many links are created per month?",
    "I'd shard the mapping table by short code so every lookup is a single-partition read.",
    "A 302 keeps every click coming back to us, so the click counts stay accurate.",
    "If the cache goes down the database takes the reads; I'd keep it replicated and warm the hot keys.",
]


def admin(sql: str) -> None:
    subprocess.run(["psql", PG_ADMIN, "-qc", sql], check=True, capture_output=True)


def new_database() -> str:
    name = f"coach_bench_{secrets.token_hex(4)}"
    admin(f'CREATE DATABASE "{name}"')
    return f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"


def drop_database(url: str) -> None:
    admin(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


async def candidate(url: str, turns: int, latencies: list[float]) -> int:
    """One interview of `turns` answers; the turns answered."""
    async with connect(url, max_size=None, compression=None) as ws:
        await ws.send(json.dumps({"type": "start", "question_id": "sd-url-shortener", "mode": "interview"}))
        while json.loads(await ws.recv())["type"] != "interviewer.done":
            pass
        for n in range(turns):
            said = time.perf_counter()
            await ws.send(json.dumps({"type": "say", "text": ANSWERS[n % len(ANSWERS)]}))
            first = None
            while True:
                frame = json.loads(await ws.recv())
                if first is None and frame["type"] in ("interviewer.delta", "interviewer.done"):
                    first = time.perf_counter() - said
                if frame["type"] == "error":
                    raise RuntimeError(frame)
                if frame["type"] == "interviewer.done":
                    break
            latencies.append(first or 0.0)
    return turns


async def level(url: str, sessions: int, turns: int) -> tuple[float, float, float]:
    """(p50 ms, p99 ms, turns per second) with `sessions` candidates at once."""
    latencies: list[float] = []
    began = time.perf_counter()
    done = await asyncio.gather(*(candidate(url, turns, latencies) for _ in range(sessions)))
    elapsed = time.perf_counter() - began
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return 1000 * statistics.median(ordered), 1000 * p99, sum(done) / elapsed


def run_size(size: int, levels: list[int], turns: int, p99_ms: float, workdir: Path) -> None:
    database = new_database()
    env = {"COACH_LIMIT_SESSIONS": "100000/minute", "COACH_LIMIT_TURNS": "100000/minute", "COACH_MAX_CONNECTIONS_PER_ADDRESS": "10000"}
    try:
        with Cluster(size, database, REDIS, workdir / f"size{size}", cache_dir=workdir / "cache", env=env) as cluster:
            asyncio.run(level(cluster.ws_url, 2, 2))  # warm every instance's caches
            held = None
            rows = []
            for sessions in levels:
                p50, p99, rate = asyncio.run(level(cluster.ws_url, sessions, turns))
                ok = p99 <= p99_ms
                rows.append(f"    {sessions:>4} candidates: first reply p50 {p50:6.1f} ms, p99 {p99:6.1f} ms, {rate:6.1f} turns/s {'' if ok else '(over)'}")
                if ok:
                    held = (sessions, rate)
            verdict = f"held {held[0]} candidates at {held[1]:.1f} turns/s" if held else "no level held"
            print(f"{size} instance{'s' if size > 1 else ''}: {verdict} (p99 first reply <= {p99_ms:g} ms)")
            print("\n".join(rows), flush=True)
    finally:
        drop_database(database)


async def lease_cost(writes: int) -> tuple[float, float]:
    """Milliseconds per write, one at a time (no batching to hide it), without and with a lease."""
    database = new_database()
    store = Store(database.replace("postgresql://", "postgresql+asyncpg://", 1))
    try:
        await store.start()
        out = []
        for leased in (False, True):
            sid = secrets.token_hex(16)
            await store.create_session(sid, "t", "sd-url-shortener", "offline", owner="bench")
            lease = Lease(sid, 1) if leased else None
            began = time.perf_counter()
            for seq in range(1, writes + 1):
                await store.add_frame(sid, seq, '{"type":"interviewer.delta"}', lease)
            out.append(1000 * (time.perf_counter() - began) / writes)
        return out[0], out[1]
    finally:
        await store.close()
        drop_database(database)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--levels", type=int, nargs="+", default=[8, 16, 32, 64, 128])
    parser.add_argument("--turns", type=int, default=4)
    parser.add_argument("--p99-ms", type=float, default=250.0)
    parser.add_argument("--lease-writes", type=int, default=2000)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; offline interviewer; {args.turns} turns per candidate", flush=True)
    with tempfile.TemporaryDirectory(prefix="coach-scale-") as tmp:
        for size in args.sizes:
            run_size(size, args.levels, args.turns, args.p99_ms, Path(tmp))
    plain, leased = asyncio.run(lease_cost(args.lease_writes))
    # A turn stores its candidate turn, the interviewer's turn and ~12 frames (offline, ~300
    # characters of reply in 24-character deltas): ~14 leased writes, batched with other
    # sessions' under load, so this is the most it can cost.
    print(f"lease: {plain:.3f} ms per write without, {leased:.3f} ms with (+{leased - plain:.3f} ms); "
          f"at ~14 writes per turn, at most +{14 * (leased - plain):.1f} ms of database time per turn, one write at a time")


if __name__ == "__main__":
    sys.exit(main())
