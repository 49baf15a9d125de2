"""ProviderHealth: failures, the cool-down and the trial call after it."""

import pytest

from coach.llm.health import ProviderHealth, ProviderUnavailable


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_offline_and_unknown_until_a_call():
    assert ProviderHealth(None).state == "offline"
    assert ProviderHealth("openai/x").state == "unknown"


def test_failures_degrade_then_cool_down_then_a_trial_call():
    clock = Clock()
    health = ProviderHealth("openai/x", threshold=3, cooldown_s=30, clock=clock)
    health.failed("Timeout: no reply")
    health.failed("Timeout: no reply")
    assert health.state == "degraded"
    health.check()  # still tried
    health.failed("Timeout: no reply")
    assert health.state == "down"
    with pytest.raises(ProviderUnavailable, match="3 failures in a row; last: Timeout"):
        health.check()
    report = health.report()
    assert report.retry_in_s == 30 and report.consecutive_failures == 3 and report.last_error == "Timeout: no reply"
    clock.now += 30
    assert health.state == "degraded"
    health.check()  # the trial call goes through
    health.failed("still down")
    assert health.state == "down", "a failed trial starts another cool-down"
    clock.now += 30
    health.succeeded()
    assert health.state == "ok" and health.report().consecutive_failures == 0


@pytest.mark.parametrize(
    ("reason", "setting"),
    [
        ("AuthenticationError (HTTP 401): litellm.AuthenticationError: Incorrect API key provided", "COACH_API_KEY"),
        ("NotFoundError (HTTP 404): The model `gpt-5-nano-x` does not exist", "COACH_MODEL"),
        ("InternalServerError (HTTP 500): litellm.InternalServerError: OpenAIException - Connection error.", "COACH_API_BASE"),
        ("no reply within 8 s (COACH_FIRST_TOKEN_TIMEOUT_S, COACH_REQUEST_TIMEOUT_S)", "COACH_FIRST_TOKEN_TIMEOUT_S"),
        ("BadRequestError: LLM Provider NOT provided. Pass in the LLM provider you are trying to call", "COACH_MODEL"),
    ],
)
def test_advice_names_the_setting_to_fix(reason, setting):
    from coach.llm.health import advice

    assert setting in advice(reason)
