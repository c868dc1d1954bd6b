"""Every grants form with missing, oversized and hostile input: a clear 4xx (or a redirect when
the input is merely odd text), never a 500, and nothing half-saved."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from tortoise import Tortoise

from app.audit import AuditEvent
from grants.applications.models import Application
from grants.coops.models import Cooperative
from tests.grants.factories import SMALL_FORM, make_call, make_coop
from tests.helpers import login, make_org, make_user, post_form

HOSTILE = ["", "\x00", "x" * 20_000, "<script>alert(1)</script>", "\u202etxt.exe", "9" * 40,
           "-1", "1e309", "NaN", "../../etc/passwd", "ñ" * 300, "2027-02-30T25:61"]

SHORT_HOSTILE = ["\x00", "x" * 20_000, "a\u202eb", "9" * 40, ""]
COOP = {"legal_name": "Cooperativa Flor del Valle", "country": "PE", "region": "Cajamarca",
        "legal_form": "cooperative", "commodities": "coffee", "members_total": "310",
        "members_women": "120", "members_youth": "45", "certifications.fairtrade.held": "1",
        "certifications.fairtrade.identifier": "FLO 4411", "year_founded": "1990",
        "network": "CLAC"}
CALL = {"fund_id": "{fund}", "title.en": "Tea quality", "description.en": "For tea co-ops.",
        "timezone": "Africa/Nairobi", "opens_at": "2027-01-10T08:00",
        "closes_at": "2027-03-31T17:00", "budget_minor": "5,000,000",
        "min_request_minor": "50,000", "max_request_minor": "500,000",
        "categories": "quality", "custom_categories": "Youth in tea",
        "eligibility.countries": "KE UG", "eligibility.min_members": "30",
        "eligibility.commodities": "tea", "form": json.dumps(SMALL_FORM),
        "identifying_fields": "legal_name", "reviews_per_application": "2"}
EDITOR = {"title": "Cupping lab", "category": "quality", "requested": "5000", "language": "en",
          "a.summary": "Members learn to cup.", "a.budget.0.category": "training",
          "a.budget.0.description": "Course", "a.budget.0.amount": "5000", "action": "save",
          "remove_file": ""}
# form, valid values, and whether a refused post must leave every row as it was (a draft
# keeps each readable answer on purpose)
FORMS: list[tuple[str, dict[str, str], bool]] = [
    ("/o/{org}/coops/new", COOP, True),
    ("/o/{org}/coops/{coop}", COOP, True),
    ("/o/{org}/coops/{coop}/contacts", {"email": "amina@fund.example"}, True),
    ("/o/{org}/funds", {"name": "Tea Futures", "currency": "KES", "description": "x"}, True),
    ("/o/{org}/funds/{fund}", {"amount_minor": "1000", "source": "donation",
                               "reference": "KCB-1"}, True),
    ("/o/{org}/manage/calls/new", CALL, True),
    ("/o/{org}/manage/calls/{call}", CALL, True),
    ("/o/{org}/manage/calls/{call}/transition", {"action": "close"}, True),
    ("/o/{org}/calls/{call}/apply", {"cooperative_id": "{coop}"}, False),
    ("/o/{org}/applications/{application}", EDITOR, False),
    ("/o/{org}/applications/{application}/autosave", EDITOR, False),
    ("/o/{org}/manage/applications/{application}",
     {"decision": "ineligible", "reason": "Not registered."}, True),
    ("/o/{org}/manage/applications/{application}",
     {"decision": "changes", "comments": "Add a quote.", "deadline": "2030-01-01T10:00",
      "timezone": "UTC"}, True),
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


@pytest.mark.parametrize(("path", "valid", "atomic"), FORMS, ids=[f[0] for f in FORMS])
async def test_hostile_input_is_refused_cleanly(client: httpx.AsyncClient, path: str,
                                                valid: dict[str, str], atomic: bool) -> None:
    owner = await make_user(email="amina@fund.example")
    org = await make_org(owner=owner)
    call = await make_call(org)
    coop = await make_coop(org, owner)
    application = await Application.create(
        organisation=org, call=call, cooperative=coop, language="en", currency="USD",
        form=call.form, created_by_id=owner.id)
    await login(client, owner.email)
    ids = {"org": org.slug, "coop": coop.id, "fund": call.fund_id, "call": call.id,
           "application": application.id}
    target = path.format(**ids)
    valid = {name: str(ids[value[1:-1]]) if value in ("{fund}", "{coop}") else value
             for name, value in valid.items()}
    every_field = [{name: value for name in valid} for value in HOSTILE]
    one_field = [{**valid, name: value} for name in valid for value in SHORT_HOSTILE]
    for data in every_field + one_field:
        before = await _rows()
        events = await AuditEvent.filter().count()
        response = await post_form(client, target, data, token_from="/home")
        value = next(iter(v for k, v in data.items() if valid.get(k) != v), "")
        assert response.status_code < 500, (value[:20], response.text[:500])
        changed = response.status_code in (200, 303) if not target.endswith("autosave") \
            else response.json().get("saved")
        if atomic and not changed:
            assert await _rows() == before, f"{target} half-saved {value[:20]!r}"
            assert await AuditEvent.filter().count() == events
    refreshed = await Application.get(id=application.id)
    assert "\x00" not in refreshed.title and "\u202e" not in refreshed.title


async def test_oversized_bodies_are_refused_before_they_are_read(
        client: httpx.AsyncClient) -> None:
    owner = await make_user()
    org = await make_org(owner=owner)
    await login(client, owner.email)
    response = await post_form(client, f"/o/{org.slug}/funds",
                               {"name": "x" * 400_000, "currency": "USD"}, token_from="/home")
    assert response.status_code == 413
    assert not await Cooperative.exists()
