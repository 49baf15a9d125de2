"""The checks a careful interviewer makes on top of "does this sentence sound like the point".

Semantic similarity cannot tell "we shard by user id" from "we won't shard", a real
mechanism from a list of buzzwords, or a design sentence from a note to the grader. These
rules can. Each returns a plain verdict on one sentence so it can be tested in isolation.
"""

from __future__ import annotations

import re

from coach.grading.substance import cached, content_words, has_substance

_I = re.IGNORECASE

# --- Text addressed to the grader -----------------------------------------------------------

# Phrases that only make sense when talking to whoever scores the answer.
_INJECTION_STRONG = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,40}\b(?:instructions?|rubric|rules?|prompt|"
    r"guidelines?|criteria|everything\s+(?:above|before|else))\b"
    r"|\bmark\b[^.!?\n]{0,30}\b(?:all|every|each)\b[^.!?\n]{0,30}\b(?:covered|complete|correct|met|passed|present)\b"
    r"|\b(?:all|every|each)\s+(?:of\s+the\s+)?(?:key\s*)?points?\s+(?:are|is|as|were|should\s+be|must\s+be)\s+"
    r"(?:covered|met|addressed|satisfied|complete)"
    r"|\b(?:full|maximum|max|top|perfect|highest)\s+(?:marks?|scores?|points|credit|ratings?|grades?)\b"
    r"|\b(?:score|grade|rate)\s+(?:this|the|my)\s+(?:answer|response|candidate|transcript)\b"
    r"|\b(?:100|hundred)\s*(?:/|out\s+of)\s*100\b"
    r"|\bas\s+an?\s+(?:ai|language\s+model|llm|assistant)\b"
    r"|\b(?:you\s+are\s+now|new\s+instructions?|system\s+prompt|jailbreak|developer\s+mode)\b"
    r"|</?\s*(?:system|assistant|user|instructions?)\s*>"
    r"|^\s*(?:system|assistant)\s*:"
    r"|\bend\s+of\s+(?:the\s+)?(?:candidate(?:'s)?\s+)?(?:answer|transcript|response|input)\b"
    r"|\bthe\s+candidate\s+(?:has\s+)?(?:covered|addressed|demonstrated|deserves|should\s+(?:get|receive|pass))\b"
    r"|\bthis\s+(?:answer|response|story|transcript)\s+(?:already\s+|fully\s+)?(?:covers|deserves|meets|satisfies|addresses|should\s+(?:get|receive|be\s+(?:marked|scored|graded)))\b"
    # Whoever scores the answer, however it is named ...
    r"|\bwhoever\s+(?:is\s+)?(?:scor|grad|mark|evaluat|review|assess|read)\w*\s+(?:this|the|my)\b"
    r"|\b(?:ai|automated|grading|scoring|evaluating|evaluation)\s+(?:reviewer|model|system|grader|evaluator|assessor|scorer|judge)\b"
    r"|\b(?:reviewer|grader|evaluator|assessor|examiner|scorer|marker)\s+(?:reading|scoring|grading)\s+this\b"
    r"|\bsystem\s+(?:instruction|note|message|prompt)s?\b"
    # ... and what it is told about the answer or asked to do with it.
    r"|\bthe\s+candidate\s+(?:has\s+)?(?:clearly|already|fully|thoroughly)\s+(?:\w+\s+)?(?:discussed|covered|addressed|demonstrated|explained|satisfied|met|handled)\b"
    r"|\b(?:output|return|mark|score|treat|count|consider|rate|grade|weight)\s+(?:all\s+|each\s+|every\s+|this\s+|these\s+|those\s+|the\s+)?"
    r"(?:(?:key\s+)?points?|answer|response|items?|criteria|rubric\s+items?|them)\s+(?:\w+\s+){0,3}?as\s+(?:covered|met|satisfied|complete|correct|strong|passed|excellent)\b"
    r"|\b(?:output|return)\s+(?:covered|full\s+credit|a\s+pass)\b"
    r"|\bmark\s+(?:them|these|those|all|everything)\s+(?:all\s+)?(?:as\s+)?(?:covered|met|passed)\b"
    r"|\b(?:(?:key\s+)?points?|items?|criteria)\s+(?:should|must)\s+(?:all\s+)?(?:count|be\s+(?:treated|marked|scored|counted|considered|credited|graded))\b"
    r"|\bfully\s+(?:satisfies|meets|covers|addresses)\s+(?:\w+\s+){0,6}?(?:criteria|rubric|key\s+points)\b",
    _I | re.MULTILINE,
)
# Someone being addressed who can only be the grader ...
_GRADER_NOUN = re.compile(
    r"\b(?:grader|grading\s+(?:model|system|bot|ai)|evaluator|examiner|assessor|marker|rubric|scorer|"
    r"scoring\s+(?:model|system|rules?)|language\s+model|llm|chat\s?gpt|gpt-?\d*|claude|chatbot|"
    r"dear\s+ai|hey\s+ai|note\s+to\s+(?:the\s+)?(?:ai|model|grader|reviewer)|ai\s+(?:grader|model|assistant|evaluator))\b",
    _I,
)
# ... combined with an instruction about the grading.
_GRADER_VERB = re.compile(
    r"\b(?:ignore|disregard|mark|award|assign|give|grant|treat|consider|count|credit|pass|rate|score|"
    r"grade|output|return|respond|pretend|must|should|please)\b",
    _I,
)


