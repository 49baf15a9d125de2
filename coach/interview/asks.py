"""The interviewer's own questions, by dimension: the first probe, the same ask in other words,
a smaller first step for a candidate who is stuck, deeper questions once the points are made,
and where to start for "A or B first?". Offline replies use them; the coach's nudges avoid them.
"""

from __future__ import annotations

from coach.bank.models import Dimension, Kind

D = Dimension
PROBES: dict[Dimension, str] = {
    D.requirements: "Before you design anything, what would you want to pin down?",
    D.estimation: "Can you put some numbers on this? Roughly how much load and data are we talking about?",
    D.high_level_design: "Walk me through the main components and how a request flows through them.",
    D.data: "How would you store and partition the data?",
    D.scalability: "What breaks first as traffic grows, and what would you do about it?",
    D.reliability: "What happens when one of these components fails?",
    D.trade_offs: "What are you giving up with that choice, and what was the alternative?",
    D.communication: "If you had to summarise the design and its main risks for the team, what would you say?",
    D.situation: "Can you set the scene: what was the system, and what was at stake?",
    D.task: "What exactly were you responsible for?",
    D.action: "What did you personally do, step by step?",
    D.result: "What was the outcome?",
    D.metrics: "How did you measure that, in numbers?",
    D.reflection: "What did you learn, and what would you do differently now?",
}

# The same ask as PROBES, in other words: for "what do you mean?".
REPHRASED: dict[Dimension, str] = {
    D.requirements: "Put differently: what do you need to know about the product and its users before designing?",
    D.estimation: "In other words: how many requests a second, and how much data over time, should this handle?",
    D.high_level_design: "Put differently: what are the main boxes, and what happens from the moment a request arrives?",
    D.data: "In other words: what do you keep, in what kind of store, and how is it split across machines?",
    D.scalability: "Put differently: at ten times today's load, which part gives out first?",
    D.reliability: "In other words: pick a component and take it away. What does the user see?",
    D.trade_offs: "Put differently: what did that choice cost you, and what else could you have picked?",
    D.communication: "In other words: the design and its biggest risks, in a few sentences for the team?",
    D.situation: "Put differently: where were you, what was the system, and why did it matter?",
    D.task: "In other words: which part of this was yours to deliver?",
    D.action: "Put differently: what did you do yourself, in order?",
    D.result: "In other words: how did it turn out?",
    D.metrics: "Put differently: which numbers moved, and by how much?",
    D.reflection: "In other words: looking back, what would you do differently?",
}
# A smaller question for a candidate who is stuck: a first step, never the answer.
SMALLER: dict[Dimension, str] = {
    D.requirements: "Let's make it smaller: who uses this, and what is the one thing they do most often?",
    D.estimation: "Let's make it smaller: start from one number in the brief. What does it come to per second?",
    D.high_level_design: "Let's make it smaller: what happens to a single request, from the client to where the data lives?",
    D.data: "Let's make it smaller: what is the one lookup this system does most often, and by what key?",
    D.scalability: "Let's make it smaller: which single component sees every request?",
    D.reliability: "Let's make it smaller: if one server died right now, what would the user notice?",
    D.trade_offs: "Let's make it smaller: what is one thing your choice makes harder?",
    D.communication: "Let's make it smaller: what is the one risk you would tell the team about first?",
    D.situation: "Let's make it smaller: what was the team, and what was going wrong?",
    D.task: "Let's make it smaller: what were you asked to do, or what did you decide to take on?",
    D.action: "Let's make it smaller: what was the very first thing you did?",
    D.result: "Let's make it smaller: what was different a month later?",
    D.metrics: "Let's make it smaller: is there one number you remember from before and after?",
    D.reflection: "Let's make it smaller: what is one thing you would do differently?",
}
# Where to start, by phase: for "should I start with A or B?".
START: dict[str, str] = {
    "requirements": "Your call. Most people pin down the requirements and a rough scale first, then sketch the design.",
    "estimation": "Your call. A rough estimate of load and storage first usually pays off in the design.",
    "high_level_design": "Your call. I'd like the high-level picture first, then we'll go deep where it is hardest.",
    "deep_dive": "Your call. Go deep on the part you think is hardest to get right.",
    "wrap_up": "Your call. Pick the biggest risk in the design and tell me how you'd handle it.",
    "situation_and_task": "Your call. Start with the situation and what was at stake, then your part in it.",
    "actions": "Your call. Walk me through what you did yourself, in order.",
    "results": "Your call. Start with the outcome, in numbers if you have them.",
    "reflection": "Your call. Start with what you would do differently now.",
}

# Going deeper once every point is made and time remains: failure modes, limits, trade-offs.
DEEPER: dict[Kind, tuple[str, ...]] = {
    Kind.system_design: (
        "Let's go deeper. Take the part of your design you trust least: how does it fail, and what does the user see when it does?",
        "Suppose traffic grows tenfold over a year. What is the first thing in your design you would have to change?",
        "Where does your design hold state that would be painful to move or reshard later, and how would you do it if you had to?",
        "If you had half the budget, what would you cut from this design, and what risk would you be accepting?",
        "How would you know in production that this system is healthy? What would you measure and alert on?",
        "What is the hardest part of this design to test before launch, and how would you test it anyway?",
    ),
    Kind.behavioral: (
        "Let's go deeper. What was the hardest decision in that story, and what else did you consider?",
        "How did the people around you react, and did anyone disagree? What did you do about it?",
        "If you faced the same situation tomorrow, what would you do differently?",
        "What did this change in how your team works today?",
    ),
}


def all_asks() -> list[str]:
    """Every generic question the interviewer asks, to read back from its turns what was asked."""
    return [*PROBES.values(), *REPHRASED.values(), *SMALLER.values(), *(a for asks in DEEPER.values() for a in asks)]
