"""What the candidate's turn is doing, so that the offline interviewer answers that.

A turn that asks to hear the question again, asks permission, asks which way to go, says the
candidate is stuck or needs a moment is not a clarifying question about the system, and a
canned "I don't have a figure for that" is the wrong answer to all of them. Everything else is
either clarifying questions (answered from the brief) or design content (acknowledged and
probed); a claim put as a question ("..., right?") is content, not a question.

Rules, not a model: these acts have few, conventional phrasings, and a wrong guess here costs
one odd reply, which the candidate can correct.
"""

from __future__ import annotations

import re
from enum import StrEnum

from coach.grading import checks, substance
from coach.grading.text import sentences
from coach.interview.brief import is_clarifying


class Act(StrEnum):
    repeat = "repeat"  # say the question (or the last probe) again
    rephrase = "rephrase"  # say it in other words
    permission = "permission"  # "can I assume / use X?"
    direction = "direction"  # "start with A or B?", "where should I start?"
    stuck = "stuck"  # "I don't know"
    pause = "pause"  # "give me a minute"
    wrap_up = "wrap_up"  # "can we wrap up?", "I think I'm done"
    questions = "questions"  # clarifying questions only
    content = "content"  # design content, perhaps with questions


_I = re.IGNORECASE
_REPEAT = re.compile(
    r"\b(?:(?<!\ba\s)(?<!\bno\s)repeat(?!\s+(?:customers?|users?|offenders?|incidents?|outages?))|say\s+(?:that|it)\s+again|come\s+again|once\s+more|didn'?t\s+(?:catch|hear)|missed\s+(?:that|the\s+question)|"
    r"what\s+was\s+the\s+question|remind\s+me\s+(?:of\s+)?(?:the\s+)?question)\b|^\s*(?:sorry|pardon)\s*\??\s*$",
    _I,
)
_REPHRASE = re.compile(
    r"\b(?:rephrase|put\s+(?:that|it)\s+(?:another|a\s+different)\s+way|what\s+do\s+you\s+mean|which\s+(?:\w+\s+){0,2}do\s+you\s+mean|what\s+(?:exactly\s+)?are\s+you\s+asking|"
    r"(?:don'?t|do\s+not)\s+(?:understand|follow)\s+(?:the\s+|your\s+)?question|not\s+sure\s+what\s+you(?:'re|\s+are)\s+asking)\b",
    _I,
)
_PERMISSION = re.compile(
    r"^\s*(?:(?:so\s+)?(?:can|could|may|should|shall)\s+(?:i|we)\s+(?:just\s+)?(?:assume|use|go\s+with|pick|choose|ignore|skip|leave\s+out|treat)|"
    r"is\s+it\s+(?:ok(?:ay)?|fine|alright|all\s+right|reasonable)\s+(?:if|to)|(?:do\s+you\s+)?mind\s+if|am\s+i\s+allowed\s+to|"
    r"would\s+it\s+be\s+(?:ok(?:ay)?|fine)\s+(?:if|to))\b",
    _I,
)
_DIRECTION = re.compile(
    r"\b(?:(?:should|shall|do\s+you\s+want\s+me\s+to|would\s+you\s+like\s+me\s+to)\s+(?:i\s+)?(?:start|begin|focus|go\s+(?:into|deeper)|dive|talk\s+about|cover)|"
    r"where\s+(?:should|do\s+you\s+want\s+me\s+to)\s+(?:i\s+)?(?:start|begin)|what\s+would\s+you\s+like\s+(?:me\s+)?to\s+(?:focus|start|cover|hear)|"
    r"which\s+(?:one\s+)?(?:would\s+you\s+prefer|should\s+i\s+(?:do|start|cover)\s+first)|what\s+should\s+i\s+(?:do|cover|talk\s+about)\s+(?:first|next))\b",
    _I,
)
_STUCK = re.compile(
    r"^\s*(?:(?:honestly|sorry|hmm+|um+|uh+)[,.\s]+)*(?:i\s+(?:really\s+)?(?:don'?t|do\s+not)\s+know|i'?m\s+(?:not\s+sure|stuck|blanking|drawing\s+a\s+blank)|"
    r"no\s+idea|i\s+(?:have\s+)?no\s+idea|i\s+can'?t\s+think|not\s+sure|i'?ve\s+never\s+(?:done|worked\s+on|built))\b",
    _I,
)
_PAUSE = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|hmm+|um+|so|right)[,.\s]+)*(?:give\s+me\s+a\s+(?:moment|minute|second|sec)|let\s+me\s+think|one\s+(?:moment|sec(?:ond)?|minute)|"
    r"hold\s+on|bear\s+with\s+me|just\s+a\s+(?:moment|sec(?:ond)?|minute)|let\s+me\s+(?:gather|collect|organi[sz]e)\s+my\s+thoughts|thinking)\b",
    _I,
)
_WRAP_UP = re.compile(
    r"\b(?:(?:can|could|shall|should)\s+we\s+(?:wrap(?:\s+it)?\s+up|stop(?:\s+here)?|finish(?:\s+up)?|end(?:\s+(?:it|here|now|the\s+interview))?)|"
    r"let'?s\s+(?:wrap(?:\s+it)?\s+up|stop\s+here|finish\s+(?:up|here))|i'?m\s+(?:done|finished)(?:\s+here)?|i\s+think\s+(?:(?:i'?m|we'?re)\s+done|that'?s\s+(?:it|all))|"
    r"that'?s\s+(?:all|everything)\s+i\s+(?:have|had|wanted\s+to\s+say))\b",
    _I,
)
# Questions about the interview rather than the problem: checking in ("is that what you were
# looking for?", "does that answer it?"), asking to move on ("next question?"). The brief has
# nothing to say to them.
CHECK_IN = re.compile(
    r"\b(?:is\s+(?:that|this)\s+(?:what\s+you\s+(?:were|are)\s+(?:looking|asking)\s+for|ok(?:ay)?|enough|fine|clear|the\s+kind\s+of\s+thing)|"
    r"does\s+(?:that|this)\s+(?:answer|cover|address)|did\s+(?:that|i)\s+(?:answer|cover)|(?:was|is)\s+that\s+(?:enough|helpful|detailed\s+enough)|"
    r"(?:do|did)\s+you\s+(?:want|need)\s+(?:me\s+to|more|something\s+else|anything\s+else)|want\s+me\s+to\s+go|should\s+i\s+(?:go\s+on|continue|keep\s+going|go\s+deeper|move\s+on)|"
    r"(?:next|another)\s+question|shall\s+we\s+move\s+on|can\s+we\s+move\s+on|"
    r"what\s+(?:else\s+)?(?:are|were)\s+you\s+looking\s+for)\b",
    _I,
)
# "How much time do we have left?": the interview's clock answers it.
TIME_QUESTION = re.compile(
    r"\b(?:how\s+(?:much\s+time|many\s+minutes|long)\s+(?:do\s+we\s+have|have\s+we\s+got|is\s+left|left|remains?)|time\s+(?:left|remaining|check)|"
    r"how\s+are\s+we\s+(?:doing\s+)?on\s+time)\b",
    _I,
)
# "Do we need analytics?": asks whether something is in scope; the brief's scope facts answer it.
SCOPE_QUESTION = re.compile(
    r"^\s*(?:so\s+)?(?:do|does|should|must|will|would)\s+(?:we|it|the\s+\w+|users?|they)\s+(?:need|have|want|support|handle|include|care\s+about|allow)\b|"
    r"\bin\s+scope\b|\bout\s+of\s+scope\b",
    _I,
)


