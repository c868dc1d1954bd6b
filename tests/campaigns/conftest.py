"""The X simulator on a real socket in the test's event loop, with one registered app."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from starlette.applications import Starlette

from app import queue
from app.main import create_app
from app.settings import Settings
from campaigns.networks.x import XProvider
from devtools.x_simulator.server import Simulator, create_simulator
from tests.conftest import start_services
from tests.servers import free_port, on_socket

CLIENT_ID, CLIENT_SECRET = "harambee-test", "simulator-secret"
REDIRECT = "http://testserver/campaigns/x/callback"


@dataclass
class XWorld:
    base_url: str
    sim: Simulator
    provider: XProvider


@pytest.fixture
async def x() -> AsyncIterator[XWorld]:
    app = create_simulator(Simulator(clients={CLIENT_ID: CLIENT_SECRET}, callbacks={
        CLIENT_ID: frozenset({REDIRECT, "http://testserver/campaigns/callback/x"})}))
    async with on_socket(app) as base_url:
        provider = XProvider(client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                             api_base_url=base_url, web_url=base_url)
        yield XWorld(base_url, app.state.simulator, provider)


@pytest.fixture(scope="session")
async def stripe_api() -> AsyncIterator[str]:
    """localstripe (a fake, stateful Stripe) on 127.0.0.1 in the tests' event loop; the
    real stripe-python client talks to it. Each test empties it (`stripe_server`)."""
    from aiohttp import web
    from localstripe.server import app

    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@pytest.fixture
async def stripe_server(stripe_api: str) -> str:
    from localstripe.resources import store

    store.clear()
    return stripe_api


@dataclass(frozen=True)
class Queued:
    """A job enqueued by the code under test (name, its arguments, its options)."""

    name: str
    args: tuple[object, ...]
    options: dict[str, object]


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[Queued]:
    """Jobs are recorded instead of queued: what a use case asks for, and with what."""
    seen: list[Queued] = []

    async def enqueue(name: str, *args: object, **options: object) -> None:
        seen.append(Queued(name, args, options))

    monkeypatch.setattr(queue, "enqueue", enqueue)
    return seen


@pytest.fixture
async def x_client(x: XWorld, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app, pointed at the simulator the x fixture runs."""
    pointed = dataclasses.replace(settings, x_client_id=CLIENT_ID,
                                  x_client_secret=type(settings.secret_key)(CLIENT_SECRET),
                                  x_api_base_url=x.base_url, x_web_url=x.base_url)
    application: Starlette = create_app(pointed)
    async with await start_services(application, pointed):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http
