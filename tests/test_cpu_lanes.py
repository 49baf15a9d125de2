"""Fair CPU: a pasted essay is scored on the heavy lane with a bounded amount of text, so an
ordinary turn never queues behind it."""

import asyncio
import threading

from coach.bank import load_bank
from coach.grading.offline import OfflineGrader
from coach.grading.rubric import Rubric
from coach.interview import coverage
from coach.interview.coverage import CoverageTracker
from coach.interview.services import QUICK_TURN_CHARS, cpu_worker, runner


class Lanes:
    """Services' lane choice, with the thread each job ran on recorded."""

    def __init__(self) -> None:
        from coach.interview.services import Services

        self.cpu, self.heavy = cpu_worker(), cpu_worker("coach-heavy")
        self.run_for = Services.run_for.__get__(self)
        self.ran_on: list[str] = []

    async def run_cpu(self, fn, *args):
        return await runner(self.cpu)(self._record(fn), *args)

    async def run_heavy(self, fn, *args):
        return await runner(self.heavy)(self._record(fn), *args)

    def _record(self, fn):
        def wrapped(*args):
            self.ran_on.append(threading.current_thread().name.split("_")[0])
            return fn(*args)

        return wrapped


def test_a_long_turn_goes_to_the_heavy_lane_and_an_ordinary_one_does_not():
    lanes = Lanes()
    asyncio.run(lanes.run_for(QUICK_TURN_CHARS + 1)(len, "x"))
    asyncio.run(lanes.run_for(200)(len, "x"))
    assert lanes.ran_on == ["coach-heavy", "coach-cpu"]


def test_an_ordinary_turn_is_not_held_up_by_a_heavy_job():
    lanes = Lanes()
    release = threading.Event()

    async def scenario() -> bool:
        heavy = asyncio.ensure_future(lanes.run_for(50_000)(release.wait, 10))
        quick = await asyncio.wait_for(lanes.run_for(100)(len, "ordinary turn"), 2)
        release.set()
        await heavy
        return quick == len("ordinary turn")

    assert asyncio.run(scenario())


def test_the_live_meter_reads_a_bounded_part_of_a_pasted_essay(monkeypatch):
    bank = load_bank()
    question = bank.get("sd-url-shortener")
    tracker = CoverageTracker(Rubric.from_question(question), OfflineGrader(bank=bank))
    seen: list[int] = []
    real = tracker.grader.grade_transcript

    def spy(rubric, transcript, settled=None):
        seen.append(len(transcript.candidate_text))
        return real(rubric, transcript, settled)

    monkeypatch.setattr(tracker.grader, "grade_transcript", spy)
    essay = "We shard the key-value store by short code and cache hot links in Redis. " * 800
    tracker.update([("interviewer", question.prompt), ("candidate", essay)])
    assert len(essay) > 50_000 and seen[0] <= coverage.LIVE_TURN_CHARS
