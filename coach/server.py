"""`coach serve`: the FastAPI app under uvicorn with uvloop."""

from __future__ import annotations

import logging
import logging.config
import sys

import uvicorn

from coach import logs, startup
from coach.config import get_settings
from coach.http_timeouts import protocol_with_header_timeout, raise_open_files_limit


def app_factory():  # type: ignore[no-untyped-def]
    from coach.api.app import create_app

    return create_app()


# The coach's CPU-bound work (embeddings, coverage) runs in a worker thread. A Python thread
# keeps the GIL for up to the switch interval (5 ms by default) before the event loop that
# streams replies gets it back; 1 ms bounds that wait on the path to every token.
GIL_SWITCH_INTERVAL_S = 0.001
WS_LAYER_FACTOR = 16


def run(host: str | None = None, port: int | None = None) -> None:
    """Check what can be checked (settings, port, database; see coach.startup), then serve."""
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    startup.load_settings()
    settings = get_settings()
    host = host or settings.host
    port = settings.port if port is None else port
    startup.check_port(host, port)
    startup.check_database(settings)
    log_config = logs.config(settings.log_level, settings.log_format)
    logging.config.dictConfig(log_config)
    open_files = raise_open_files_limit()
    logging.getLogger("coach").info("starting on http://%s:%s (provider: %s; open files up to %s)", host, port, settings.describe_provider(), open_files)
    uvicorn.run(
        "coach.server:app_factory",
        factory=True,
        host=host,
        port=port,
        loop="uvloop",
        http=protocol_with_header_timeout(settings.header_timeout_s),
        # Idle keep-alive HTTP connections close after this many seconds (uvicorn's own timer).
        timeout_keep_alive=5,
        # The websocket layer pings every client; one that stops answering is dropped (its
        # session stays resumable).
        ws_ping_interval=20.0,
        ws_ping_timeout=20.0,
        ws="websockets-sansio",
        # The handler refuses frames over max_frame_bytes with a frame_too_large error frame,
        # then closes with 1009; the websocket layer cuts off (1009, no frame) only frames so
        # large that reading them whole would itself be the attack.
        ws_max_size=settings.max_frame_bytes * WS_LAYER_FACTOR,
        # Frames are small JSON (a reply arrives in pieces of a few words): compressing each one
        # costs CPU on the path to every token, and a zlib context per connection.
        ws_per_message_deflate=False,
        log_level=settings.log_level.lower(),
        log_config=log_config,
        access_log=False,
    )
