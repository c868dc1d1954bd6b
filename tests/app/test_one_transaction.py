"""The suite's check that one request opens one transaction (tests/conftest.py) can fail:
a handler that opens two, or writes outside its transaction, is caught."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from app import queue
from app.db import atomic
from app.orgs.models import Organisation
from tests.conftest import OneTransactionPerRequest


async def _two(request: Request) -> Response:
    async with atomic():
        await Organisation.create(slug="first-org", name="First")
    async with atomic():
        await Organisation.create(slug="second-org", name="Second")
    return PlainTextResponse("two")


async def _one_and_a_lone_write(request: Request) -> Response:
    async with atomic():
        org = await Organisation.create(slug="third-org", name="Third")
    org.name = "Third, renamed"
    await org.save()
    return PlainTextResponse("one and a write")


async def _one_with_a_job(request: Request) -> Response:
    async with atomic():
        org = await Organisation.create(slug="fourth-org", name="Fourth")
        await queue.enqueue("prune_expired", job_id=f"test:{org.id}")
    return PlainTextResponse("one")


def _client() -> httpx.AsyncClient:
    checked = OneTransactionPerRequest(Starlette(routes=[
        Route("/two", _two, methods=["POST"]),
        Route("/lone", _one_and_a_lone_write, methods=["POST"]),
        Route("/one", _one_with_a_job, methods=["POST"]),
    ]))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=checked),
                             base_url="http://testserver")


async def test_a_request_that_opens_two_transactions_fails_the_test(app: Starlette) -> None:
    async with _client() as client:
        with pytest.raises(AssertionError, match=r"opened 2 transactions \(atomic\(\), atomic"):
            await client.post("/two")
        with pytest.raises(AssertionError, match=r'opened 2 transactions \(atomic\(\), UPDATE'):
            await client.post("/lone")
        assert (await client.post("/one")).text == "one"   # the job's hand-over is the queue's