@cached
def addresses_grader(sentence: str) -> bool:
    """True if the sentence talks to the grader or an AI instead of about the design."""
    if _INJECTION_STRONG.search(sentence):
        return True
    return bool(_GRADER_NOUN.search(sentence) and _GRADER_VERB.search(sentence))


# --- Declined, postponed or unsure ----------------------------------------------------------

_SUBJECT = r"(?:i|we|i'd|we'd|i'll|we'll|i'm|we're|let's|us|my\s+plan|our\s+plan|the\s+plan)"
_NEG = (
    r"(?:wouldn't|would\s+not|won't|will\s+not|don't|do\s+not|didn't|did\s+not|shouldn't|should\s+not|"
    r"can't|cannot|can\s+not|couldn't|never|not|no\s+need|aren't|isn't)"
)
_DECLINE = re.compile(
    rf"\b{_SUBJECT}\b[^.,;!?]{{0,30}}?\b{_NEG}\b"
    r"|\b(?:no\s+need\s+(?:for|to)|not\s+(?:needed|necessary|required|worth)|unnecessary|not\s+yet|"
    r"for\s+now\s+(?:we|i)\s+(?:skip|leave|ignore)|(?:i|we|i'd|we'd|i'll|we'll|let's)\s+(?:\w+\s+)?skip|"
    r"skip(?:ping)?\s+(?:it|that|this|those|them)|\w+\s+we(?:'d)?\s+skip|leave\s+(?:that|it|this)\s+out|out\s+of\s+scope|"
    r"hold\s+off|put\s+off|defer(?:red)?|postpone[d]?|(?:can|could)\s+wait|worry\s+about\s+(?:that|it)\s+later|"
    r"(?:add|do|handle|deal\s+with|tackle|address|revisit|get\s+to|think\s+about|look\s+at|worry\s+about)\s+(?:[\w-]+\s+){0,3}later|"
    r"(?:won't|will\s+not|not|don't|do\s+not|wouldn't)\s+(?:worry|care|bother)\s+about|doesn't\s+matter|not\s+important|"
    r"down\s+the\s+(?:road|line)|"
    r"(?:for|in|until)\s+(?:a\s+)?(?:later|future|second|next)\s+(?:phase|version|iteration|release|stage|sprint|round)|"
    r"park\s+(?:it|that|this)|leave\s+(?:it|that|this|those|them)\s+(?:for|to|until)|"
    r"maybe\s+(?:someday|one\s+day|eventually))\b",
    _I,
)
_UNSURE = re.compile(
    r"\b(?:not\s+sure|unsure|no\s+idea|don't\s+know|do\s+not\s+know|not\s+familiar|never\s+(?:heard|used)|"
    r"can't\s+remember|don't\s+remember|i\s+guess\s+not|no\s+clue|pass\s+on\s+(?:that|this))\b",
    _I,
)
# Key points that are themselves about rejecting or weighing something; declining is the point.
_KEYPOINT_ABOUT_CHOICE = re.compile(
    r"\b(?:against|rather\s+than|instead\s+of|turn\w*\s+down|reject\w*|over-engineer\w*|rewrite)\b",
    _I,
)
_CLAUSE_BREAK = re.compile(
    r";|\s[—–-]\s|,?\s+(?:but|so|which|because|since|though|although|whereas|instead|however|and\s+then)\b|,\s+(?=so\b)",
    _I,
)


