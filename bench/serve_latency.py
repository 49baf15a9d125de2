"""What the interview service adds on top of the LLM, and how many sessions one process holds.

    python bench/serve_latency.py [--sessions 50] [--turns 10] [--repeat 1] [--held 1000] [--ttft-ms 50]
    python bench/serve_latency.py --offline --held 0     # the offline interviewer, no LLM

Starts a local OpenAI-compatible fake (fixed time to first token) and `coach serve` pointed at
it, then:
1. runs N concurrent simulated candidates over websockets and measures, per turn, the time
   from sending `say` to the first `interviewer.delta`, minus the fake's time to first token.
   Like people, candidates start within the first five seconds and think 3 to 8 s before
   each turn (seeded; brisk for a person, who takes far longer to type an answer); --burst
   makes every candidate send at the same instant instead;
2. in the same run, N concurrent callers make streamed litellm calls straight to the fake with
   the same arrival pattern and the same prompt the server builds for that turn, and the time
   to first chunk minus the same TTFT is measured.
   They run in a process of their own on the server's core, so both sides pay the same for
   litellm on the same core, and rounds alternate (every candidate's turn 1 served, then
   turn 1 direct, then turn 2 ...) so both sides see the same machine: on a shared VM the
   speed drifts by 2x over minutes;
3. opens --held sessions and keeps them open, and reads the server's memory before and after.
Only loopback addresses are used; every loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import websockets

from coach.testing.procs import free_port, wait_ready

QUESTION = "sd-chat-service"
SAYS = [
    "I'd keep a websocket per device, and a registry in Redis maps each user to the gateway server holding it.",
    "Messages get a per-conversation sequence number and are resent until the device acknowledges them.",
    "History goes into a wide-column store partitioned by conversation id, so loading a chat is one range scan.",
    "Offline devices get a push notification and sync everything after their last acknowledged sequence number.",
]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def schedule(index: int, turns: int, burst: bool) -> list[float]:
    """Seconds to wait before each turn of candidate `index`: a stagger, then think times."""
    if burst:
        return [0.0] * turns
    rng = random.Random(index)
    return [rng.uniform(0, 5) + rng.uniform(3, 8)] + [rng.uniform(3, 8) for _ in range(turns - 1)]


async def open_candidate(url: str) -> websockets.ClientConnection:
    ws = await websockets.connect(url, max_size=None)
    await ws.send(json.dumps({"type": "start", "question_id": QUESTION}))
    while json.loads(await ws.recv())["type"] != "interviewer.done":
        pass
    return ws


async def served_turn(ws: websockets.ClientConnection, turn: int, wait: float, ttft_s: float, out: list[float]) -> None:
    await asyncio.sleep(wait)
    sent = time.perf_counter()
    await ws.send(json.dumps({"type": "say", "text": SAYS[turn % len(SAYS)]}))
    first = None
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 60))
        if frame["type"] == "interviewer.delta" and first is None:
            first = time.perf_counter()
        if frame["type"] == "suggestions":
            break
    assert first is not None
    out.append((first - sent - ttft_s) * 1000)


def interviewer_prompt(turn: int) -> list[dict[str, str]]:
    """The messages the server sends the model for a candidate's `turn` (0-based) of the
    benchmark's script: the same prompt, brief and transcript, so both sides ask litellm for
    the same work (a long conversation costs litellm ~3 ms more than one short message)."""
    from coach.bank.loader import load_bank
    from coach.interview import offline_interviewer
    from coach.interview.llm_interviewer import interviewer_messages
    from coach.interview.phases import current_phase
    from coach.storage import Turn
    from coach.testing.fake_openai import reply_text

    question = load_bank().questions[QUESTION]
    turns = [Turn(1, "interviewer", offline_interviewer.opening(question))]
    for i in range(turn + 1):
        turns.append(Turn(len(turns) + 1, "candidate", SAYS[i % len(SAYS)]))
        if i < turn:
            turns.append(Turn(len(turns) + 1, "interviewer", "".join(reply_text(20))))
    phase = current_phase(question, 0, set())
    probe = offline_interviewer.next_probe(question, set(), set(), phase.index)
    return interviewer_messages(question, turns, set(), probe[1] if probe else None, phase.plan.name, 0, phase.plan.budget_s, 8192)


async def direct_worker(api_base: str, ttft_s: float) -> None:
    """The direct side, in its own process: each stdin line is a round (JSON: the turn and
    one wait per caller); its answer is one stdout line, the round's latencies."""
    from coach.llm.litellm_provider import _litellm

    litellm = _litellm()

    async def one(wait: float, messages: list[dict[str, str]], out: list[float]) -> None:
        await asyncio.sleep(wait)
        start = time.perf_counter()
        response = await litellm.acompletion(
            model="openai/fake-model", api_base=api_base, api_key="sk-fake", max_retries=0, stream=True, messages=messages,
        )
        first = None
        async for chunk in response:
            if first is None and chunk.choices and chunk.choices[0].delta.content:
                first = time.perf_counter()
        assert first is not None
        out.append((first - start - ttft_s) * 1000)

    await one(0, interviewer_prompt(0), [])  # warm-up: litellm's lazy imports and client creation
    print("ready", flush=True)
    for line in sys.stdin:
        round_ = json.loads(line)
        messages = interviewer_prompt(round_["turn"])
        out: list[float] = []
        await asyncio.gather(*(one(wait, messages, out) for wait in round_["waits"]))
        print(json.dumps(out), flush=True)


