"""The phases of an interview and their time budgets.

The phase follows the clock, but moves on early once every key point of the phases so far is
covered: a candidate who nails the requirements in two minutes is not held there for five.
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.bank.models import Dimension, Kind, Question

D = Dimension


@dataclass(frozen=True)
class PhasePlan:
    name: str
    budget_s: int
    dimensions: frozenset[Dimension]


DESIGN = (
    PhasePlan("requirements", 5 * 60, frozenset({D.requirements})),
    PhasePlan("estimation", 5 * 60, frozenset({D.estimation})),
    PhasePlan("high_level_design", 15 * 60, frozenset({D.high_level_design, D.data, D.scalability})),
    PhasePlan("deep_dive", 15 * 60, frozenset({D.data, D.scalability, D.reliability, D.trade_offs})),
    PhasePlan("wrap_up", 5 * 60, frozenset({D.trade_offs, D.communication})),
)
STAR = (
    PhasePlan("situation_and_task", 5 * 60, frozenset({D.situation, D.task})),
    PhasePlan("actions", 12 * 60, frozenset({D.action})),
    PhasePlan("results", 8 * 60, frozenset({D.result, D.metrics})),
    PhasePlan("reflection", 5 * 60, frozenset({D.reflection})),
)


def plan_for(kind: Kind) -> tuple[PhasePlan, ...]:
    return DESIGN if kind is Kind.system_design else STAR


@dataclass(frozen=True)
class PhaseState:
    plan: PhasePlan
    index: int
    elapsed_in_phase_s: int
    # Until this phase's scheduled end, counted from the interview's start: a phase reached
    # early keeps the time saved, so the clock runs on instead of restarting at a full budget.
    left_s: int


def current_phase(question: Question, elapsed_s: float, covered: set[str]) -> PhaseState:
    plan = plan_for(question.kind)
    starts = [sum(p.budget_s for p in plan[:i]) for i in range(len(plan))]
    by_clock = max(i for i, start in enumerate(starts) if elapsed_s >= start)
    # The first phase not yet complete: it has uncovered key points of its own dimensions, or
    # none at all and the candidate has not yet covered anything that belongs to a later phase.
    # A STAR story is told in order: once the candidate is on to a later part, the earlier
    # ones are behind them, whatever they left out (the report says what). A design interview
    # comes back for skipped requirements and estimates.
    def complete(i: int) -> bool:
        own = [kp for kp in question.key_points if kp.dimension in plan[i].dimensions]
        later = {d for p in plan[i + 1 :] for d in p.dimensions} - plan[i].dimensions
        moved_on = any(kp.id in covered and kp.dimension in later for kp in question.key_points)
        if own and not (question.kind is Kind.behavioral and moved_on):
            return all(kp.id in covered for kp in own)
        return moved_on

    by_coverage = next((i for i in range(len(plan)) if not complete(i)), len(plan) - 1)
    index = max(by_clock, by_coverage)
    return PhaseState(plan[index], index, max(0, int(elapsed_s) - starts[index]), starts[index] + plan[index].budget_s - int(elapsed_s))
