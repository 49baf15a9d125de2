"""Turn a grader's verdicts into the report: verified evidence, scores, strengths, gaps.

Whatever grader produced the verdicts, the same rules apply here: every quote must occur in
the candidate's own words (and not in a sentence flagged as addressed to the grader), and a
key point whose evidence does not survive that check earns nothing.
"""

from __future__ import annotations

from collections import defaultdict

from coach.bank.models import STAR_DIMENSIONS

from coach.grading.models import (
    CREDIT,
    STATUS_NOTES,
    STORY_SHALLOW_NOTE,
    DimensionScore,
    Grading,
    GradeReport,
    KeyPointResult,
    Missed,
    Mistake,
    Practice,
    Verdict,
)
from coach.grading.passages import Transcript, read
from coach.grading.rubric import Rubric, RubricPoint
from coach.grading.text import normalise, quote_in

GENERAL = "general"


def _usable(quote: str, source: str, flagged: list[str]) -> bool:
    q = normalise(quote)
    return quote_in(quote, source) and not any(q in f or f in q for f in flagged)


def verify(verdict: Verdict, source: str, flagged: list[str]) -> Verdict:
    """Keep only quotes that really occur in `source` and are not part of flagged text.
    A point that earns credit (covered or partial) without a surviving quote earns nothing."""
    flagged_norm = [normalise(f) for f in flagged]
    kept = [q for q in verdict.evidence if _usable(q, source, flagged_norm)]
    if verdict.status in CREDIT and not kept:
        return Verdict(
            id=verdict.id,
            status="missed",
            evidence=[],
            note=f"Claimed as {verdict.status}, but no quote of the candidate's own words supports it; no credit.",
        )
    return verdict.model_copy(update={"evidence": kept if verdict.status in CREDIT else []})


def verify_mistakes(mistakes: list[Mistake], source: str, key_points: set[str]) -> list[Mistake]:
    """Mistakes whose quote is really the candidate's, once each; unknown key points dropped."""
    out: list[Mistake] = []
    seen: set[str] = set()
    for m in mistakes:
        key = normalise(m.quote)
        if key in seen or not quote_in(m.quote, source):
            continue
        seen.add(key)
        out.append(m if m.key_point in key_points or m.key_point is None else m.model_copy(update={"key_point": None}))
    return out


def _strong_answer(kp: RubricPoint) -> str:
    return kp.strong_answer or f"A strong answer makes this point explicitly - {kp.text[0].lower()}{kp.text[1:]} - and backs it with a mechanism, a number or a reason."


def build_report(
    rubric: Rubric,
    answer: str | Transcript,
    grading: Grading,
    practice: list[Practice] | None = None,
    notices: list[str] | None = None,
) -> GradeReport:
    source = (answer if isinstance(answer, Transcript) else read(answer)).candidate_text
    flagged = [f.quote for f in grading.flags]
    by_id = {v.id: verify(v, source, flagged) for v in grading.verdicts}
    results: list[KeyPointResult] = []
    for kp in rubric.key_points:
        v = by_id.get(kp.id) or Verdict(id=kp.id, status="missed", note="The grader gave no verdict; no credit.")
        results.append(
            KeyPointResult(
                id=kp.id,
                text=kp.text,
                dimension=kp.dimension.value if kp.dimension else GENERAL,
                weight=kp.weight,
                covered=v.status == "covered",
                status=v.status,
                score=kp.weight * CREDIT.get(v.status, 0.0),
                evidence=v.evidence,
                note=v.note or (STORY_SHALLOW_NOTE if v.status == "shallow" and kp.dimension in STAR_DIMENSIONS else STATUS_NOTES[v.status]),
                strong_answer=kp.strong_answer,
            )
        )
    total = sum(r.weight for r in results)
    earned = sum(r.score for r in results)
    return GradeReport(
        score=round(100 * earned / total) if total else 0,
        question_id=rubric.question_id,
        question=rubric.title or rubric.question,
        key_points=results,
        dimensions=_dimensions(results),
        strengths=_strengths(results),
        missed=[
            Missed(id=r.id, text=r.text, status=r.status, strong_answer=_strong_answer(kp))
            for r, kp in zip(results, rubric.key_points, strict=True)
            if not r.covered
        ],
        mistakes=verify_mistakes(grading.mistakes, source, {kp.id for kp in rubric.key_points}),
        practice_next=practice or [],
        flags=grading.flags,
        grader=grading.grader,
        notices=list(notices or []),
    )


