"""Every grants form with missing, oversized and hostile input: a clear 4xx (or a redirect when
the input is merely odd text), never a 500, and nothing half-saved."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from tortoise import Tortoise

from app.audit import AuditEvent
from grants.models import Application, Cooperative
from tests.grants.factories import make_call, make_coop
from tests.helpers import login, make_org, make_user, post_form

HOSTILE = ["", "\x00", "x" * 20_000, "<script>alert(1)</script>", "\u202etxt.exe", "9" * 40,
           "-1", "1e309", "NaN", "../../etc/passwd", "ñ" * 300, "2027-02-30T25:61"]

COOP = ["legal_name", "country", "region", "legal_form", "commodities", "members_total",
        "members_women", "members_youth", "certifications.fairtrade.held",
        "certifications.fairtrade.identifier", "year_founded", "network"]
CALL = ["fund_id", "title.en", "description.en", "timezone", "opens_at", "closes_at",
        "budget_minor", "min_request_minor", "max_request_minor", "categories",
        "custom_categories", "eligibility.countries", "eligibility.min_members",
        "eligibility.commodities", "form", "identifying_fields", "reviews_per_application"]
EDITOR = ["title", "category", "requested", "language", "a.summary", "a.budget.0.category",
          "a.budget.0.description", "a.budget.0.amount", "action", "remove_file"]
# form, its fields, and whether a refused post must leave every row as it was (a draft
# keeps each readable answer on purpose)
FORMS: list[tuple[str, list[str], bool]] = [
    ("/o/{org}/coops/new", COOP, True),
    ("/o/{org}/coops/{coop}", COOP, True),
    ("/o/{org}/coops/{coop}/contacts", ["email"], True),
    ("/o/{org}/funds", ["name", "currency", "description"], True),
    ("/o/{org}/funds/{fund}", ["amount_minor", "source", "reference"], True),
    ("/o/{org}/manage/calls/new", CALL, True),
    ("/o/{org}/manage/calls/{call}", CALL, True),
    ("/o/{org}/manage/calls/{call}/transition", ["action"], True),
    ("/o/{org}/calls/{call}/apply", ["cooperative_id"], False),
    ("/o/{org}/applications/{application}", EDITOR, False),
    ("/o/{org}/applications/{application}/autosave", EDITOR, False),
    ("/o/{org}/manage/applications/{application}",
     ["decision", "reason", "comments", "deadline", "timezone"], True),
]
GRANTS_TABLES = ("funds", "fund_ledger", "calls", "coop_networks", "cooperatives",
                 "coop_contacts", "applications", "application_revisions",
                 "application_attachments", "application_messages")


async def _rows() -> dict[str, list[tuple[Any, ...]]]:
    connection = Tortoise.get_connection("default")
    state = {}
    for table in GRANTS_TABLES:
        _, rows = await connection.execute_query(f'SELECT * FROM "{table}" ORDER BY id')
        state[table] = [tuple(row.values()) if isinstance(row, dict) else tuple(row)
                        for row in rows]
    return state


@pytest.mark.parametrize(("path", "fields", "atomic"), FORMS, ids=[f[0] for f in FORMS])
async def test_hostile_input_is_refused_cleanly(client: httpx.AsyncClient, path: str,
                                                fields: list[str], atomic: bool) -> None:
    owner = await make_user(email="amina@fund.example")
    org = await make_org(owner=owner)
    call = await make_call(org)
    coop = await make_coop(org, owner)
    application = await Application.create(
        organisation=org, call=call, cooperative=coop, language="en", currency="USD",
        form=call.form, created_by_id=owner.id)
    await login(client, owner.email)
    target = path.format(org=org.slug, coop=coop.id, fund=call.fund_id, call=call.id,
                         application=application.id)
    for value in HOSTILE:
        before = await _rows()
        events = await AuditEvent.filter().count()
        data: dict[str, Any] = {name: value for name in fields}
        response = await post_form(client, target, data, token_from="/home")
        assert response.status_code < 500, (value[:20], response.text[:500])
        changed = response.status_code in (200, 303) if not target.endswith("autosave") \
            else response.json().get("saved")
        if atomic and not changed:
            assert await _rows() == before, f"{target} half-saved {value[:20]!r}"
            assert await AuditEvent.filter().count() == events
    refreshed = await Application.get(id=application.id)
    assert "\x00" not in refreshed.title and "\u202e" not in refreshed.title
    assert (await Cooperative.get(id=coop.id)).legal_name == coop.legal_name or not atomic


async def test_oversized_bodies_are_refused_before_they_are_read(
        client: httpx.AsyncClient) -> None:
    owner = await make_user()
    org = await make_org(owner=owner)
    await login(client, owner.email)
    response = await post_form(client, f"/o/{org.slug}/funds",
                               {"name": "x" * 400_000, "currency": "USD"}, token_from="/home")
    assert response.status_code == 413
    assert not await Cooperative.exists()
