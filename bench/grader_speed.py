"""How fast the offline grader is, once its model is loaded.

    python bench/grader_speed.py [--runs 5]

Prints model load time, then grading time (grader plus report) for one typical answer and
for a 45-minute transcript of about 6,000 words (interviewer and candidate turns). The
embedding cache is cleared before every run, so each figure includes embedding every
candidate sentence; the bank's vectors are loaded as from the on-disk cache, as on every run
after the first. The first grading on a machine also embeds the whole bank; it is shown apart.
"""

from __future__ import annotations

import argparse
import statistics
import time

import yaml

from coach.bank import load_bank
from coach.grading.embedder import get_embedder
from coach.grading.offline import OfflineGrader, bank_texts
from coach.grading.report import build_report
from coach.grading.rubric import Rubric
from grader_devset import HERE


def _transcript(words: int = 6000) -> str:
    """A long interview built from the dev set's answers, each sentence made unique."""
    answers = [item["answer"] for item in yaml.safe_load((HERE / "answers.yaml").read_text())]
    turns, count, i = [], 0, 0
    while count < words:
        answer = answers[i % len(answers)].strip().replace("\n", " ")
        question = f"Interviewer: Thanks. Can you go deeper on part {i + 1} of your design?"
        reply = f"Candidate: For part {i + 1}: {answer}"
        turns += [question, reply]
        count += len(question.split()) + len(reply.split())
        i += 1
    return "\n".join(turns)


def _time(grader: OfflineGrader, rubric: Rubric, text: str, runs: int, warm_rubric: bool = False) -> list[float]:
    out = []
    for _ in range(runs):
        grader.embedder._cache.clear()
        if warm_rubric:  # the bank's vectors come from the on-disk cache; only the answer is new
            grader.embedder.encode(bank_texts(grader.bank))
        start = time.perf_counter()
        build_report(rubric, text, grader.grade(rubric, text))
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    start = time.perf_counter()
    embedder = get_embedder()
    load = time.perf_counter() - start
    bank = load_bank()
    grader = OfflineGrader(embedder, bank=bank)
    rubric = Rubric.from_question(bank.get("sd-black-friday-ecommerce"))
    grader.grade(rubric, "Warm-up sentence about caching product pages at the edge.")

    answer = next(i["answer"] for i in yaml.safe_load((HERE / "answers.yaml").read_text()) if i["id"] == "b1")
    transcript = _transcript()
    # A new grader: nothing of the bank embedded or derived yet, as on a new machine.
    first = _time(OfflineGrader(embedder, bank=bank), rubric, answer, 1)
    one = _time(grader, rubric, answer, args.runs, warm_rubric=True)
    long = _time(grader, rubric, transcript, args.runs, warm_rubric=True)

    print(f"model load: {load:.2f} s")
    words = f"{len(transcript.split())} words, {transcript.count(chr(10)) + 1} turns"
    print(f"first grading on a new machine (embeds the whole bank once, then cached on disk): {first[0]:.2f} s")
    print(f"one answer ({len(answer.split())} words): median {statistics.median(one) * 1000:.0f} ms, max {max(one) * 1000:.0f} ms     target well under 1 s")
    print(f"transcript ({words}): median {statistics.median(long):.2f} s, max {max(long):.2f} s     target under 1 s")


if __name__ == "__main__":
    main()
