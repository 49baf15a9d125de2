"""What `coach serve` checks before it says it is ready: the settings, the port and the
database. Each failure is one line that names the setting and the fix (the CLI prints it and
exits with code 2), never a traceback, and never a password.
"""

from __future__ import annotations

import asyncio
import socket
from urllib.parse import urlsplit, urlunsplit

from pydantic import ValidationError

from coach.config import Settings
from coach.errors import CoachError
from coach.storage.database import safe_database_url


class StartupError(CoachError):
    code = "startup_failed"


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = "COACH_" + "_".join(str(part) for part in error["loc"]).upper()
            problems.append(f"{name}={error.get('input')!r} is not valid: {error['msg'].lower()}")
        raise StartupError("; ".join(problems) + " (fix the variable or .env, or unset it for the default)") from None


def check_port(host: str, port: int) -> None:
    """Fail now, not after "ready", when the address is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise StartupError(f"cannot listen on {host}:{port} ({exc.strerror}): stop what holds the port, or set COACH_PORT or --port") from None


def check_database(settings: Settings) -> None:
    """Create or migrate the schema now, so that a database problem is one clear line."""
    from coach.storage import Store

    async def start() -> None:
        store = Store(settings.resolved_database_url)
        try:
            await store.start()
        finally:
            await store.close()

    try:
        asyncio.run(start())
    except Exception as exc:  # every driver has its own errors; all end the start the same way
        raise StartupError(describe_database_error(exc, settings)) from None


def describe_database_error(exc: BaseException, settings: Settings) -> str:
    url = safe_database_url(settings.resolved_database_url)
    kind, text = type(exc).__name__, str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if settings.database_url is None:  # SQLite in the data folder: it is the folder that fails
        reason = getattr(exc, "strerror", None) or getattr(exc.__cause__, "strerror", None) or text
        return f"cannot write the SQLite database in {settings.data_dir} ({reason}): make COACH_DATA_DIR a writable folder"
    if kind == "InvalidPasswordError" or "password authentication failed" in text:
        return f"the database at {url} refused the user or password: fix COACH_DATABASE_URL"
    if kind == "InvalidCatalogNameError" or ("database" in text and "does not exist" in text):
        return f"the database named in {url} does not exist: create it, or fix COACH_DATABASE_URL"
    if "role" in text and "does not exist" in text:
        return f"the database user in {url} does not exist: create it, or fix COACH_DATABASE_URL"
    if isinstance(exc, OSError) or "connect" in text.lower() or "cannot reach" in text:
        return f"cannot reach the database at {url}: is it running? check COACH_DATABASE_URL"
    return f"the database at {url} failed to start ({kind}: {mask_text(text, settings)}): check COACH_DATABASE_URL"


def mask_url(url: str) -> str:
    """An HTTP URL (an API base) with any password replaced by ***; database URLs go through
    SQLAlchemy's own rendering (coach.storage.database.safe_database_url)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def mask_text(text: str, settings: Settings) -> str:
    for url in (settings.database_url, settings.api_base):
        if url and (password := urlsplit(url).password):
            text = text.replace(password, "***")
    return text
