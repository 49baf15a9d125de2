"""Websocket protocol v1 at /ws/interview: every frame as a pydantic model.

Frames are UTF-8 JSON text, one object each, with a `type`. Server frames that belong to a
session carry `seq`, starting at 1 and rising by one per frame of that session; they are
stored and replayed on `resume`. `error` and `pong` answer one connection, carry `seq: 0`
and are never replayed. docs/protocol.md describes the contract; `coach protocol-schema`
prints the JSON Schema generated from these models.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError, field_validator

from coach.bank.models import Difficulty, Kind
from coach.errors import CoachError
from coach.grading.models import GradeReport

PROTOCOL_VERSION = 1


class ProtocolError(CoachError):
    """A client frame that cannot be used; the connection stays open."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class _Frame(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- client to server -----------------------------------------------------------------------

Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
# Ids and tokens the server hands out are short; anything longer is not one of ours.
Id = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_-]+$")]
# practice: the coach's suggestions follow every turn; interview: only when the client asks
# for a hint (nothing is computed, and no model is asked, for suggestions nobody sees).
Mode = Literal["practice", "interview"]


class Start(_Frame):
    """Start an interview: a given question, or one picked by the filters."""

    type: Literal["start"]
    question_id: str | None = None
    kind: Kind | None = None
    difficulty: Difficulty | None = None
    topic: str | None = None
    mode: Mode = "practice"


class Resume(_Frame):
    """Reattach to a session; the server replays every frame with seq > last_seq."""

    type: Literal["resume"]
    session_id: Id
    token: Id
    # A seq is stored as a signed 64-bit integer.
    last_seq: int = Field(ge=0, le=2**63 - 1)
    mode: Mode = "practice"


class Say(_Frame):
    """One candidate turn."""

    type: Literal["say"]
    text: Text

    @field_validator("text")
    @classmethod
    def _no_nul(cls, value: str) -> str:
        # U+0000 cannot be stored in a PostgreSQL text column; it carries no meaning in a turn.
        return value.replace("\x00", "\ufffd")


class Hint(_Frame):
    type: Literal["hint"]


class End(_Frame):
    """End the interview and grade it."""

    type: Literal["end"]


class Ping(_Frame):
    type: Literal["ping"]


ClientFrame = Annotated[Start | Resume | Say | Hint | End | Ping, Field(discriminator="type")]
_client = TypeAdapter(ClientFrame)
CLIENT_TYPES = ("start", "resume", "say", "hint", "end", "ping")


def parse_client_frame(raw: str | bytes) -> Start | Resume | Say | Hint | End | Ping:
    """Parse one client frame or raise ProtocolError with a stable code."""
    if isinstance(raw, bytes):
        raise ProtocolError("invalid_frame", "frames must be UTF-8 JSON text, not binary")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ProtocolError("invalid_json", f"frame is not valid JSON: {exc.msg} at position {exc.pos}") from None
    except RecursionError:
        raise ProtocolError("invalid_json", "frame is nested too deeply") from None
    except ValueError:  # an integer of more digits than Python converts (4,300)
        raise ProtocolError("invalid_json", "frame holds a number too long to read") from None
    if not isinstance(data, dict):
        raise ProtocolError("invalid_frame", "a frame must be a JSON object with a 'type'")
    if not _valid_unicode(data):
        raise ProtocolError("invalid_frame", "frame text must be valid Unicode: it holds an unpaired surrogate (\\ud800-\\udfff)")
    kind = data.get("type")
    if kind not in CLIENT_TYPES:
        shown = repr(kind)[:40]  # never echo a large field back
        raise ProtocolError("unknown_type", f"unknown frame type {shown}; expected one of {', '.join(CLIENT_TYPES)}")
    try:
        return _client.validate_python(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'frame'}: {e['msg']}" for e in exc.errors()[:3]
        )
        raise ProtocolError("invalid_frame", f"invalid {kind} frame: {problems}") from None


