"""The provider's health shared between instances through Redis (coach.llm.shared_health):
a cool-down one instance starts reaches the others, and so does the recovery."""

import time

from fastapi.testclient import TestClient

from coach.api.app import create_app
from coach.config import Settings
from coach.llm.health import ProviderHealth


def instance(tmp_path, name: str, redis_url: str) -> TestClient:
    settings = Settings(
        data_dir=tmp_path / name, cache_dir=tmp_path / "cache", redis_url=redis_url,
        model="openai/fake-model", api_base="http://127.0.0.1:9/v1", api_key="sk-fake", check_provider=False,
    )
    return TestClient(create_app(settings))


def eventually(condition, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_a_cool_down_and_a_recovery_reach_the_other_instance(tmp_path, redis_url):
    with instance(tmp_path, "a", redis_url) as a, instance(tmp_path, "b", redis_url) as b:
        health_a: ProviderHealth = a.app.state.services.provider.health
        health_b: ProviderHealth = b.app.state.services.provider.health
        for _ in range(health_a.threshold):
            a.portal.call(_fail, health_a)
        assert health_a.state == "down"
        assert eventually(lambda: health_b.state == "down"), "B skips the model without its own failures"
        assert "connection refused" in (health_b.report().last_error or "")
        a.portal.call(_succeed, health_a)
        assert eventually(lambda: health_b.state == "ok"), "A's successful trial tells B"


async def _fail(health: ProviderHealth) -> None:
    health.failed("APIConnectionError: connection refused")


async def _succeed(health: ProviderHealth) -> None:
    health.succeeded()


def test_without_redis_nothing_is_shared(tmp_path):
    settings = Settings(data_dir=tmp_path / "d", cache_dir=tmp_path / "c", model="openai/fake-model", api_base="http://127.0.0.1:9/v1", api_key="sk-fake", check_provider=False)
    with TestClient(create_app(settings)) as client:
        health: ProviderHealth = client.app.state.services.provider.health
        assert health.on_down is None and health.on_up is None