class DirectCallers:
    def __init__(self, api_base: str, ttft_s: float, core: int | None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--direct-worker", api_base, "--ttft-ms", str(ttft_s * 1000)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            preexec_fn=(lambda: os.sched_setaffinity(0, {core})) if core is not None else None,
        )
        assert self.proc.stdout is not None and self.proc.stdout.readline().strip() == "ready"

    async def round(self, turn: int, waits: list[float]) -> list[float]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"turn": turn, "waits": waits}) + "\n")
        self.proc.stdin.flush()
        return json.loads(await asyncio.to_thread(self.proc.stdout.readline))

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(30)


async def hold(url: str, count: int) -> list[websockets.ClientConnection]:
    held: list[websockets.ClientConnection] = []
    for start in range(0, count, 50):
        async def open_one() -> websockets.ClientConnection:
            ws = await websockets.connect(url, max_size=None, ping_interval=None)
            await ws.send(json.dumps({"type": "start", "question_id": "sd-url-shortener"}))
            while json.loads(await ws.recv())["type"] != "interviewer.done":
                pass
            return ws

        held += await asyncio.gather(*(open_one() for _ in range(min(50, count - start))))
    return held


async def latency_run(url: str, direct_callers: DirectCallers | None, args: argparse.Namespace, ttft: float) -> tuple[list[float], list[float]]:
    """One run: every candidate's turn 1 served, then turn 1 direct, turn 2 served, ..."""
    plans = [schedule(i, args.turns, args.burst) for i in range(args.sessions)]
    candidates = await asyncio.gather(*(open_candidate(url) for _ in plans))
    served: list[float] = []
    direct: list[float] = []
    for turn in range(args.turns):
        await asyncio.gather(*(served_turn(ws, turn, plan[turn], ttft, served) for ws, plan in zip(candidates, plans)))
        if direct_callers is not None:
            direct += await direct_callers.round(turn, [plan[turn] for plan in plans])
    for ws in candidates:
        await ws.close()
    return served, direct


