"""REST endpoints: the public question bank, reports, health."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel

from coach import __version__
from coach.api.deps import ServicesDep
from coach.api.errors import NotReady, Unauthenticated, error_responses
from coach.api.security import REPORT_CSP
from coach.api.templates import render_report_html
from coach.bank.loader import dimension_weights
from coach.bank.models import Company, Difficulty, Dimension, Kind, Question
from coach.grading.models import GradeReport, LLMUsage
from coach.grading.report import render_markdown
from coach.llm.health import HealthReport
from coach.metrics import CONTENT_TYPE_LATEST
from coach.interview.manager import Unauthorized
from coach.interview.services import Services
from coach.storage import SessionRow
from coach.startup import mask_text

router = APIRouter()


class PublicQuestion(BaseModel):
    """A question as a candidate may see it: no brief, rubric or follow-ups (the interviewer's)."""

    id: str
    title: str
    prompt: str
    kind: Kind
    difficulty: Difficulty
    topics: list[str]
    companies: list[Company]
    # What it trains: each dimension its rubric grades, with its share of the weight (0-1).
    dimensions: dict[Dimension, float]

    @classmethod
    def of(cls, q: Question) -> PublicQuestion:
        return cls(
            id=q.id, title=q.title, prompt=q.prompt, kind=q.kind, difficulty=q.difficulty, topics=list(q.topics), companies=list(q.companies),
            dimensions={d: round(w, 3) for d, w in dimension_weights(q).items()},
        )


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    provider: str
    database: str
    questions: int


@router.get("/healthz", tags=["service"])
async def healthz(services: ServicesDep) -> Health:
    return Health(
        status="ok",
        version=__version__,
        provider=services.provider.model if services.provider else "offline",
        database="sqlite" if services.store.is_sqlite else "postgresql",
        questions=len(services.bank.questions),
    )


class Readiness(BaseModel):
    status: Literal["ready", "not_ready"]
    database: Literal["ok", "down"]
    database_error: str | None = None
    provider: str  # the configured model, or "offline"
    # ok, degraded (recent failures), down (skipped for a cool-down), unknown (no call yet) or
    # offline. A provider that is down does not make the service unready: the offline coach serves.
    provider_health: HealthReport


@router.get("/readyz", tags=["service"], responses={503: {"model": Readiness, "description": "The database cannot be reached."}})
async def readyz(services: ServicesDep) -> JSONResponse:
    """Readiness: the database answers a query; the model provider's state is reported.
    `/healthz` is liveness only (the process runs)."""
    error = None
    try:
        await services.store.db.read(lambda conn: conn.exec_driver_sql("SELECT 1").scalar())
    except Exception as exc:  # any driver failure means not ready; the reason is reported without secrets
        error = f"{type(exc).__name__}: {mask_text(str(exc).splitlines()[0] if str(exc) else '', services.settings)}"
    body = Readiness(
        status="not_ready" if error else "ready",
        database="down" if error else "ok",
        database_error=error,
        provider=services.provider.model if services.provider else "offline",
        provider_health=services.provider.health.report() if services.provider else HealthReport(state="offline"),
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=503 if error else 200)


@router.get("/api/questions", tags=["questions"], responses=error_responses(422))
async def list_questions(
    services: ServicesDep,
    kind: Kind | None = None,
    difficulty: Difficulty | None = None,
    topic: str | None = None,
    dimension: Dimension | None = None,
) -> list[PublicQuestion]:
    """The bank, filtered; `dimension` lists the questions that grade it, most weight first."""
    return [PublicQuestion.of(q) for q in services.bank.filter(kind=kind, difficulty=difficulty, topic=topic, dimension=dimension)]


@router.get("/api/questions/{question_id}", tags=["questions"], responses=error_responses(404, 422))
async def get_question(question_id: str, services: ServicesDep) -> PublicQuestion:
    return PublicQuestion.of(services.bank.get(question_id))


_FORMATS = {"json": "application/json", "md": "text/markdown", "html": "text/html"}


def _pick_format(explicit: str | None, accept: str) -> str:
    if explicit:
        return explicit
    for part in accept.split(","):
        mime = part.split(";")[0].strip()
        for name, value in _FORMATS.items():
            if mime == value:
                return name
    return "json"


@router.get("/metrics", tags=["service"], response_class=Response)
async def metrics(services: ServicesDep) -> Response:
    """Prometheus metrics: sessions, turns, first-delta latency, model calls and errors, tokens
    and cost, the CPU worker's queue."""
    return Response(services.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)


NO_STORE = "no-store"


class SessionSummary(BaseModel):
    """An interview as stored: its state, score and LLM usage (never the token)."""

    id: str
    question_id: str
    state: str  # active | ended
    provider: str
    prompts: str | None  # prompt versions an LLM session ran with
    created_at: datetime
    ended_at: datetime | None
    score: int | None
    usage: LLMUsage


async def _own_session(services: Services, session_id: str, authorization: str | None) -> SessionRow:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise Unauthenticated("send the session token as 'Authorization: Bearer <token>'")
    row = await services.store.get_session(session_id)
    if row is None or not row.token_matches(authorization[7:].strip()):
        raise Unauthorized()
    return row


@router.get("/api/sessions/{session_id}", tags=["sessions"], responses=error_responses(401, 404, 422))
async def get_session(
    session_id: str, services: ServicesDep, response: Response, authorization: Annotated[str | None, Header()] = None
) -> SessionSummary:
    """One interview's state, score and LLM usage; needs `Authorization: Bearer <session token>`."""
    row = await _own_session(services, session_id, authorization)
    response.headers["Cache-Control"] = NO_STORE
    return SessionSummary(
        id=row.id,
        question_id=row.question_id,
        state=row.state,
        provider=row.provider,
        prompts=row.prompts,
        created_at=row.created_at,
        ended_at=row.ended_at,
        score=row.score,
        usage=LLMUsage(prompt_tokens=row.prompt_tokens, completion_tokens=row.completion_tokens, cost_usd=row.cost_usd),
    )


@router.get(
    "/api/sessions/{session_id}/report",
    tags=["sessions"],
    responses={200: {"content": {v: {} for v in _FORMATS.values()}, "description": "The report"}, **error_responses(401, 404, 409, 422)},
)
async def get_report(
    session_id: str,
    services: ServicesDep,
    authorization: Annotated[str | None, Header()] = None,
    accept: Annotated[str, Header()] = "application/json",
    format: Annotated[Literal["json", "md", "html"] | None, Query()] = None,
) -> Response:
    """The graded report of an ended interview; needs `Authorization: Bearer <session token>`."""
    await _own_session(services, session_id, authorization)
    body = await services.store.get_report(session_id)
    if body is None:
        raise NotReady("this interview has not ended yet; send an 'end' frame to grade it")
    fmt = _pick_format(format, accept)
    # A report is the candidate's own: never kept by a shared cache or the browser's.
    private = {"Cache-Control": NO_STORE}
    if fmt == "md":
        return PlainTextResponse(render_markdown(GradeReport.model_validate(body)), media_type="text/markdown; charset=utf-8", headers=private)
    if fmt == "html":
        return HTMLResponse(render_report_html(GradeReport.model_validate(body)), headers={**private, "Content-Security-Policy": REPORT_CSP})
    return JSONResponse(body, headers=private)
