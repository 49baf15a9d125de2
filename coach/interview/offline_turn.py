"""The offline interviewer's side of a session: reads the candidate's last turn, with what the
grader made of it, and composes the reply (the wording lives in offline_interviewer).

What the turn is doing comes first (coach.interview.acts): a request to hear the question
again, permission, direction, being stuck or a pause gets an answer to that and nothing else.
Otherwise its clarifying questions are answered from the brief, a mistake in it is challenged
(coach.interview.challenges), and the interview goes on.
"""

from __future__ import annotations

from collections.abc import Sequence

from coach.bank.models import BriefTopic, Question
from coach.grading import figures
from coach.grading.pitfalls import rubric_pitfalls
from coach.grading.rubric import Rubric
from coach.grading.text import sentences
from coach.interview import acts, challenges, offline_interviewer
from coach.interview.brief import answer_from_brief, split_questions
from coach.interview.coverage import CoverageTracker
from coach.interview.phases import PhaseState
from coach.interview.services import Services
from coach.storage import Turn, said_by


class OfflineReplies:
    def __init__(self, question: Question, rubric: Rubric, services: Services, tracker: CoverageTracker) -> None:
        self.question = question
        self.rubric = rubric
        self.services = services
        self.tracker = tracker

    async def reply(
        self,
        turns: Sequence[Turn],
        *,
        reply_turn: int,
        phase: PhaseState,
        phase_changed: bool,
        covered_before: set[str],
        asked: set[str],
        time_left_s: float,
    ) -> str:
        """The reply to the last turn (the candidate's), already scored by the tracker."""
        last = turns[-1].text
        act = acts.classify(last)
        if act not in (acts.Act.questions, acts.Act.content):
            before = turns[-2].text if len(turns) > 1 and turns[-2].role == "interviewer" else None
            return await self._reply_to_act(act, last, before, len(turns) == 2, phase, asked)
        spans = [s.text for s in sentences(last)]
        questions = [s for s in spans if acts.is_question(s)]
        # Questions about the interview itself get their own answer, never "I don't have a figure".
        about_time = [q for q in questions if acts.TIME_QUESTION.search(q)]
        checking_in = [q for q in questions if acts.CHECK_IN.search(q) and q not in about_time]
        questions = [q for q in questions if q not in about_time and q not in checking_in]
        remarks = [_time_left(time_left_s)] if about_time else []
        before = turns[-2].text if len(turns) > 1 and turns[-2].role == "interviewer" else ""
        if challenges.challenged_a_figure(before) and self._estimates_well(spans):
            remarks.insert(0, "That adds up.")  # the number asked for again now holds
        if checking_in and not remarks:
            remarks.append("Let's keep going.")
        answers, unanswered = await self._answers(questions)
        grading = self.tracker.last
        said = said_by(turns, "interviewer")
        pushback = None if grading is None else challenges.challenge(grading.mistakes, last, rubric_pitfalls(self.rubric, self.services.bank), said)
        return offline_interviewer.reply(
            self.question,
            turn_count=reply_turn,
            answers=answers,
            unanswered_questions=unanswered,
            only_questions=bool(questions) and len(questions) == len(spans),
            remarks=remarks,
            covered=self.tracker.covered,
            progressed=bool(self.tracker.covered - covered_before),
            asked=asked,
            phase_index=phase.index,
            phase_changed_to=phase.plan if phase_changed else None,
            challenge=pushback,
            time_left_s=time_left_s,
            just_said=self.tracker.spoken_to(last),
        )

    def _estimates_well(self, spans: list[str]) -> bool:
        """True if these sentences land a reference figure within its tolerance, with no figure wrong."""
        checks = [figures.check(kp.figures, spans, self.rubric.brief) for kp in self.rubric.key_points if kp.figures]
        return any(c.estimated for c in checks) and not any(c.wrong for c in checks)

    async def _answers(self, questions: list[str]) -> tuple[list, int]:
        """Brief facts that answer the questions, and how many questions the brief is silent on."""
        answers: list = []
        unanswered = 0
        for q in [part for question in questions for part in split_questions(question)]:
            found = await self.services.run_cpu(answer_from_brief, q, self.question.brief, self.services.grader.embedder)
            if not found and acts.SCOPE_QUESTION.search(q):
                # "Do we need analytics?": what is in scope is the answer, even where the brief
                # words it differently ("basic click counts per link are wanted").
                found = [f for f in self.question.brief if f.topic is BriefTopic.scope]
            answers.extend(f for f in found if f not in answers)
            unanswered += not found
        return answers, unanswered

    async def _reply_to_act(self, act: acts.Act, last: str, before: str | None, opening: bool, phase: PhaseState, asked: set[str]) -> str:
        probe = offline_interviewer.last_question(before)
        dimension = offline_interviewer.dimension_of(self.question, probe)
        if dimension is None:
            upcoming = offline_interviewer.next_probe(self.question, self.tracker.covered, asked, phase.index)
            dimension = upcoming[0].dimension if upcoming else None
        facts = []
        if act is acts.Act.permission:
            facts = await self.services.run_cpu(answer_from_brief, last, self.question.brief, self.services.grader.embedder)
        again = offline_interviewer.to_repeat(self.question, before, opening=opening, wants_the_question="question" in last.lower())
        return offline_interviewer.reply_to_act(
            self.question, act, last_probe=probe, dimension=dimension, phase=phase.plan, facts=facts, again_said=again
        )


def _time_left(seconds: float) -> str:
    minutes = round(max(0.0, seconds) / 60)
    if minutes <= 1:
        return "We're about out of time."
    return f"About {minutes} minutes left."
