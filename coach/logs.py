"""Logging for `coach serve`: a level, text or JSON lines, and the session each line is about.

The session id travels in a context variable set when a connection starts or resumes a session;
asyncio tasks copy their context when created, so the reply, suggestion and grading work done
for that session logs with its id without passing it around.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

session_id: ContextVar[str | None] = ContextVar("coach_session_id", default=None)


def bind_session(value: str) -> None:
    """Lines logged from here on in this task (and tasks it starts) are about this session."""
    session_id.set(value)


class SessionFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.session_id = session_id.get()
        record.session = f" [session {record.session_id}]" if record.session_id else ""
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, session_id, and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "session_id": getattr(record, "session_id", None),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def config(level: str = "INFO", fmt: str = "text") -> dict[str, Any]:
    """A logging.config.dictConfig for the service and uvicorn."""
    formatter: dict[str, Any] = (
        {"()": JsonFormatter} if fmt == "json" else {"format": "%(asctime)s %(levelname)s %(name)s%(session)s: %(message)s"}
    )
    handler = {"class": "logging.StreamHandler", "formatter": "coach", "filters": ["session"], "stream": "ext://sys.stderr"}
    logger = {"handlers": ["default"], "level": level, "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"session": {"()": SessionFilter}},
        "formatters": {"coach": formatter},
        "handlers": {"default": handler},
        "loggers": {"coach": logger, "uvicorn": logger, "uvicorn.error": {"level": level}, "uvicorn.access": {"handlers": [], "propagate": False}},
    }