async def run(args: argparse.Namespace) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4 * args.held + 256)), hard))
    tmp = Path(tempfile.mkdtemp(prefix="coach-bench-"))
    fake_port, port = free_port(), free_port()
    api_base = f"http://127.0.0.1:{fake_port}/v1"
    logs = (tmp / "fake.log").open("w"), (tmp / "serve.log").open("w")
    pinned = args.pin and (os.cpu_count() or 1) >= 2
    if pinned:  # the load generator and the fake LLM on core 0; the server, or the direct callers, on core 1
        os.sched_setaffinity(0, {0})
    fake = subprocess.Popen(
        [sys.executable, "-m", "coach.testing.fake_openai", "--port", str(fake_port), "--ttft-ms", str(args.ttft_ms), "--chunks", "20"],
        stdout=logs[0], stderr=subprocess.STDOUT,
    )
    env = {**os.environ, "COACH_DATA_DIR": str(tmp / "data"), **({"COACH_DATABASE_URL": args.database_url} if args.database_url else {})}
    # Every simulated candidate connects from 127.0.0.1: the per-address limits are for
    # strangers on the internet, not for this benchmark.
    env.update(COACH_LIMIT_SESSIONS="100000/minute", COACH_MAX_CONNECTIONS_PER_ADDRESS="100000", COACH_LIMIT_TURNS="1000/minute")
    if not args.offline:
        env |= {"COACH_MODEL": "openai/fake-model", "COACH_API_BASE": api_base, "COACH_API_KEY": "sk-fake"}
    else:
        env.pop("COACH_MODEL", None)
    serve = subprocess.Popen(
        [sys.executable, "-m", "coach", "serve", "--port", str(port)],
        env=env, stdout=logs[1], stderr=subprocess.STDOUT,
        preexec_fn=(lambda: os.sched_setaffinity(0, {1})) if pinned else None,
    )
    try:
        wait_ready(f"{api_base}/models", fake)
        wait_ready(f"http://127.0.0.1:{port}/healthz", serve)
        url = f"ws://127.0.0.1:{port}/ws/interview"
        ttft = 0.0 if args.offline else args.ttft_ms / 1000

        warm = await open_candidate(url)  # the server's first completion pays lazy imports
        await served_turn(warm, 0, 0.0, ttft, [])
        await warm.close()
        direct_callers = None if args.offline else DirectCallers(api_base, ttft, 1 if pinned else None)
        runs = [await latency_run(url, direct_callers, args, ttft) for _ in range(args.repeat)]
        if direct_callers is not None:
            direct_callers.close()
        served = [x for run_ in runs for x in run_[0]]
        direct = [x for run_ in runs for x in run_[1]]

        before = rss_mb(serve.pid)
        started = time.perf_counter()
        held = await hold(url, args.held)
        opened_s = time.perf_counter() - started
        await asyncio.sleep(1)
        after = rss_mb(serve.pid)
        healthy = httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
        for ws in held:
            await ws.close()

        p50s, p99s = statistics.median(served), pct(served, 99)
        if args.offline:
            print(f"offline interviewer: {args.sessions} concurrent candidates x {args.turns} turns, {'all at once' if args.burst else 'staggered'}")
            print(f"say -> first interviewer.delta: p50 {p50s:6.1f} ms   p99 {p99s:6.1f} ms   ({len(served)} turns)   target p99 <= 50 ms")
            return
        p50d, p99d = statistics.median(direct), pct(direct, 99)
        pattern = "all sending at the same instant" if args.burst else "staggered, 3-8 s of thinking before each turn"
        cores = "server and direct callers pinned to core 1, fake LLM and clients to core 0" if pinned else "server, fake LLM and clients sharing all cores"
        print(f"fake LLM: time to first token {args.ttft_ms:.0f} ms, 20 chunks; {args.sessions} concurrent candidates x {args.turns} turns, {pattern};")
        print(f"{cores}; served and direct rounds alternate\n")
        if len(runs) > 1:
            for i, (s_, d_) in enumerate(runs, 1):
                print(f"run {i}: added by the server p50 {statistics.median(s_) - statistics.median(d_):6.1f} ms   p99 {pct(s_, 99) - pct(d_, 99):6.1f} ms")
            print(f"\nthe {len(runs)} runs pooled:")
        print(f"say -> first interviewer.delta, minus TTFT:  p50 {p50s:6.1f} ms   p99 {p99s:6.1f} ms   ({len(served)} turns)")
        print(f"direct litellm call, first chunk minus TTFT: p50 {p50d:6.1f} ms   p99 {p99d:6.1f} ms   ({len(direct)} calls)")
        print(f"added by the server:                          p50 {p50s - p50d:6.1f} ms   p99 {p99s - p99d:6.1f} ms   target p99 <= 10 ms")
        print(
            f"\nsessions held open at once: {len(held)} (opened in {opened_s:.1f} s, server healthy: {healthy})   target >= 1000"
            f"\nserver memory: {before:.0f} MB before, {after:.0f} MB with them: {(after - before) * 1024 / max(1, len(held)):.0f} KB per session"
        )
    finally:
        for proc in (serve, fake):
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        for log in logs:
            log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--held", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1, help="latency runs in a row, each printed, then pooled (a p99 moves from run to run)")
    parser.add_argument("--ttft-ms", type=float, default=50.0)
    parser.add_argument("--burst", action="store_true", help="every candidate sends each turn at the same instant")
    parser.add_argument("--pin", action=argparse.BooleanOptionalAction, default=True, help="keep the load generator off the server's core")
    parser.add_argument("--offline", action="store_true", help="no LLM: time the offline interviewer's replies (grading each turn included)")
    parser.add_argument("--database-url", help="run the server on this database instead of SQLite in a temporary folder")
    parser.add_argument("--direct-worker", metavar="API_BASE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.direct_worker:
        asyncio.run(direct_worker(args.direct_worker, args.ttft_ms / 1000))
    else:
        asyncio.run(run(args))


if __name__ == "__main__":
    main()
