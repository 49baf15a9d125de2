"""A global switch that keeps tests from ever calling a real model provider.

Tests set `ALLOW_MODEL_REQUESTS = False`; then only local endpoints (loopback addresses and
the reserved `.test` domain, which respx mocks use) may be called.
"""

from __future__ import annotations

from ipaddress import ip_address
from urllib.parse import urlparse

from coach.errors import ProviderError

ALLOW_MODEL_REQUESTS = True


def _local(api_base: str | None) -> bool:
    if not api_base:
        return False
    host = urlparse(api_base).hostname or ""
    if host == "localhost" or host.endswith(".test"):
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def guard_model_request(api_base: str | None) -> None:
    if not ALLOW_MODEL_REQUESTS and not _local(api_base):
        raise ProviderError(f"model requests to {api_base or 'the provider default endpoint'} are disabled here (tests); use a local fake")
