"""What keeps other web pages out: the websocket's origin rule, and the headers every HTTP
response carries (a strict Content-Security-Policy on pages, nosniff, no framing, no referrer).

A browser always sends Origin on a websocket handshake; scripts and the README's Python client
send none and stay welcome, since cross-site hijacking needs a victim's browser.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from fastapi import FastAPI, Request, Response

# Our own pages: scripts and styles only from our files, no inline script, no framing.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'"
)
# A report page is one self-contained file a candidate may save: its own inline style, no script.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": PAGE_CSP,
}


def install_headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in _HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def origin_allowed(origin: str | None, host: str | None, allowed: list[str]) -> bool:
    """The websocket's rule: no Origin (not a browser), the service's own origin (same host and
    port as the request), or one of COACH_ALLOWED_ORIGINS ("*" allows any)."""
    if origin is None:
        return True
    if "*" in allowed or origin.rstrip("/") in {a.rstrip("/") for a in allowed}:
        return True
    return host is not None and urlsplit(origin).netloc.lower() == host.lower()
