"""The FastAPI application: REST, the interview websocket, and start-up."""

from __future__ import annotations

import asyncio
import gc
import importlib.util
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from coach import __version__
from coach.api import errors, rest, security, ws
from coach.api.rate_limits import RateLimits
from coach.storage.retention import prune_forever
from coach.bank import load_bank
from coach.config import Settings, get_settings
from coach.grading.embedder import get_embedder
from coach.grading.offline import OfflineGrader, bank_texts
from coach.grading.service import GradingService
from coach.interview.manager import Interviews
from coach.interview.services import Services, cpu_worker, runner
from coach.interview.suggestions import pattern_text
from coach.llm import metered_provider, provider_from_settings
from coach.llm.health import advice
from coach.metrics import Metrics
from coach.storage import Store
from coach.tasks import drain

log = logging.getLogger("coach")
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
# Swagger UI's files as the fastapi-offline package ships them (only its files are used).
DOCS_ASSETS = Path(importlib.util.find_spec("fastapi_offline").origin).parent / "static"  # type: ignore[arg-type, union-attr]


def build_services(settings: Settings) -> Services:
    bank = load_bank(settings.seeds_dir)
    metrics = Metrics()
    provider = metered_provider(provider_from_settings(settings), settings, metrics)
    # One ONNX thread: grading shares the machine with the event loop that streams replies.
    grader = OfflineGrader(get_embedder(threads=1), bank=bank, cache_dir=settings.cache_dir)
    cpu, heavy = cpu_worker(), cpu_worker("coach-heavy")
    return Services(
        settings=settings,
        bank=bank,
        store=Store(settings.resolved_database_url),
        provider=provider,
        grader=grader,
        # Grading a whole interview is heavy work: it never holds up anyone's next turn.
        grading=GradingService(bank, provider, offline=grader, run_cpu=runner(heavy)),
        cpu=cpu,
        heavy=heavy,
        metrics=metrics,
    )


def _warm(services: Services) -> None:
    """Load the embedding model and the bank's vectors now, not in the first interview."""
    services.grader.embedder.warm(bank_texts(services.bank), services.settings.cache_dir)
    services.grader.embedder.encode([pattern_text(p) for p in services.bank.patterns.values()])


async def check_provider(services: Services) -> None:
    """One tiny request to the configured model; one log line that says whether it works and,
    if not, what to fix. Candidates get the offline coach meanwhile."""
    provider = services.provider
    if provider is None:
        return
    where = services.settings.describe_provider()
    reason = await provider.probe()
    if reason is None:
        log.info("provider check: %s answers", where)
    else:
        log.error(
            "provider check FAILED for %s: %s. Fix: %s. The offline coach answers until the model does (next try in %.0f s).",
            where,
            reason.rstrip("."),
            advice(reason),
            provider.health.cooldown_s,
        )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = build_services(settings)
        applied = await services.store.start()
        if applied:
            log.info("database %s: applied %s", services.store.safe_url, ", ".join(applied))
        await services.run_cpu(_warm, services)
        if services.provider is not None:
            await services.provider.warm()
        # The provider check runs beside serving: a broken model costs the log one line, not
        # the start-up its timeout.
        checked = asyncio.create_task(check_provider(services)) if settings.check_provider else None
        pruning = asyncio.create_task(prune_forever(services.store, settings.retention_days)) if settings.retention_days else None
        # Everything loaded so far lives as long as the process; keeping it out of the
        # collector's view avoids full collections that walk it all (pauses of 100+ ms).
        gc.collect()
        gc.freeze()
        interviews = Interviews(services)
        await services.bus.start()  # after everyone has said what they listen to
        health = services.provider.health if services.provider else None
        services.metrics.watch(
            live=lambda: len(interviews.live),
            # The worker's own queue: jobs submitted and not yet started.
            cpu_queue={"quick": lambda: services.cpu._work_queue.qsize(), "heavy": lambda: services.heavy._work_queue.qsize()},
            provider_up=(lambda: float(health.state != "down")) if health else None,
        )
        handlers: set[asyncio.Task[None]] = set()
        app.state.services = services
        app.state.interviews = interviews
        app.state.handlers = handlers
        app.state.limits = RateLimits(settings)
        log.info("coach %s ready; provider: %s; database: %s", __version__, settings.describe_provider(), services.store.safe_url)
        try:
            yield
        finally:
            # Everything that may still write finishes before the store closes. Drain first and
            # cancel only what is left: a query cancelled mid-flight can leave its driver stuck.
            for task in (checked, pruning):
                if task is not None:
                    task.cancel()
            await drain(handlers, timeout=10)
            await interviews.close()
            await services.bus.close()
            await services.store.close()
            services.cpu.shutdown(wait=False, cancel_futures=True)
            services.heavy.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(
        title="Coach",
        version=__version__,
        summary="Live mock interviews for system-design and technical-leadership rounds",
        lifespan=lifespan,
        # /docs is served below from the swagger-ui-bundle package: the default loads a CDN.
        docs_url=None,
        redoc_url=None,
    )
    errors.install(app)
    security.install_headers(app)
    app.include_router(rest.router)
    app.include_router(ws.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount("/docs-assets", StaticFiles(directory=DOCS_ASSETS), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> FileResponse:
        """The API reference (Swagger UI), without any request outside this service."""
        return FileResponse(STATIC_DIR / "docs.html", headers={"Cache-Control": "no-cache"})

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> FileResponse:
        return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        """The browser chat."""
        return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})

    return app
