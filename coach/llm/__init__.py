"""Language-model providers: one interface, a litellm implementation, a scripted fake, and the
metered wrapper every call of the service goes through."""

from __future__ import annotations

from coach.config import Settings
from coach.llm.base import Message, Provider
from coach.llm.health import ProviderHealth
from coach.llm.metered import MeteredProvider
from coach.metrics import Metrics


def provider_from_settings(settings: Settings) -> Provider | None:
    """The configured LLM, or None when the offline coach is in charge."""
    if settings.offline:
        return None
    from coach.llm.litellm_provider import LiteLLMProvider

    return LiteLLMProvider(settings)


def metered_provider(provider: Provider | None, settings: Settings, metrics: Metrics | None = None) -> MeteredProvider | None:
    """`provider` behind the settings' timeouts and a fresh health record."""
    if provider is None:
        return None
    health = ProviderHealth(provider.model, settings.provider_failures, settings.provider_cooldown_s)
    return MeteredProvider(
        provider,
        health,
        first_token_timeout_s=settings.first_token_timeout_s,
        total_timeout_s=settings.request_timeout_s,
        metrics=metrics,
    )


__all__ = ["Message", "MeteredProvider", "Provider", "metered_provider", "provider_from_settings"]