def classify(turn: str) -> Act:
    """What the turn as a whole is doing. A short turn is read as its act; a longer turn
    that carries design content is content, whatever it opens with."""
    said = [s.text.strip() for s in sentences(turn)] or [turn.strip()]
    short = len(turn.split()) <= 25
    if short:
        for act, pattern in ((Act.rephrase, _REPHRASE), (Act.repeat, _REPEAT), (Act.pause, _PAUSE), (Act.wrap_up, _WRAP_UP)):
            if any(pattern.search(s) and _a_request(s) for s in said):
                return act
        if _STUCK.search(said[0]) and not any(substance.has_substance(s) for s in said):
            return Act.stuck
        if any(_DIRECTION.search(s) for s in said):
            return Act.direction
        if _PERMISSION.search(said[0]):
            return Act.permission
    asks = [s for s in said if is_question(s)]
    return Act.questions if asks and len(asks) == len(said) else Act.content


def _a_request(sentence: str) -> bool:
    """Asked, or said in a few words: "Could you repeat that?", "Sorry, didn't catch that.".
    A sentence of the story that happens to say "repeat" ("we haven't had a repeat in a
    year") asks for nothing."""
    return sentence.rstrip().endswith("?") or len(sentence.split()) <= 10


def is_question(sentence: str) -> bool:
    """A question the candidate wants answered: not a claim put as one ("..., right?",
    "wouldn't we shard by user?"). A short question without its question mark counts too."""
    if checks.is_question(sentence):
        return checks.question_kind(sentence) == "open"
    return is_clarifying(sentence)