# A bad thing that did not happen is a result, not a point turned down: "we haven't had a
# repeat in a year", "no outage since".
_GOOD_NEWS = re.compile(
    r"\b(?:not|never|no|haven't|hasn't|hadn't|didn't|did\s+not)\s+(?:(?:had|have|has|seen|see|saw|got|hit|suffered|been)\s+)?"
    r"(?:a\s+|any\s+|one\s+|a\s+single\s+|another\s+|more\s+)?(?:repeats?|recurrences?|outages?|incidents?|pages?|regressions?|"
    r"complaints?|downtime|data\s+loss|escalations?|sev-?\d|p[0-3]s?)\b",
    _I,
)


@cached
def declines(text: str) -> bool:
    """True if the text turns the idea down, puts it off, or admits not knowing it."""
    text = _GOOD_NEWS.sub(" ", text)
    return bool(_DECLINE.search(text) or _UNSURE.search(text))


@cached
def keypoint_tolerates_negation(key_point_text: str) -> bool:
    return bool(_KEYPOINT_ABOUT_CHOICE.search(key_point_text))


_RESCUE = re.compile(r"\b(?:so|but|instead|therefore|hence|however)\b", _I)


def clauses(sentence: str) -> list[tuple[str, bool]]:
    """The sentence's clauses, each with whether it opens with a connective that introduces
    the alternative actually chosen ("we won't shard yet, *so* we add replicas")."""
    out: list[tuple[str, bool]] = []
    pos, rescue = 0, False
    for m in _CLAUSE_BREAK.finditer(sentence):
        out.append((sentence[pos : m.start()].strip(" ,"), rescue))
        pos, rescue = m.end(), bool(_RESCUE.search(m.group()))
    out.append((sentence[pos:].strip(" ,"), rescue))
    return [(c, r) for c, r in out if len(c.split()) >= 2] or [(sentence, False)]


def is_question(sentence: str) -> bool:
    return sentence.rstrip().endswith("?")


# --- Questions: asking for the answer, or making a claim with a question mark ----------------

# A tag at the end turns a claim into a question without changing what it claims.
_TAG = re.compile(
    r"[,;:\s-]*\b(?:right|correct|yeah|yes|no|ok(?:ay)?|agreed|true|isn't\s+it|aren't\s+they|wouldn't\s+(?:it|we|you|that)|"
    r"won't\s+(?:it|we|that)|doesn't\s+it|don't\s+(?:we|you|they)|can't\s+we|shouldn't\s+(?:we|it)|does\s+that\s+(?:make\s+sense|work|sound\s+(?:right|ok(?:ay)?|good))|"
    r"is\s+that\s+(?:right|ok(?:ay)?|fair|reasonable|correct)|make\s+sense|sound\s+(?:good|right|ok(?:ay)?)|you\s+know|would\s+you\s+agree|"
    r"do\s+you\s+agree|don't\s+you\s+think|wouldn't\s+you\s+say|i\s+(?:think|guess|assume))\s*\?+\s*$",
    _I,
)
# Questions that ask the interviewer for the answer or for a fact.
_OPEN_START = re.compile(
    r"^\s*(?:(?:so|and|but|then|ok(?:ay)?|um+|uh+|well|hmm+)[,\s]+)*(?:what|which|how|why|where|when|who|whom|whose)\b(?!\s+if\b|\s+about\s+(?:we|if)\b)",
    _I,
)
# A claim put as a question: "Wouldn't we ...?", "What if we ...?", "Isn't the first job ...?",
# also after a lead-in ("For the hot accounts, can't we ...?", "One cost: doesn't ...?").
_CLAIM_START = re.compile(
    r"^\s*(?:[^,:?]{1,40}[,:]\s*)?(?:(?:so|and|but|then|ok(?:ay)?|well)[,\s]+)*(?:wouldn't|shouldn't|couldn't|can't|don't|doesn't|isn't|aren't|won't|didn't|"
    r"what\s+if|how\s+about|why\s+not)\b",
    _I,
)