def _valid_unicode(value: object, depth: int = 0) -> bool:
    """No string anywhere in `value` holds an unpaired surrogate (JSON allows them; UTF-8
    cannot encode them, so storing or echoing one would fail)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if depth > 32:  # deeper than any frame of ours: validation refuses its shape anyway
        return True
    if isinstance(value, dict):
        return all(_valid_unicode(k, depth + 1) and _valid_unicode(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return all(_valid_unicode(v, depth + 1) for v in value)
    return True


# --- server to client -----------------------------------------------------------------------


class _Server(_Frame):
    seq: int = 0


class QuestionInfo(BaseModel):
    id: str
    title: str
    prompt: str
    kind: Kind
    difficulty: Difficulty


class SessionFrame(_Server):
    type: Literal["session"] = "session"
    session_id: str
    token: str
    question: QuestionInfo
    provider: str
    protocol: int = PROTOCOL_VERSION


class InterviewerDelta(_Server):
    type: Literal["interviewer.delta"] = "interviewer.delta"
    turn: int
    text: str


class CandidateTurn(_Server):
    """The candidate's turn as stored: a client that resumes elsewhere (another device, a
    browser that lost its copy) rebuilds the whole transcript from the frames."""

    type: Literal["candidate"] = "candidate"
    turn: int
    text: str


class InterviewerDone(_Server):
    """The interviewer's whole turn. Authoritative: clients replace the streamed text with it."""

    type: Literal["interviewer.done"] = "interviewer.done"
    turn: int
    text: str


class Suggestion(BaseModel):
    category: Literal["key_service", "pattern", "trade_off", "nudge", "story"]
    title: str
    detail: str


class Suggestions(_Server):
    type: Literal["suggestions"] = "suggestions"
    turn: int
    items: list[Suggestion]
    # Where they came from: the LLM, or the offline coach (no LLM, or the LLM failed).
    source: Literal["model", "offline"] = "offline"
    # True when the candidate asked for them (Hint), so the report can count hints used.
    asked: bool = False


class Coverage(_Server):
    type: Literal["coverage"] = "coverage"
    covered: list[str]
    total: int


class Phase(_Server):
    type: Literal["phase"] = "phase"
    phase: str
    elapsed_s: int
    budget_s: int
    # Seconds until this phase's scheduled end (negative once past it); absent in frames
    # stored before it existed.
    left_s: int | None = None


class Report(_Server):
    type: Literal["report"] = "report"
    report: GradeReport


class Notice(_Server):
    type: Literal["notice"] = "notice"
    code: str
    message: str


class Error(_Server):
    type: Literal["error"] = "error"
    code: str
    message: str
    # rate_limited: seconds until the refused frame would be accepted.
    retry_after_s: float | None = None


class Pong(_Server):
    type: Literal["pong"] = "pong"


ServerFrame = Annotated[
    SessionFrame | CandidateTurn | InterviewerDelta | InterviewerDone | Suggestions | Coverage | Phase | Report | Notice | Error | Pong,
    Field(discriminator="type"),
]


CLIENT_FRAMES: tuple[type[BaseModel], ...] = (Start, Resume, Say, Hint, End, Ping)
SERVER_FRAMES: tuple[type[BaseModel], ...] = (
    SessionFrame,
    CandidateTurn,
    InterviewerDelta,
    InterviewerDone,
    Suggestions,
    Coverage,
    Phase,
    Report,
    Notice,
    Error,
    Pong,
)


def json_schema() -> dict[str, Any]:
    """JSON Schema of every frame in both directions, generated from the models above."""
    from pydantic.json_schema import models_json_schema

    _, top = models_json_schema(
        [(m, "validation") for m in CLIENT_FRAMES + SERVER_FRAMES], ref_template="#/$defs/{model}"
    )
    defs = top["$defs"]
    defs["ClientFrame"] = {"oneOf": [{"$ref": f"#/$defs/{m.__name__}"} for m in CLIENT_FRAMES]}
    defs["ServerFrame"] = {"oneOf": [{"$ref": f"#/$defs/{m.__name__}"} for m in SERVER_FRAMES]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Coach interview protocol v{PROTOCOL_VERSION}",
        "description": "One frame: a client frame (ClientFrame) or a server frame (ServerFrame).",
        "oneOf": [{"$ref": "#/$defs/ClientFrame"}, {"$ref": "#/$defs/ServerFrame"}],
        "$defs": defs,
    }
