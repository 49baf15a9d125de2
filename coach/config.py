"""All configuration in one pydantic-settings class, read from COACH_* variables and `.env`."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from coach.bank.loader import DEFAULT_SEEDS_DIR


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COACH_", env_file=".env", extra="ignore")

    # A litellm model string such as openai/gpt-4o-mini or ollama/llama3.1; unset = offline coach.
    model: str | None = None
    api_base: str | None = None
    # Provider-native variables (OPENAI_API_KEY, ANTHROPIC_API_KEY, ...) work too.
    api_key: SecretStr | None = None
    # Comma-separated litellm model strings tried in order when the primary fails.
    fallback_models: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # The longest any one model call may take, whole reply included (a slow grader gives up
    # after this and the offline grader grades).
    request_timeout_s: float = Field(default=60.0, gt=0)
    # Seconds a streamed reply may wait for its first token before the offline coach answers.
    first_token_timeout_s: float = Field(default=8.0, gt=0)
    # How long an LLM reply's request waits for the grader's reading of the candidate's turn;
    # past it (and always at 0), the model is grounded on a quick reading of the turn
    # (coach.interview.grounding). Raise it (0.1, say) to ground replies on the full reading,
    # at the cost of up to this much more time to the first token.
    grounding_wait_s: float = Field(default=0.0, ge=0)
    # The longest silence between two pieces of a streamed reply (litellm's stream timeout).
    stream_timeout_s: float = Field(default=20.0, gt=0)
    # After this many failed calls in a row the model is skipped for provider_cooldown_s: the
    # offline coach answers at once instead of after another timeout.
    provider_failures: int = Field(default=3, ge=1)
    provider_cooldown_s: float = Field(default=30.0, ge=0)
    # One tiny request at start-up that tells the operator in the log whether the model works.
    check_provider: bool = True

    seeds_dir: Path = DEFAULT_SEEDS_DIR
    data_dir: Path = Path("data")
    # Default: SQLite in data_dir. PostgreSQL: postgresql+asyncpg://user:pass@host:5432/db
    database_url: str | None = None
    # LLM tokens (prompt + completion) one interview may use before the offline coach takes over.
    session_token_budget: int = Field(default=200_000, gt=0)
    # Redis (redis://host:6379/0) for state shared by several instances: the rate limits, word
    # that another instance took a session over, the model's cool-down and recovery.
    redis_url: str | None = None
    # Days a finished interview's frames (its replay) are kept; its turns and report stay for
    # good. 0 keeps everything.
    retention_days: int = Field(default=0, ge=0)
    # Rate limits ("N/second|minute|hour"): interviews started per client address, turns and
    # hints per interview; open websockets per address; candidate turns in one interview.
    limit_sessions: str = "10/minute"
    limit_turns: str = "20/minute"
    limit_hints: str = "10/minute"
    max_connections_per_address: int = Field(default=20, ge=1)
    max_turns_per_session: int = Field(default=200, ge=1)
    # A request whose headers are not complete this many seconds after they start is dropped
    # (slow clients must not hold connections); a websocket with no frame from its client for
    # idle_timeout_s is closed with an idle_timeout notice (its session stays resumable).
    header_timeout_s: float = Field(default=10.0, gt=0)
    idle_timeout_s: float = Field(default=1800.0, gt=0)
    # Largest websocket frame accepted from a client; larger ones are refused (close code 1009).
    max_frame_bytes: int = Field(default=65_536, ge=1024)
    # Web pages (origins such as https://coach.example.com) besides the service's own that may
    # open interview websockets; "*" allows any. Clients that send no Origin (scripts) are welcome.
    allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Logging: DEBUG, INFO, WARNING or ERROR; text lines or one JSON object per line.
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    # Derived data that is safe to delete, such as embeddings of the question bank.
    cache_dir: Path = Field(default_factory=lambda: Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "coach")

    @field_validator("log_level", "log_format", mode="before")
    @classmethod
    def _case(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        return value.strip().upper() if value.strip().lower() in ("debug", "info", "warning", "error") else value.strip().lower()

    @field_validator("limit_sessions", "limit_turns", "limit_hints")
    @classmethod
    def _rate(cls, value: str) -> str:
        from limits import parse

        try:
            parse(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a rate such as 10/minute") from None
        return value

    @field_validator("model", "api_base", "api_key", "database_url", "redis_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str | None) -> str | None:
        # postgresql:// and postgres:// (what hosting platforms hand out) mean asyncpg here.
        for scheme in ("postgresql://", "postgres://"):
            if value and value.startswith(scheme):
                return "postgresql+asyncpg://" + value[len(scheme) :]
        return value

    @field_validator("fallback_models", "allowed_origins", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @property
    def resolved_database_url(self) -> str:
        from coach.storage.store import sqlite_url

        return self.database_url or sqlite_url(self.data_dir)

    @property
    def offline(self) -> bool:
        return self.model is None

    def describe_provider(self) -> str:
        """Which provider is active, for logs and clients; never includes secrets."""
        if self.offline:
            return "offline coach (no LLM configured; set COACH_MODEL to use one)"
        from coach.startup import mask_url

        where = f" at {mask_url(self.api_base)}" if self.api_base else ""
        extra = f", fallbacks {', '.join(self.fallback_models)}" if self.fallback_models else ""
        return f"{self.model}{where}{extra}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