# A plain yes/no question about what to do ("Then caching, do we put Redis in front?", "Should
# every editor land on one server?") hands the decision to the interviewer; "could we ...?"
# and "can we ...?" propose one, and are read as claims when they carry a mechanism.
_ASK_START = re.compile(
    r"^\s*(?:[^,?]{1,30},\s*)?(?:(?:so|and|but|then|ok(?:ay)?|well|um+|uh+)[,\s]+)*"
    r"(?:do|does|did|should|shall|are|is|am|will)\s+(?:we|i|you|they|it|that|this|there|these|those|the|every|each|a|an|our|my)\b"
    r"(?!\s+(?:ok(?:ay)?|fine|alright|all\s+right|reasonable|acceptable|fair)\b)",  # "is it OK if we ...": a proposal
    _I,
)
# A choice put to the interviewer: "should they be made on upload or lazily on first view?"
# The choice ends the question: "or" and at most six words before the question mark.
_ALTERNATIVES = re.compile(r"\w\s+or\s+(?!not\b|so\b|something\b|anything\b|similar\b)(?:[^\s?]+\s+){0,5}[^\s?]+\s*\?\s*$", _I)


def strip_tag(sentence: str) -> str:
    """The claim without its tag question: "..., right?" -> "...". """
    stripped = _TAG.sub("", sentence.rstrip())
    return stripped if stripped != sentence.rstrip() and len(stripped.split()) >= 3 else sentence


@cached
def question_kind(sentence: str) -> str | None:
    """None for a statement; "claim" for a claim phrased as a question (a tag question, or
    "wouldn't we ...?"); "open" for a question that asks for the answer, or hands the decision
    to the interviewer ("do we put a cache in front?", "on upload or lazily?"). A yes/no
    question that proposes a design ("could we shard by user id so ...?") is a claim: whether
    it carries a mechanism is for the judge and the substance check to say."""
    if not is_question(sentence):
        return None
    if strip_tag(sentence) != sentence or _CLAIM_START.search(sentence):
        return "claim"
    if _OPEN_START.search(sentence) or _ASK_START.search(sentence) or _ALTERNATIVES.search(sentence):
        return "open"
    return "claim" if has_substance(sentence) else "open"


# --- Assent: agreeing with the interviewer is not making the point ---------------------------

_ASSENT = re.compile(
    r"^\s*(?:yes|yeah|yep|yup|right|sure|exactly|agreed|correct|true|definitely|absolutely|of\s+course|ok(?:ay)?|"
    r"makes\s+sense|good\s+(?:point|idea|call)|that\s+(?:works|makes\s+sense|sounds\s+(?:good|right))|fair(?:\s+enough)?|"
    r"totally|indeed|that's\s+(?:right|true|fair|a\s+good\s+(?:point|idea)))\b",
    _I,
)


def echoes(sentence: str, prompt: str) -> bool:
    """True if the sentence only agrees with what the interviewer just said: it opens with
    assent and adds almost nothing of its own ("Right, a cache in front of the store")."""
    if not prompt or not _ASSENT.search(sentence):
        return False
    own = set(content_words(sentence))
    theirs = set(content_words(prompt))
    assent_words = {"yes", "yeah", "yep", "yup", "right", "sure", "exactly", "agreed", "correct", "true", "definitely",
                    "absolutely", "course", "okay", "ok", "makes", "sense", "good", "point", "idea", "works", "fair",
                    "totally", "indeed", "sounds", "like", "said", "that's", "go", "do", "let's", "could", "fine"}
    new = own - theirs - assent_words
    return len(new) <= 2

