"""The one place that turns domain errors into HTTP responses and websocket error frames."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from coach.errors import BankError, CoachError, InvalidInput, ProviderError, UnknownQuestion
from coach.interview.manager import Unauthorized
from coach.interview.errors import Busy, SessionEnded, Superseded, TurnLimit
from coach.api.rate_limits import RateLimited
from coach.protocol import Error, ProtocolError
from coach.storage import StorageError


class NotFound(CoachError):
    code = "not_found"


class Unauthenticated(CoachError):
    code = "unauthenticated"


class NotReady(CoachError):
    code = "not_ready"


STATUS: dict[type[CoachError], int] = {
    UnknownQuestion: 404,
    Unauthorized: 404,
    InvalidInput: 422,
    ProtocolError: 422,
    Busy: 409,
    TurnLimit: 409,
    Superseded: 409,
    RateLimited: 429,
    SessionEnded: 409,
    ProviderError: 502,
    StorageError: 503,
    BankError: 500,
    NotFound: 404,
    Unauthenticated: 401,
    NotReady: 409,
}


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    """Every REST error: a stable `code` to branch on and a message for people."""

    error: ErrorDetail


_MEANING = {
    401: "No session token: send `Authorization: Bearer <token>`",
    404: "Not found (or the token does not open it)",
    409: "Not possible in the current state",
    422: "Invalid parameters",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, object]]:
    """OpenAPI entries for the errors a route can answer, all shaped as `ErrorBody`."""
    return {status: {"model": ErrorBody, "description": _MEANING[status]} for status in statuses}


def _body(code: str, message: str) -> dict[str, object]:
    return ErrorBody(error=ErrorDetail(code=code, message=message)).model_dump()


def status_for(exc: CoachError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]  # type: ignore[index]
    return 500


def error_frame(exc: CoachError) -> str:
    """A websocket error frame; it answers one connection, so it carries seq 0."""
    retry = getattr(exc, "retry_after_s", None)
    return Error(code=exc.code, message=exc.message, retry_after_s=retry).model_dump_json(exclude_none=True)


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = f"{where}: {first['msg']}"
        return JSONResponse(_body("invalid_request", message), status_code=422)

    @app.exception_handler(CoachError)
    async def _coach_error(_request: Request, exc: CoachError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthenticated) else None
        if isinstance(exc, RateLimited):
            headers = {"Retry-After": str(int(exc.retry_after_s + 0.999))}
        return JSONResponse(_body(exc.code, exc.message), status_code=status_for(exc), headers=headers)
