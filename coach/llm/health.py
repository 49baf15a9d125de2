"""What the service knows about its model provider: working, failing, or skipped for a while.

    ok --failure--> degraded --(threshold consecutive failures)--> down (cool-down)
    down --(cool-down over: the next call is a trial)--> degraded
    any --success--> ok

While the provider is down every call is refused at once (ProviderUnavailable), so candidates
get the offline coach's answer without waiting for another timeout. One shared instance per
process; `/readyz` reports it. With several instances, a cool-down one of them starts, and the
recovery one of them sees, reach the others (coach.llm.shared_health).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel

from coach.errors import ProviderError

State = Literal["offline", "unknown", "ok", "degraded", "down"]


class ProviderUnavailable(ProviderError):
    """The provider is in its cool-down after repeated failures; no request was made."""

    code = "provider_unavailable"


# The fix for a provider failure, by words in describe_error's line (lower case): the exception's
# name, the HTTP status or the message. The first match wins.
_ADVICE = (
    (("authenticationerror", "http 401", "http 403", "permissiondenied"), "check COACH_API_KEY (or the provider's own key variable, such as OPENAI_API_KEY)"),
    (("notfounderror", "http 404"), "check COACH_MODEL: the server does not serve that model (and COACH_API_BASE, if the path is wrong)"),
    (("apiconnectionerror", "serviceunavailable", "connection error", "connection refused", "cannot connect"), "check COACH_API_BASE: nothing answers there, or the server is down"),
    (("no reply within", "timeout"), "the endpoint accepts connections but does not answer in time: check that the server is running and the model is loaded, or raise COACH_FIRST_TOKEN_TIMEOUT_S"),
    (("badrequesterror", "http 400", "llm provider not provided"), "check COACH_MODEL: a litellm model string with its provider, such as openai/gpt-4o-mini or ollama/llama3.1"),
)


def advice(reason: str) -> str:
    """What an operator should change, given a provider failure's description."""
    lowered = reason.lower()
    for needles, fix in _ADVICE:
        if any(n in lowered for n in needles):
            return fix
    return "check COACH_MODEL, COACH_API_BASE and the key"


class HealthReport(BaseModel):
    """The provider's state as `/readyz` shows it; the error never contains secrets."""

    state: State
    model: str | None = None
    consecutive_failures: int = 0
    last_error: str | None = None
    last_error_at: datetime | None = None
    retry_in_s: float | None = None


class ProviderHealth:
    def __init__(self, model: str | None, threshold: int = 3, cooldown_s: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.model = model
        self.threshold = threshold
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._state: State = "offline" if model is None else "unknown"
        self._failures = 0
        self._until = 0.0
        self._error: str | None = None
        self._error_at: datetime | None = None
        # Told when this instance starts a cool-down (seconds, reason) or sees the provider
        # answer again after failures (coach.llm.shared_health passes it on to other instances).
        self.on_down: Callable[[float, str | None], None] | None = None
        self.on_up: Callable[[], None] | None = None

    @property
    def state(self) -> State:
        if self._state == "down" and self._clock() >= self._until:
            return "degraded"  # the cool-down is over: the next call is a trial
        return self._state

    def check(self) -> None:
        """Raise ProviderUnavailable while the provider is cooling down."""
        if self.state == "down":
            left = self._until - self._clock()
            raise ProviderUnavailable(f"skipped for {left:.0f} s more after {self._failures} failures in a row; last: {self._error}")

    def succeeded(self) -> None:
        recovered = self._state in ("degraded", "down")
        self._state, self._failures = "ok", 0
        if recovered and self.on_up is not None:
            self.on_up()

    def failed(self, reason: str) -> None:
        """Count a failure; `reason` must already be free of secrets (describe_error)."""
        self._failures += 1
        self._error, self._error_at = reason, datetime.now(UTC)
        if self._failures >= self.threshold:
            self._cool_down(self.cooldown_s)
        else:
            self._state = "degraded"

    def down(self) -> None:
        """Start the cool-down now, whatever the count: the start-up check found the provider
        broken (its failure is already recorded by `failed`)."""
        self._cool_down(self.cooldown_s)

    def _cool_down(self, seconds: float) -> None:
        self._state, self._until = "down", self._clock() + seconds
        if self.on_down is not None:
            self.on_down(seconds, self._error)

    def heard_down(self, seconds: float, reason: str | None) -> None:
        """Another instance started a cool-down: skip the provider here too, for as long."""
        self._failures = max(self._failures, self.threshold)
        self._error, self._error_at = reason, datetime.now(UTC)
        self._state, self._until = "down", self._clock() + seconds

    def heard_up(self) -> None:
        """Another instance's trial call succeeded: the provider answers again."""
        self._state, self._failures = "ok", 0

    def report(self) -> HealthReport:
        state = self.state
        return HealthReport(
            state=state,
            model=self.model,
            consecutive_failures=self._failures,
            last_error=self._error,
            last_error_at=self._error_at,
            retry_in_s=round(self._until - self._clock(), 1) if state == "down" else None,
        )
