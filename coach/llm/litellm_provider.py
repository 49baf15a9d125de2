"""Any litellm-supported model behind the Provider interface. The only module that imports litellm.

litellm is imported lazily (it costs about 3 s and 160 MB) and configured for machines
without internet: a local cost map, no tokenizer downloads, tiktoken encodings from the
copies litellm ships.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import AsyncIterator
from functools import cached_property, lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from coach.config import Settings
from coach.errors import ProviderError
from coach.llm.base import Limits, Message, Provider, Usage
from coach.llm.guard import guard_model_request

PRIMARY = "primary"


def prepare_offline_environment() -> None:
    """Environment litellm and tiktoken read at import: never reach for the internet."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    spec = importlib.util.find_spec("litellm")
    if spec and spec.origin:
        tokenizers = Path(spec.origin).parent / "litellm_core_utils" / "tokenizers"
        os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(tokenizers))
        os.environ.setdefault("CUSTOM_TIKTOKEN_CACHE_DIR", str(tokenizers))


@lru_cache(maxsize=1)
def _litellm() -> ModuleType:
    prepare_offline_environment()
    import litellm

    litellm.suppress_debug_info = True
    litellm.telemetry = False
    return litellm


def _params(model: str, settings: Settings) -> dict[str, Any]:
    params: dict[str, Any] = {
        "model": model,
        "timeout": settings.request_timeout_s,
        "stream_timeout": settings.stream_timeout_s,
        # The openai client retries twice by default; fallbacks decide instead.
        "max_retries": 0,
    }
    if settings.api_base:
        params["api_base"] = settings.api_base
    if settings.api_key:
        params["api_key"] = settings.api_key.get_secret_value()
    return params


