"""How fast the offline grader is, once its models are loaded.

    python bench/grader_speed.py [--runs 5]

Prints model load time, then grading time (grader plus report) for one typical answer, for a
45-minute transcript of about 6,000 words (interviewer and candidate turns), and for live
re-grading: the coverage update after each candidate turn of whole interviews, as the
service runs it. Caches of the candidate's sentences and of the judge's readings are cleared
before every one-off run, so each figure includes all of its model work; the bank's own
vectors are loaded as from the on-disk cache, as on every run after the first. Live
re-grading keeps its caches between turns, as the service does.
"""

from __future__ import annotations

import argparse
import statistics
import time

import yaml

from coach.bank import load_bank
from coach.grading.embedder import get_embedder
from coach.grading.judge import get_judge
from coach.grading.offline import OfflineGrader, bank_texts
from coach.grading.passages import read
from coach.grading.report import build_report
from coach.grading.rubric import Rubric
from coach.interview.coverage import CoverageTracker
from grader_eval import HERE

TARGETS = {"answer": "under 100 ms", "transcript": "under 1 s", "live": "p99 under 30 ms"}


def _answers(question: str | None = None) -> list[dict]:
    items = yaml.safe_load((HERE / "dev.yaml").read_text())
    return [i for i in items if question is None or i["rubric"] == question]


def _transcript(words: int = 6000) -> str:
    """A long interview built from the dev split's answers, each turn made unique."""
    answers = [i["answer"] for i in _answers() if "Interviewer" not in i["answer"]]
    turns, count, i = [], 0, 0
    while count < words:
        answer = " ".join(answers[i % len(answers)].split())
        question = f"Interviewer: Thanks. Can you go deeper on part {i + 1} of your design?"
        reply = f"Candidate: For part {i + 1}: {answer}"
        turns += [question, reply]
        count += len(question.split()) + len(reply.split())
        i += 1
    return "\n".join(turns)


def _cold(grader: OfflineGrader) -> None:
    """Forget the candidate's sentences and the judge's readings; keep the bank's vectors."""
    grader.embedder._cache.clear()
    grader.judge._cache.clear()
    grader.embedder.encode(bank_texts(grader.bank))


def _time(grader: OfflineGrader, rubric: Rubric, text: str, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        _cold(grader)
        start = time.perf_counter()
        build_report(rubric, text, grader.grade(rubric, text))
        out.append(time.perf_counter() - start)
    return out


def _live(grader: OfflineGrader, rubric: Rubric, interviews: list[str]) -> list[float]:
    """Seconds per coverage update, one per candidate turn, over whole interviews."""
    out = []
    for text in interviews:
        _cold(grader)
        transcript = read(text)
        said = [(t.role, text[t.start : t.end].strip()) for t in transcript.turns]
        tracker = CoverageTracker(rubric, grader)
        for n, (role, _) in enumerate(said):
            if role != "candidate":
                continue
            start = time.perf_counter()
            tracker.update(said[: n + 1])
            out.append(time.perf_counter() - start)
    return out


def _p99(xs: list[float]) -> float:
    return sorted(xs)[min(len(xs) - 1, int(0.99 * len(xs)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    start = time.perf_counter()
    get_embedder()
    get_judge()
    load = time.perf_counter() - start
    bank = load_bank()
    grader = OfflineGrader(bank=bank)
    rubric = Rubric.from_question(bank.get("sd-url-shortener"))
    grader.grade(rubric, "Warm-up sentence about caching redirects in Redis.")

    answers = [i["answer"] for i in _answers("sd-url-shortener") if "Interviewer" not in i["answer"]]
    answer = min(answers, key=lambda a: abs(len(a.split()) - 120))
    transcript = _transcript()
    one = _time(grader, rubric, answer, args.runs)
    long = _time(grader, rubric, transcript, args.runs)
    interviews = [i["answer"] for i in _answers() if i["category"] == "transcript"]
    live = _live(grader, rubric, [transcript[:12_000], *interviews])

    print(f"model load (embedder and judge): {load:.2f} s")
    print(f"one answer ({len(answer.split())} words): median {statistics.median(one) * 1000:.0f} ms, max {max(one) * 1000:.0f} ms     target {TARGETS['answer']}")
    words = f"{len(transcript.split())} words, {transcript.count(chr(10)) + 1} turns"
    print(f"transcript ({words}): median {statistics.median(long):.2f} s, max {max(long):.2f} s     target {TARGETS['transcript']}")
    print(
        f"live re-grading ({len(live)} candidate turns): median {statistics.median(live) * 1000:.0f} ms, "
        f"p99 {_p99(live) * 1000:.0f} ms, max {max(live) * 1000:.0f} ms     target {TARGETS['live']}"
    )


if __name__ == "__main__":
    main()
