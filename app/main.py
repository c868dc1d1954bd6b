"""create_app(settings): routes, middleware, error handlers and the lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from redis.asyncio import Redis
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Scope
from tortoise.contrib.starlette import RegisterTortoise

from app import queue
from app.accounts.middleware import AuthLocaleMiddleware
from app.db import preflight, tortoise_config
from app.error_pages import handle_app_error, handle_http_exception, handle_server_error
from app.errors import AppError
from app.mail import build_mailer
from app.page_cache import PageCacheMiddleware
from app.queue_arq import ArqBackend
from app.queue_embedded import EmbeddedBackend
from app.routing import cacheable_paths, routes
from app.security import BodyLimitMiddleware, CSRFMiddleware, SecurityHeadersMiddleware
from app.settings import Settings
from app.throttle import MemoryThrottle, RedisThrottle

logger = logging.getLogger(__name__)


async def _error_app(scope: Scope, error: AppError) -> ASGIApp:
    response = await handle_app_error(Request(scope), error)
    return response


def job_context(settings: Settings) -> dict[str, Any]:
    """What every job receives in `ctx`, the same under arq and the embedded runner."""
    return {"settings": settings, "mailer": build_mailer(settings)}


@contextlib.asynccontextmanager
async def command_queue(settings: Settings) -> AsyncIterator[None]:
    """For a command that enqueues jobs and does not run them: arq's queue when Redis is
    configured, else the database's (the web process's runner takes them from there)."""
    registry = queue.collect()
    backend: queue.Backend
    if settings.redis_url:
        backend = await ArqBackend.connect(registry, settings.redis_url, settings.queue_name)
    else:
        backend = EmbeddedBackend(registry, job_context(settings))
    queue.install(backend)
    try:
        yield
    finally:
        queue.install(None)
        if isinstance(backend, ArqBackend):
            await backend.close()


@contextlib.asynccontextmanager
async def services(app: Starlette, settings: Settings,
                   registry: queue.Registry | None = None) -> AsyncIterator[None]:
    """Throttle and job backend: Redis and arq when configured, memory and the database if not."""
    registry = registry or queue.collect()
    if settings.redis_url:
        redis = Redis.from_url(settings.redis_url)
        app.state.throttle = RedisThrottle(redis, settings.redis_prefix)
        backend = await ArqBackend.connect(registry, settings.redis_url, settings.queue_name)
        app.state.redis = redis
        queue.install(backend)
        try:
            yield
        finally:
            queue.install(None)
            await backend.close()
            await redis.aclose()
        return
    app.state.throttle = MemoryThrottle()
    embedded = EmbeddedBackend(registry, job_context(settings))
    queue.install(embedded)
    runner = asyncio.create_task(embedded.serve(), name="embedded-job-runner")
    try:
        yield
    finally:
        embedded.stop()
        try:
            await asyncio.wait_for(runner, timeout=30)
        finally:
            queue.install(None)


def create_app(settings: Settings) -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        preflight(settings.database_url)
        async with RegisterTortoise(app, config=tortoise_config(settings.database_url)), \
                services(app, settings):
            yield

    middleware = [
        Middleware(PageCacheMiddleware, paths=cacheable_paths()),
        Middleware(SecurityHeadersMiddleware, hsts=settings.production),
        Middleware(GZipMiddleware, minimum_size=500),
        Middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie="harambee",
                   same_site="lax", https_only=settings.production, max_age=14 * 24 * 3600),
        Middleware(AuthLocaleMiddleware),
        Middleware(BodyLimitMiddleware, max_body=settings.max_body_bytes,
                   max_upload=settings.max_upload_bytes, on_error=_error_app),
        Middleware(CSRFMiddleware, on_error=_error_app),
    ]
    app = Starlette(
        debug=False,
        routes=routes(settings),
        middleware=middleware,
        exception_handlers={
            AppError: handle_app_error,
            HTTPException: handle_http_exception,
            Exception: handle_server_error,
        },
        lifespan=lifespan,
    )
    app.state.settings = settings
    return app
