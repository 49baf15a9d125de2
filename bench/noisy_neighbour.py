"""Does one client slow the others? A normal candidate's wait for the first reply frame, alone and
with noisy neighbours sending 20,000-character turns as fast as the server takes them.

    python bench/noisy_neighbour.py [--turns 40] [--noisy 3] [--think 1.5] [--chars 20000]

Starts `coach serve` (offline interviewer, SQLite, turn limit raised to 120 a minute so that
the neighbours are as loud as the server lets any client be), then:
1. one candidate in practice mode says --turns short turns, thinking --think seconds before
   each, and the time from sending `say` to the first `interviewer.delta` is measured;
2. --noisy clients start interviews and send --chars-character turns back to back (each
   right after the previous reply ends, waiting out any rate limit), and the same candidate
   does the same again in a new interview.
Prints p50, p99 and max for both phases and the ratio of the p99s (target: at most 2).
Only loopback addresses are used; every loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import websockets

import serve_latency  # bench/ is on the path when this runs as a script
from serve_latency import QUESTION, pct

from coach.testing.procs import free_port, wait_ready

# The same candidate lines as bench/serve_latency.py, plus two that ask and scope.
SAYS = [*serve_latency.SAYS, "How many messages a day should I plan for?", "Group messages fan out to members' inboxes, up to a few hundred members."]
WORDS = (
    "the service stores every message in a partitioned log and replicates it across three zones while a cache keeps "
    "recent conversations hot and a queue absorbs bursts so that writes never block readers and retries stay idempotent"
).split()


def essay(chars: int, rng: random.Random) -> str:
    out: list[str] = []
    size = 0
    while size < chars:
        sentence = " ".join(rng.choice(WORDS) for _ in range(14)).capitalize() + "."
        out.append(sentence)
        size += len(sentence) + 1
    return " ".join(out)[:chars]


async def frames_until(ws: websockets.ClientConnection, kind: str, limit: int = 2000) -> list[dict]:
    got = []
    for _ in range(limit):
        frame = json.loads(await asyncio.wait_for(ws.recv(), 120))
        got.append(frame)
        if frame["type"] == kind:
            return got
    raise RuntimeError(f"no {kind} in {limit} frames")


async def candidate(url: str, turns: int, think: float, seed: int) -> list[float]:
    rng = random.Random(seed)
    waits = []
    async with websockets.connect(url, max_size=None) as ws:
        await ws.send(json.dumps({"type": "start", "question_id": QUESTION, "mode": "practice"}))
        await frames_until(ws, "interviewer.done")
        for n in range(turns):
            await asyncio.sleep(think * rng.uniform(0.7, 1.3))
            sent = time.perf_counter()
            await ws.send(json.dumps({"type": "say", "text": SAYS[n % len(SAYS)]}))
            while True:
                frame = json.loads(await asyncio.wait_for(ws.recv(), 120))
                if frame["type"] == "interviewer.delta":
                    waits.append(time.perf_counter() - sent)
                    break
                if frame["type"] == "error":
                    raise RuntimeError(f"the candidate was refused: {frame}")
            await frames_until(ws, "interviewer.done")
    return waits


async def neighbour(url: str, chars: int, seed: int, stop: asyncio.Event, sent: list[int]) -> None:
    rng = random.Random(seed)
    async with websockets.connect(url, max_size=None) as ws:
        await ws.send(json.dumps({"type": "start", "question_id": QUESTION, "mode": "practice"}))
        await frames_until(ws, "interviewer.done")
        while not stop.is_set():
            await ws.send(json.dumps({"type": "say", "text": essay(chars, rng)}))
            while True:
                frame = json.loads(await asyncio.wait_for(ws.recv(), 300))
                if frame["type"] == "interviewer.done":
                    sent.append(chars)
                    break
                if frame["type"] == "error":
                    if frame["code"] == "rate_limited":
                        await asyncio.sleep(frame.get("retry_after_s", 1))
                    break


async def run(args: argparse.Namespace) -> None:
    port = free_port()
    url = f"ws://127.0.0.1:{port}/ws/interview"
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "COACH_DATA_DIR": str(Path(tmp) / "data"),
            "COACH_LIMIT_TURNS": "120/minute",
            "COACH_MAX_FRAME_BYTES": str(max(65536, args.chars * 4)),
            "COACH_LOG_LEVEL": "WARNING",
        }
        env.pop("COACH_MODEL", None)
        server = subprocess.Popen([sys.executable, "-m", "coach", "serve", "--port", str(port)], env=env)
        try:
            wait_ready(f"http://127.0.0.1:{port}/healthz", server)
            await candidate(url, 3, 0.2, seed=99)  # warm the caches the way any first interview does
            alone = await candidate(url, args.turns, args.think, seed=1)
            stop = asyncio.Event()
            sent: list[int] = []
            noisy = [asyncio.create_task(neighbour(url, args.chars, seed=10 + n, stop=stop, sent=sent)) for n in range(args.noisy)]
            await asyncio.sleep(3)  # let the neighbours get going
            began = time.perf_counter()
            crowded = await candidate(url, args.turns, args.think, seed=1)
            took = time.perf_counter() - began
            stop.set()
            await asyncio.gather(*noisy, return_exceptions=True)
        finally:
            server.terminate()
            server.wait(30)

    def line(name: str, values: list[float]) -> str:
        return (
            f"{name:<34} p50 {statistics.median(values) * 1000:7.1f} ms   p99 {pct(values, 99) * 1000:7.1f} ms   "
            f"max {max(values) * 1000:7.1f} ms   ({len(values)} turns)"
        )

    print(line("alone: say -> first reply frame", alone))
    print(line(f"with {args.noisy} noisy neighbours", crowded))
    print(f"the neighbours sent {len(sent)} turns of {args.chars:,} characters meanwhile ({len(sent) / took:.2f} a second)")
    ratio = pct(crowded, 99) / pct(alone, 99)
    print(f"p99 with neighbours / p99 alone: {ratio:.2f}   target <= 2")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=40)
    parser.add_argument("--noisy", type=int, default=3)
    parser.add_argument("--think", type=float, default=1.5)
    parser.add_argument("--chars", type=int, default=20_000)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