def _dimensions(results: list[KeyPointResult]) -> list[DimensionScore]:
    groups: dict[str, list[KeyPointResult]] = defaultdict(list)
    for r in results:
        groups[r.dimension].append(r)
    out = []
    for dim, rs in groups.items():
        weight = sum(r.weight for r in rs)
        out.append(
            DimensionScore(
                dimension=dim,
                score=round(100 * sum(r.score for r in rs) / weight),
                covered=sum(r.covered for r in rs),
                partial=sum(r.status == "partial" for r in rs),
                total=len(rs),
            )
        )
    return out


def _strengths(results: list[KeyPointResult]) -> list[str]:
    covered = sorted((r for r in results if r.covered), key=lambda r: -r.weight)
    return [f"{r.text} (\"{r.evidence[0]}\")" for r in covered if r.evidence]


def render_markdown(report: GradeReport) -> str:
    """The report as Markdown for people: terminal, download, or the web page."""
    lines = [f"# Interview report: {report.question}", ""]
    lines.append(f"**Score: {report.score}/100** - graded by the {report.grader.kind} grader ({report.grader.model})")
    if report.usage is not None:
        u = report.usage
        lines.append(f"\nLLM usage: {u.prompt_tokens:,} prompt and {u.completion_tokens:,} completion tokens, ${u.cost_usd:.4f}.")
    for notice in report.notices:
        lines.append(f"\n> {notice}")
    lines += ["", "## Dimensions", "", "| dimension | score | covered |", "|---|---|---|"]
    lines += [f"| {d.dimension.replace('_', ' ')} | {d.score} | {d.covered}/{d.total} |" for d in report.dimensions]
    lines += ["", "## Key points", ""]
    for r in report.key_points:
        mark = {"covered": "x", "partial": "~"}.get(r.status, " ")
        lines.append(f"- [{mark}] **{r.text}** ({r.dimension.replace('_', ' ')}, weight {r.weight:g}) - *{r.status}*: {r.note}")
        lines += [f'  > "{q}"' for q in r.evidence]
    if report.strengths:
        lines += ["", "## Strengths", ""] + [f"- {s}" for s in report.strengths]
    if report.mistakes:
        lines += ["", "## Mistakes", ""]
        lines += [f'- "{m.quote}" - {m.why}' for m in report.mistakes]
    if report.missed:
        lines += ["", "## What a strong answer adds", ""]
        lines += [f"- **{m.text}** ({m.status}): {m.strong_answer}" for m in report.missed]
    if report.flags:
        lines += ["", "## Flagged", ""]
        lines += [f'- "{f.quote}" - {f.message}' for f in report.flags]
    if report.practice_next:
        lines += ["", "## Practise next", ""]
        lines += [f"- `{p.question_id}` {p.title}: {p.reason}" for p in report.practice_next]
    if report.timeline:
        lines += ["", "## Timeline", "", f"{clock(report.duration_s or 0)} in all, {report.hints_used} hint(s) asked for.", ""]
        lines += ["| phase | from | took | answers | hints |", "|---|---|---|---|---|"]
        lines += [f"| {phase_name(p.phase)} | {clock(p.started_s)} | {clock(p.duration_s)} | {p.answers} | {p.hints} |" for p in report.timeline]
    if report.transcript:
        lines += ["", "## Transcript", ""]
        phase = None
        for t in report.transcript:
            if t.phase is not None and t.phase != phase:
                phase = t.phase
                lines.append(f"### {phase_name(phase)}\n")
            when = f" [{clock(t.at_s)}]" if t.at_s is not None else ""
            lines.append(f"**{t.role.capitalize()}**{when}: {t.text}\n")
    return "\n".join(lines) + "\n"


def clock(seconds: int) -> str:
    """Minutes and seconds, as the page's clocks show them (12:05)."""
    return f"{seconds // 60}:{seconds % 60:02d}"


def phase_name(phase: str) -> str:
    return phase.replace("_", " ").capitalize()