class LiteLLMProvider(Provider):
    """Streams from the configured model; with fallback models, through a litellm Router.

    Without fallbacks the Router has nothing to decide, and it costs about 1.4 ms before the
    first token and 2 ms of CPU per call (bench/serve_latency.py runs without it), so the
    call goes straight to litellm with the same parameters.
    """

    def __init__(self, settings: Settings) -> None:
        if not settings.model:
            raise ProviderError("no model configured; set COACH_MODEL, e.g. COACH_MODEL=openai/gpt-4o-mini")
        self.model = settings.model
        self._api_base = settings.api_base
        self._secrets = [settings.api_key.get_secret_value()] if settings.api_key else []
        params = _params(settings.model, settings)
        # Without a Router, litellm takes one `timeout`: the stream's for streams.
        direct = {k: v for k, v in params.items() if k != "stream_timeout"}
        self._direct = {False: direct, True: {**direct, "timeout": settings.stream_timeout_s}}
        self._router: Any = None
        if settings.fallback_models:
            names = [f"fallback-{i}" for i in range(len(settings.fallback_models))]
            model_list = [{"model_name": PRIMARY, "litellm_params": params}]
            model_list += [
                {"model_name": n, "litellm_params": _params(m, settings)}
                for n, m in zip(names, settings.fallback_models, strict=True)
            ]
            self._router = _litellm().Router(model_list=model_list, fallbacks=[{PRIMARY: names}], num_retries=0)

    async def _acompletion(self, **kwargs: Any) -> Any:
        if self._router is not None:
            return await self._router.acompletion(model=PRIMARY, **kwargs)
        return await _litellm().acompletion(**self._direct[bool(kwargs.get("stream"))], **kwargs)

    async def warm(self) -> None:
        """Pay litellm's lazy loading now rather than in the first interview's first reply.

        A mock response runs the completion path without any network call (0.6-0.9 s). It
        skips two things a real call loads on first use, adding ~0.5 s to the first reply
        (measured): the openai SDK's resource modules, which litellm calls OpenAI-compatible
        servers through, and the tokenizer litellm counts cost with.
        """
        try:
            await self._acompletion(messages=[{"role": "user", "content": "warm-up"}], mock_response="ok")
            importlib.import_module("openai.resources")
            _litellm().token_counter(model=self.model, messages=[{"role": "user", "content": "warm-up"}])
        except Exception:  # warming is best effort; real calls report their own errors
            pass

    @cached_property
    def _context_window(self) -> int:
        try:
            info = _litellm().get_model_info(self.model)
            return int(info.get("max_input_tokens") or info.get("max_tokens") or 8192)
        except Exception:  # unknown models raise; a local server's model is unknown by design
            return 8192

    def context_window(self) -> int:
        return self._context_window

    def cost_usd(self, prompt_tokens: int, completion_tokens: int) -> float:
        try:
            prompt_cost, completion_cost = _litellm().cost_per_token(
                model=self.model, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens
            )
            return float(prompt_cost + completion_cost)
        except Exception:  # no price known for this model
            return 0.0

    def _request(self, messages: list[Message], response_format: dict[str, Any] | None, limits: Limits | None) -> dict[str, Any]:
        guard_model_request(self._api_base)
        kwargs: dict[str, Any] = {"messages": messages, **(limits or {})}
        if response_format is not None:
            kwargs["response_format"] = response_format
        return kwargs

    @cached_property
    def _stream_usage(self) -> dict[str, Any]:
        """Ask a streamed reply to end with the tokens it used, where the provider takes the
        parameter (litellm refuses unknown parameters rather than dropping them)."""
        try:
            model, provider, _, _ = _litellm().get_llm_provider(self.model)
            supported = _litellm().get_supported_openai_params(model=model, custom_llm_provider=provider) or []
        except Exception:  # an unknown provider: do not risk a refused request
            supported = []
        return {"stream_options": {"include_usage": True}} if "stream_options" in supported else {}

    async def complete(
        self, messages: list[Message], *, response_format: dict[str, Any] | None = None, limits: Limits | None = None, usage: Usage | None = None
    ) -> str:
        """One non-streamed call: for structured output nobody watches token by token, it costs
        far less CPU than a stream (no per-chunk parsing, no chunk rebuilding at the end)."""
        try:
            response = await self._acompletion(**self._request(messages, response_format, limits))
            _reported(response, usage)
            return response.choices[0].message.content or ""
        except ProviderError:
            raise
        except Exception as exc:  # litellm raises many exception types; all mean the same here
            raise ProviderError(describe_error(exc, self._secrets)) from exc

    async def stream(
        self, messages: list[Message], *, response_format: dict[str, Any] | None = None, limits: Limits | None = None, usage: Usage | None = None
    ) -> AsyncIterator[str]:
        try:
            response = await self._acompletion(**self._request(messages, response_format, limits), **self._stream_usage, stream=True)
            async for chunk in response:
                _reported(chunk, usage)
                choices = getattr(chunk, "choices", None)
                if choices and choices[0].delta and choices[0].delta.content:
                    yield choices[0].delta.content
        except ProviderError:
            raise
        except Exception as exc:  # litellm raises many exception types; all mean the same here
            raise ProviderError(describe_error(exc, self._secrets)) from exc


def _reported(response: Any, usage: Usage | None) -> None:
    """Copy the tokens the server reports (the last chunk of a stream carries them) into `usage`."""
    counted = getattr(response, "usage", None)
    if usage is not None and counted is not None and getattr(counted, "prompt_tokens", None):
        usage.report(int(counted.prompt_tokens), int(counted.completion_tokens or 0))


def describe_error(exc: Exception, secrets: list[str] | None = None) -> str:
    """A one-line description of a provider failure that never includes credentials."""
    status = getattr(exc, "status_code", None)
    kind = type(exc).__name__
    message = str(getattr(exc, "message", "") or exc).splitlines()[0][:300] if str(exc) else kind
    env_secrets = [os.environ.get(v, "") for v in ("COACH_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY")]
    for secret in [*(secrets or []), *env_secrets]:
        if len(secret) >= 6:
            message = message.replace(secret, "***")
    return f"{kind}{f' (HTTP {status})' if status else ''}: {message}"
