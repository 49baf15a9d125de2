"""Language-model providers: one interface, a litellm implementation, a scripted fake."""

from __future__ import annotations

from coach.config import Settings
from coach.llm.base import Message, Provider


def provider_from_settings(settings: Settings) -> Provider | None:
    """The configured LLM, or None when the offline coach is in charge."""
    if settings.offline:
        return None
    from coach.llm.litellm_provider import LiteLLMProvider

    return LiteLLMProvider(settings)


__all__ = ["Message", "Provider", "provider_from_settings"]
