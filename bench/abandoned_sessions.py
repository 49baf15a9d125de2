"""Does memory stay flat when candidates start interviews and walk away?

    python bench/abandoned_sessions.py [--sessions 10000] [--concurrency 50]

Starts `coach serve` (offline, SQLite, session rate limit raised out of the way), then opens
--sessions interviews, each on its own websocket: `start`, wait for the opening, say one turn,
close without `end`. Prints the server's resident memory every 1,000 sessions and how many
sessions it still holds in memory (from /metrics). Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import websockets
from serve_latency import QUESTION, rss_mb

from coach.testing.procs import free_port, wait_ready


async def abandon(url: str) -> None:
    async with websockets.connect(url) as ws:
        await ws.send(json.dumps({"type": "start", "question_id": QUESTION, "mode": "practice"}))
        while json.loads(await asyncio.wait_for(ws.recv(), 60))["type"] != "interviewer.done":
            pass
        await ws.send(json.dumps({"type": "say", "text": "I'd keep a websocket per device and a registry of who is connected where."}))
        while json.loads(await asyncio.wait_for(ws.recv(), 60))["type"] != "interviewer.done":
            pass
        # Gone before the suggestions for that turn arrive.


def live_sessions(base: str) -> float:
    for line in httpx.get(f"{base}/metrics", timeout=10).text.splitlines():
        if line.startswith("coach_sessions_live "):
            return float(line.split()[1])
    return float("nan")


async def run(args: argparse.Namespace) -> None:
    port = free_port()
    base, url = f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/ws/interview"
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "COACH_DATA_DIR": str(Path(tmp) / "data"), "COACH_LIMIT_SESSIONS": "1000000/minute", "COACH_MAX_CONNECTIONS_PER_ADDRESS": "1000", "COACH_LOG_LEVEL": "WARNING"}
        env.pop("COACH_MODEL", None)
        server = subprocess.Popen([sys.executable, "-m", "coach", "serve", "--port", str(port)], env=env)
        try:
            wait_ready(f"{base}/healthz", server)
            await abandon(url)
            print(f"{'sessions':>9} {'server MB':>10} {'in memory':>10} {'seconds':>8}")
            print(f"{1:>9} {rss_mb(server.pid):>10.0f} {live_sessions(base):>10.0f} {0:>8.0f}")
            began, done = time.perf_counter(), 1
            gate = asyncio.Semaphore(args.concurrency)

            async def one() -> None:
                async with gate:
                    await abandon(url)

            while done < args.sessions:
                batch = min(1000, args.sessions - done)
                await asyncio.gather(*(one() for _ in range(batch)))
                done += batch
                await asyncio.sleep(1)  # the last suggestions finish
                print(f"{done:>9} {rss_mb(server.pid):>10.0f} {live_sessions(base):>10.0f} {time.perf_counter() - began:>8.0f}")
        finally:
            server.terminate()
            server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=50)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
