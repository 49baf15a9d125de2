"""Logging: the level setting, JSON lines, and the session id on lines about a session."""

import asyncio
import io
import json
import logging
import logging.config

import pytest

from coach import logs
from coach.config import Settings


@pytest.fixture
def captured():
    def setup(level: str, fmt: str) -> io.StringIO:
        config = logs.config(level, fmt)
        stream = io.StringIO()
        config["handlers"]["default"]["stream"] = stream
        logging.config.dictConfig(config)
        return stream

    yield setup
    logging.getLogger("coach").handlers.clear()
    logging.getLogger("coach").propagate = True
    logging.getLogger("coach").setLevel(logging.NOTSET)


def test_json_lines_carry_the_session_of_the_task_that_logged_them(captured):
    stream = captured("INFO", "json")
    log = logging.getLogger("coach.test")

    async def session_work() -> None:
        logs.bind_session("abc123")
        # Work the session starts later (a reply, suggestions) inherits its id.
        await asyncio.create_task(asyncio.sleep(0, result=None))
        await asyncio.get_running_loop().create_task(_log_later(log))

    asyncio.run(session_work())
    log.info("not about a session")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines[0]["session_id"] == "abc123" and lines[0]["message"] == "reply streamed" and lines[0]["level"] == "INFO"
    assert lines[1]["session_id"] is None and lines[1]["logger"] == "coach.test" and lines[1]["time"].endswith("+00:00")


async def _log_later(log: logging.Logger) -> None:
    log.info("reply streamed")


def test_the_level_setting_filters_and_text_lines_name_the_session(captured):
    stream = captured("WARNING", "text")
    log = logging.getLogger("coach.test")
    log.info("hidden")

    async def about_a_session() -> None:
        logs.bind_session("s-1")
        log.warning("provider failed")

    asyncio.run(about_a_session())
    out = stream.getvalue()
    assert "hidden" not in out and "WARNING coach.test [session s-1]: provider failed" in out


def test_log_settings_accept_any_case_and_refuse_unknown_values(monkeypatch):
    monkeypatch.setenv("COACH_LOG_LEVEL", "debug")
    monkeypatch.setenv("COACH_LOG_FORMAT", "JSON")
    assert (Settings().log_level, Settings().log_format) == ("DEBUG", "json")
    monkeypatch.setenv("COACH_LOG_LEVEL", "loud")
    with pytest.raises(ValueError):
        Settings()
