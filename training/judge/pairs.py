"""Build the judge's training pairs: (key point or pitfall, candidate passage) -> label.

    .venv/bin/python training/judge/pairs.py [--holdout Q1,Q2] > training/judge/pairs.jsonl

Sources, all in this folder or the bank:
- data/t*.yaml: passages written for each bank key point (asserts, partial, shallow, declined,
  incorrect, near misses) and phrasings of each bank pitfall;
- data/extra-*.yaml: rubrics invented for training, on topics neither the bank nor the
  evaluation uses, with passages of the same kinds (so the judge meets key points it was not
  built around, as with a custom rubric);
- answers/*.yaml: whole answers labelled like the evaluation set, with the quotes that carry
  each label; the passages the grader retrieves from them become pairs (see _mined_from_answers);
- generic.yaml: dodges, assent and text addressed to the grader, which make no point at all;
- the bank's own look-for phrasings and strong answers, which assert their point.
Negatives come from the same question's other key points (the hardest: same topic, other
point) and from other questions. The query is always the key point's text alone, as in a
custom rubric, so the judge learns to read a rubric line rather than a bank id.
A question named in --holdout is left out entirely (to measure the judge on unseen rubrics).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

import yaml

from coach.bank import load_bank
from coach.bank.models import Kind

HERE = Path(__file__).parent
LABELS = ("asserts", "partial", "shallow", "declined", "incorrect", "unrelated")
SEED = 20261130


def tag_question(text: str, rng: random.Random) -> str:
    """The same claim, ending in a tag question ("..., right?")."""
    body = re.sub(r"[.!]\s*$", "", text.strip())
    if body.endswith("?"):
        return text
    tag = rng.choice([", right?", ", correct?", ", yeah?", ", no?", ", wouldn't it?", ", does that make sense?", ", is that fair?"])
    return body + tag


def spoken(text: str, rng: random.Random) -> str:
    """The same passage as said aloud in an interview: a filler in front, sometimes lower case."""
    lead = rng.choice(["So, ", "Yeah, so ", "Okay, ", "Right, so ", "Um, ", "I think ", "Basically, "])
    out = lead + text[0].lower() + text[1:]
    return out.lower() if rng.random() < 0.3 else out


def _sources(holdout: set[str]) -> dict[str, dict]:
    """Every rubric with passages, in one shape: {key_points: [{text, positives, ...}], pitfalls}.
    Bank questions (data/t*.yaml) take their key point texts, look-for phrasings and strong
    answers from the bank; invented rubrics (data/extra-*.yaml) carry their own."""
    bank = load_bank()
    out: dict[str, dict] = {}
    for f in sorted((HERE / "data").glob("t*.yaml")):
        for entry in yaml.safe_load(f.read_text()):
            if entry["question"] in holdout:
                continue
            question = bank.get(entry["question"])
            points = []
            for kp_data in entry["key_points"]:
                kp = question.key_point(kp_data["id"])
                extra = list(kp.look_for) + ([kp.strong_answer] if kp.strong_answer else [])
                points.append({**kp_data, "text": kp.text, "more_asserts": extra, "more_near_misses": list(kp.near_misses)})
            out[entry["question"]] = {"key_points": points, "pitfalls": entry["pitfalls"]}
    for f in sorted((HERE / "data").glob("extra-*.yaml")):
        for n, entry in enumerate(yaml.safe_load(f.read_text())):
            texts = {kp["id"]: kp["text"] for kp in entry["rubric"]["key_points"]}
            points = [{**kp_data, "text": texts[kp_data["id"]], "more_asserts": [], "more_near_misses": []} for kp_data in entry["key_points"]]
            out[f"{f.stem}#{n}"] = {"key_points": points, "pitfalls": entry["pitfalls"]}
    return out


def _behavioural(name: str) -> bool:
    """Whether a source (a bank question id, or an invented rubric) is a STAR story."""
    if "#" in name:
        return False
    return load_bank().get(name).kind is Kind.behavioral


def build(holdout: set[str]) -> list[dict[str, object]]:
    rng = random.Random(SEED)
    generic = yaml.safe_load((HERE / "generic.yaml").read_text())
    sources = _sources(holdout)
    pairs: list[dict[str, object]] = []

    def add(query: str, passage: str, label: str, source: str) -> None:
        pairs.append({"query": query, "passage": passage, "label": LABELS.index(label), "source": source})

    names = sorted(sources)
    for name in names:
        entry = sources[name]
        for kp in entry["key_points"]:
            query = kp["text"]
            for text in kp["asserts"] + kp["more_asserts"]:
                add(query, text, "asserts", "asserts")
            for text in rng.sample(kp["asserts"], k=4):
                add(query, tag_question(text, rng), "asserts", "tag")
            for text in rng.sample(kp["asserts"], k=3):
                add(query, spoken(text, rng), "asserts", "spoken")
            for part in kp["partial"]:
                add(query, part["text"], "partial", "partial")
            for text in kp["shallow"]:
                add(query, text, "shallow", "shallow")
                add(query, tag_question(text, rng), "shallow", "shallow-tag")
            for text in kp["declined"]:
                add(query, text, "declined", "declined")
            for wrong in kp["incorrect"]:
                add(query, wrong["text"], "incorrect", "incorrect")
            for text in kp["near_misses"] + kp["more_near_misses"]:
                add(query, text, "unrelated", "near-miss")
            # The same question's other points: same topic, another claim.
            for other in entry["key_points"]:
                if other is not kp:
                    for text in rng.sample(other["asserts"], k=3):
                        add(query, text, "unrelated", "sibling")
            # Other questions' points.
            for _ in range(6):
                other_kp = rng.choice(sources[rng.choice([n for n in names if n != name])]["key_points"])
                add(query, rng.choice(other_kp["asserts"]), "unrelated", "other-question")
            for text in rng.sample(generic["no_point"], k=4):
                add(query, text, "unrelated", "generic")
            # An open question asks for the answer; it makes no point.
            for text in rng.sample(generic["open_questions"], k=2):
                add(query, text, "unrelated", "open-question")
        for pit in entry["pitfalls"]:
            query = pit["pitfall"]
            for text in pit["phrasings"]:
                add(query, text, "asserts", "pitfall")
            for text in rng.sample(pit["phrasings"], k=2):
                add(query, spoken(text, rng), "asserts", "pitfall-spoken")
            # A correct design is not the pitfall, however close its words.
            for kp in entry["key_points"]:
                for text in rng.sample(kp["asserts"], k=2):
                    add(query, text, "unrelated", "pitfall-vs-correct")
            for other in entry["pitfalls"]:
                if other is not pit:
                    for text in other["phrasings"][:2]:
                        add(query, text, "unrelated", "pitfall-vs-pitfall")
            for text in rng.sample(generic["no_point"], k=2):
                add(query, text, "unrelated", "generic")
    for blame in generic.get("blame", []):
        add(generic["blame_pitfall"], blame, "asserts", "blame")
    # The false claims any design answer can make (seeds/pitfalls.yaml): their phrasings assert
    # them; correct design points and the other claims do not.
    claims = list(load_bank().generic_pitfalls.get(Kind.system_design, ()))
    design = [kp for name in names if not _behavioural(name) for kp in sources[name]["key_points"]]
    for pit in claims:
        for text in pit.phrasings:
            add(pit.text, text, "asserts", "generic-pitfall")
            add(pit.text, spoken(text, rng), "asserts", "generic-pitfall")
        for kp in rng.sample(design, k=min(len(design), 12)):
            add(pit.text, rng.choice(kp["asserts"]), "unrelated", "generic-pitfall")
        for other in claims:
            if other is not pit:
                add(pit.text, rng.choice(other.phrasings), "unrelated", "generic-pitfall")
    for query, passage, label in _mined_from_answers(holdout):
        add(query, passage, label, "answer")
    for query, passage, label in _mined_pitfalls(holdout):
        add(query, passage, label, "answer-pitfall")
    rng.shuffle(pairs)
    return pairs


_AS_JUDGED = {"covered": "asserts", "partial": "partial", "shallow": "shallow", "declined": "declined", "incorrect": "incorrect"}


def _overlaps(quote: str, passage: str) -> bool:
    q, p = " ".join(quote.lower().split()), " ".join(passage.lower().split())
    if q in p or p in q:
        return True
    qw, pw = set(q.split()), set(p.split())
    return len(qw & pw) / max(1, len(qw)) >= 0.7


def _mined_from_answers(holdout: set[str]) -> list[tuple[str, str, str]]:
    """Pairs from whole labelled answers (answers/*.yaml): the passages the grader retrieves
    for each key point, labelled by the quotes that carry each label. A retrieved passage that
    carries none of them makes no point: these are the realistic hard negatives (same topic,
    same answer, another point) that written-to-order passages lack."""
    from dataclasses import replace

    from coach.grading.offline import OfflineGrader, Settings
    from coach.grading.passages import read
    from coach.grading.rubric import Rubric

    grader = OfflineGrader(settings=replace(Settings(), windows=5))
    out: list[tuple[str, str, str]] = []
    for f in sorted((HERE / "answers").glob("*.yaml")):
        for item in yaml.safe_load(f.read_text()) or []:
            name = item["rubric"]
            if name in holdout:
                continue
            if name.startswith("file:"):
                rubric = Rubric.from_file(HERE / "answers" / name.removeprefix("file:"))
            else:
                rubric = Rubric.from_question(load_bank().get(name))
            clean = item["answer"]
            for line in item.get("injected", []):
                clean = clean.replace(line, "")
            for kp, passages in zip(rubric.key_points, grader.candidates(rubric, read(clean)), strict=True):
                label = item["labels"][kp.id]
                quotes = item.get("quotes", {}).get(kp.id, [])
                for passage in passages:
                    carries = label != "missed" and any(_overlaps(q, passage) for q in quotes)
                    out.append((kp.text, passage, _AS_JUDGED[label] if carries else "unrelated"))
    return out


def _mined_pitfalls(holdout: set[str]) -> list[tuple[str, str, str]]:
    """Pitfall pairs from whole answers: a sentence the answer's author listed as a mistake
    and that sounds like one of the question's pitfalls (or the shared blame pitfall) asserts
    that pitfall; the other sentences most like a pitfall do not."""
    import numpy as np

    from coach.grading.embedder import get_embedder
    from coach.grading.passages import read

    bank = load_bank()
    embedder = get_embedder()
    out: list[tuple[str, str, str]] = []
    for f in sorted((HERE / "answers").glob("*.yaml")):
        for item in yaml.safe_load(f.read_text()) or []:
            name = item["rubric"]
            if name in holdout or name.startswith("file:"):
                continue
            question = bank.get(name)
            pitfalls = list(question.pitfalls) + list(bank.generic_pitfalls.get(question.kind, ()))
            sentences = [p.text for p in read(item["answer"]).passages if not p.to_grader]
            if not sentences:
                continue
            vectors = embedder.encode(sentences)
            mistakes = [i for i, s in enumerate(sentences) if any(_overlaps(m, s) for m in item.get("mistakes", []))]
            sims = np.stack([(vectors @ embedder.encode([pit.text, *pit.phrasings]).T).max(axis=1) for pit in pitfalls])
            # A mistake asserts the one pitfall it sounds most like; it says nothing of the others.
            nearest = sims.argmax(axis=0)
            for k, pit in enumerate(pitfalls):
                for i in np.argsort(-sims[k])[:3]:
                    if i not in mistakes:
                        out.append((pit.text, sentences[i], "unrelated"))
                    elif nearest[i] == k and sims[k, i] >= 0.5:
                        out.append((pit.text, sentences[i], "asserts"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--holdout", default="", help="comma-separated question ids to leave out")
    args = parser.parse_args()
    pairs = build({q for q in args.holdout.split(",") if q})
    for pair in pairs:
        sys.stdout.write(json.dumps(pair) + "\n")
    counts = {label: sum(1 for p in pairs if p["label"] == i) for i, label in enumerate(LABELS)}
    print(f"{len(pairs)} pairs: {counts}", file=sys.stderr)


if __name__ == "__main__":
    main()

