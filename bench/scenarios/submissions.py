"""Scenario: applications submitted per second through the JSON API by 50 concurrent
applicants, on PostgreSQL and Redis (production's parts), against the simplest authenticated
API request (GET /api/v1/me) sent by the same client to the same server in this run.

Each submission locks its application, checks every answer, takes a snapshot, runs the
eligibility rules, writes the receipt and enqueues its mail: a few durable writes each, on
different rows, so commits can share fsyncs.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

import httpx

from app.accounts.models import User
from app.accounts.service import create_api_token
from app.orgs.models import Organisation
from app.timefmt import now
from bench.scenarios.postgres import database, harambee_server
from bench.scenarios.row import Row
from grants.applications.models import Application, Revision
from grants.calls.models import Call
from grants.calls.statuses import CallStatus
from grants.coops.models import CoopContact, Cooperative
from grants.funds.models import Fund

APPLICANTS = 50
PER_APPLICANT = 20
PINGS_PER_APPLICANT = 40
NO_PASSWORD = "!"  # matches no argon2 hash: these applicants use API tokens only
CEILING = "ceiling: GET /api/v1/me, 50 concurrent clients (PostgreSQL)"
FORM = {"sections": [{"key": "project", "title": {"en": "The project"}, "fields": [
    {"key": "summary", "type": "long_text", "label": {"en": "Summary"}},
    {"key": "budget", "type": "budget", "label": {"en": "Budget"},
     "options": [{"key": "training", "label": {"en": "Training"}}]}]}]}


async def api_submissions() -> list[Row]:
    async with database() as db:
        if db is None:
            return []
        slug, work = await _seed()
        with harambee_server(db, "api") as base_url:
            ping_rate, submit_rate = await _drive(base_url, slug, work)
        submitted = await Revision.all().count()
        if submitted != APPLICANTS * PER_APPLICANT:
            raise RuntimeError(f"{submitted} revisions; expected {APPLICANTS * PER_APPLICANT}")
    return [Row(CEILING, ping_rate, CEILING, ping_rate),
            Row(f"POST .../applications/:id/submit, {APPLICANTS} concurrent applicants",
                submit_rate, CEILING, ping_rate)]


async def _seed() -> tuple[str, list[tuple[str, list[int]]]]:
    """One open call; per applicant a token and PER_APPLICANT complete drafts of co-ops."""
    org = await Organisation.create(slug="bench-fund", name="Bench Fund")
    fund = await Fund.create(organisation=org, name="Bench", currency="USD")
    call = await Call.create(
        organisation=org, fund=fund, status=CallStatus.OPEN, title={"en": "Bench call"},
        opens_at=now() - timedelta(days=1), closes_at=now() + timedelta(days=1),
        currency="USD", budget_minor=10**12, min_request_minor=1, max_request_minor=10**9,
        categories=["quality"], eligibility={"min_members": 10}, form=FORM)
    work: list[tuple[str, list[int]]] = []
    for number in range(APPLICANTS):
        user = await User.create(email=f"applicant{number}@bench.example",
                                 password_hash=NO_PASSWORD, display_name=f"Applicant {number}")
        _, secret = await create_api_token(user, "bench")
        coops = [Cooperative(organisation=org, legal_name=f"Co-op {number}-{i}", country="KE",
                             legal_form="cooperative", commodities=["coffee"], members_total=50)
                 for i in range(PER_APPLICANT)]
        await Cooperative.bulk_create(coops)
        made = await Cooperative.filter(legal_name__startswith=f"Co-op {number}-")
        await CoopContact.bulk_create([CoopContact(organisation=org, cooperative=coop,
                                                   user_id=user.id, is_owner=True)
                                       for coop in made])
        await Application.bulk_create([Application(
            organisation=org, call=call, cooperative=coop, language="en", currency="USD",
            form=FORM, created_by_id=user.id, title="Cupping lab", category="quality",
            requested_minor=5000, answers={"summary": "Members learn to cup.", "budget": [
                {"category": "training", "description": "Course", "amount_minor": 5000}]})
            for coop in made])
        ids = await Application.filter(created_by_id=user.id).values_list("id", flat=True)
        work.append((secret, [int(i) for i in ids]))  # type: ignore[call-overload]
    return org.slug, work


async def _drive(base_url: str, slug: str, work: list[tuple[str, list[int]]]
                 ) -> tuple[float, float]:
    limits = httpx.Limits(max_connections=APPLICANTS, max_keepalive_connections=APPLICANTS)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as http:
        async def ping(secret: str, _ids: list[int]) -> None:
            for _ in range(PINGS_PER_APPLICANT):
                await _ok(http.get("/api/v1/me", headers=_bearer(secret)))

        async def submit(secret: str, ids: list[int]) -> None:
            for application_id in ids:
                await _ok(http.post(f"/api/v1/orgs/{slug}/applications/{application_id}/submit",
                                    headers=_bearer(secret)))

        await _all(ping, work[:5])  # warm-up: connections, caches
        ping_seconds = await _all(ping, work)
        submit_seconds = await _all(submit, work)
    return (APPLICANTS * PINGS_PER_APPLICANT / ping_seconds,
            APPLICANTS * PER_APPLICANT / submit_seconds)


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


async def _ok(request: Awaitable[httpx.Response]) -> None:
    response = await request
    if response.status_code != 200:
        raise RuntimeError(f"{response.request.url} answered {response.status_code}: "
                           f"{response.text[:300]}")


async def _all(each: Callable[[str, list[int]], Awaitable[None]],
               work: list[tuple[str, list[int]]]) -> float:
    start = time.perf_counter()
    await asyncio.gather(*(each(secret, ids) for secret, ids in work))
    return time.perf_counter() - start
