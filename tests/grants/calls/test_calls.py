"""Staff pages for funds and calls, the call lifecycle, and the job that closes calls."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import pytest

from app import timefmt
from app.audit import AuditEvent
from app.settings import Settings
from grants.calls.default_form import DEFAULT_FORM
from grants.calls.models import Call
from grants.calls.service import close_due_calls
from grants.calls.statuses import CallStatus
from grants.coops.models import CoopContact
from grants.funds.models import Fund, LedgerEntry
from tests.grants.factories import make_call, make_coop
from tests.helpers import link_in, login, make_org, make_user, post_form, wait_for_mail


async def test_staff_make_a_fund_record_money_and_open_a_call(
        client: httpx.AsyncClient, settings: Settings) -> None:
    owner = await make_user()
    org = await make_org(owner=owner)
    await login(client, owner.email)
    made = await post_form(client, f"/o/{org.slug}/funds", {"name": "Tea Futures",
                                                            "currency": "kes"},
                           token_from=f"/o/{org.slug}/funds")
    fund = await Fund.get(name="Tea Futures")
    assert made.headers["location"] == f"/o/{org.slug}/funds/{fund.id}" and fund.currency == "KES"
    page = f"/o/{org.slug}/funds/{fund.id}"
    for _ in range(2):  # the same bank reference twice: recorded once
        await post_form(client, page, {"amount_minor": "1 250 000", "source": "partner",
                                       "reference": "KCB-2027-0042"}, token_from=page)
    [entry] = await LedgerEntry.filter(fund_id=fund.id)
    assert entry.amount_minor == 125_000_000
    shown = await client.get(page)
    assert "KCB-2027-0042" in shown.text

    new = f"/o/{org.slug}/manage/calls/new"
    form = await client.get(new)
    assert "market_access" in form.text and "budget" in form.text
    values = {"fund_id": str(fund.id), "title.en": "Tea quality 2027",
              "title.es": "Calidad del té 2027", "description.en": "For tea co-ops.",
              "timezone": "Africa/Nairobi", "opens_at": "2027-01-10T08:00",
              "closes_at": "2027-03-31T17:00", "budget_minor": "5,000,000",
              "min_request_minor": "50,000", "max_request_minor": "500,000",
              "categories": ["quality", "productivity"], "custom_categories": "Youth in tea",
              "eligibility.countries": "KE UG, tz", "eligibility.commodities": "tea",
              "eligibility.min_members": "30", "identifying_fields": "legal_name",
              "form": json.dumps(DEFAULT_FORM), "reviews_per_application": "2",
              "indicators": ["yield_per_ha", "premium_share"]}
    bad = await post_form(client, new, {**values, "closes_at": "2027-01-01T00:00",
                                        "form": "{not json"}, token_from=new)
    assert bad.status_code == 422 and "not valid JSON" in bad.text
    unknown = await post_form(client, new, {**values, "indicators": ["made_up"]},
                              token_from=new)
    assert unknown.status_code == 422 and "Choose indicators from the catalogue." in unknown.text
    assert not await Call.exists()
    created = await post_form(client, new, values, token_from=new)
    assert created.status_code == 303, created.text
    call = await Call.get()
    assert call.budget_minor == 500_000_000 and call.currency == "KES"
    assert call.categories == ["quality", "productivity", "Youth in tea"]
    assert call.eligibility == {"countries": ["KE", "UG", "TZ"], "commodities": ["tea"],
                                "min_members": 30}
    assert call.closes_at.hour == 14  # 17:00 in Nairobi
    assert call.indicators == ["yield_per_ha", "premium_share"]
    edit = f"/o/{org.slug}/manage/calls/{call.id}"
    shown = await client.get(edit)
    assert 'value="5000000.00"' in shown.text and "Youth in tea" in shown.text
    assert 'value="premium_share" checked' in shown.text
    assert 'value="hectares_mapped" checked' not in shown.text
    moved = await post_form(client, edit + "/transition", {"action": "open"}, token_from=edit)
    assert moved.status_code == 303
    assert (await Call.get(id=call.id)).status is CallStatus.OPEN
    refused = await post_form(client, edit + "/transition", {"action": "archive"},
                              token_from=edit)
    assert refused.status_code == 409 and "archive the call" in refused.text
    assert await AuditEvent.filter(verb="call.open").count() == 1


async def test_a_call_opens_only_with_a_future_deadline(client: httpx.AsyncClient,
                                                        settings: Settings) -> None:
    owner = await make_user()
    org = await make_org(owner=owner)
    call = await make_call(org, status=CallStatus.DRAFT,
                           closes_at=timefmt.now() - timedelta(hours=1))
    await login(client, owner.email)
    edit = f"/o/{org.slug}/manage/calls/{call.id}"
    refused = await post_form(client, edit + "/transition", {"action": "open"}, token_from=edit)
    assert refused.status_code == 422 and "closing time in the future" in refused.text
    assert (await Call.get(id=call.id)).status is CallStatus.DRAFT


async def test_calls_close_when_their_time_comes(settings: Settings,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    org = await make_org()
    soon = await make_call(org, closes_at=timefmt.now() + timedelta(minutes=5))
    later = await make_call(org, closes_at=timefmt.now() + timedelta(days=5))
    assert await close_due_calls() == 0
    moment = soon.closes_at
    monkeypatch.setattr(timefmt, "now", lambda: moment)
    assert await close_due_calls() == 1
    assert (await Call.get(id=soon.id)).status is CallStatus.CLOSED
    assert (await Call.get(id=later.id)).status is CallStatus.OPEN
    assert await AuditEvent.filter(verb="call.close", actor_id=None).count() == 1
    assert await close_due_calls() == 0  # once


async def test_the_owner_invites_a_colleague_who_accepts(client: httpx.AsyncClient,
                                                         settings: Settings) -> None:
    org = await make_org()
    owner = await make_user()
    coop = await make_coop(org, owner)
    await login(client, owner.email)
    page = f"/o/{org.slug}/coops/{coop.id}"
    sent = await post_form(client, page + "/contacts", {"email": "Peter@Kiambu.example"},
                           token_from=page)
    assert sent.status_code == 303 and "peter@kiambu.example" in (await client.get(page)).text
    link = link_in(await wait_for_mail(settings, "peter@kiambu.example"))
    client.cookies.clear()
    shown = await client.get(link)
    assert shown.status_code == 200 and coop.legal_name in shown.text
    intruder = await make_user(email="someone@else.example")
    await login(client, intruder.email)
    refused = await post_form(client, link, {}, token_from=link)
    assert refused.status_code == 403 and not await CoopContact.filter(
        user_id=intruder.id).exists()
    client.cookies.clear()
    colleague = await make_user(email="peter@kiambu.example", name="Peter")
    await login(client, colleague.email)
    accepted = await post_form(client, link, {}, token_from=link)
    assert accepted.status_code == 303 and accepted.headers["location"] == page
    contact = await CoopContact.get(user_id=colleague.id)
    assert contact.cooperative_id == coop.id and not contact.is_owner
    again = await post_form(client, link, {}, token_from="/home")
    assert again.status_code == 400  # used
    refused_owner = await post_form(client, page + "/contacts", {"email": "x@example.org"},
                                    token_from=page)
    assert refused_owner.status_code == 403  # only the owner invites
