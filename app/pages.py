"""The landing page, a signed-in person's home, and the health probes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from tortoise import connections

from app.orgs.service import memberships_of
from app.templating import render
from app.web import current_user, require_user


async def landing(request: Request) -> Response:
    return render(request, "landing.html", {"user": current_user(request)})


async def home(request: Request) -> Response:
    user = require_user(request)
    return render(request, "home.html", {
        "user": user, "memberships": await memberships_of(user),
        "welcome": "welcome" in request.query_params, "sent": "sent" in request.query_params,
    })


async def healthz(request: Request) -> Response:
    return PlainTextResponse("ok")


async def readyz(request: Request) -> Response:
    """Ready when the database (and Redis, when configured) answer."""
    checks: dict[str, str] = {}
    try:
        await connections.get("default").execute_query("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # any failure to reach the database means not ready
        checks["database"] = type(exc).__name__
    redis = getattr(request.app.state, "redis", None)
    if redis is not None:
        try:
            await redis.ping()
            checks["redis"] = "ok"
        except Exception as exc:  # likewise for Redis
            checks["redis"] = type(exc).__name__
    ready = all(value == "ok" for value in checks.values())
    return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)

