"""The grants pages over HTTP, without JavaScript: a co-op applies, staff screen."""

from __future__ import annotations

import re

import httpx
import pytest

from app.orgs.models import Role
from app.settings import Settings
from grants.applications.models import Application, Attachment, Revision
from grants.applications.statuses import ApplicationStatus
from grants.calls.models import Call
from grants.coops.models import Cooperative
from tests.grants.factories import make_call
from tests.helpers import add_member, login, make_org, make_user, post_form, wait_for_mail

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PROFILE = {"legal_name": "Cooperativa Agraria Flor del Valle", "country": "PE",
           "region": "Cajamarca", "legal_form": "cooperative", "commodities": ["coffee", "cocoa"],
           "members_total": "310", "members_women": "120", "members_youth": "45",
           "certifications.fairtrade.held": "1",
           "certifications.fairtrade.identifier": "FLO 4411", "network": "CLAC Perú"}


async def start_application(client: httpx.AsyncClient) -> tuple[Call, str]:
    """A signed-in applicant with a co-op profile and a draft: (call, editor path)."""
    org = await make_org()
    call = await make_call(org)
    await login(client, (await make_user()).email)
    await post_form(client, f"/o/{org.slug}/coops/new", PROFILE,
                    token_from=f"/o/{org.slug}/coops/new")
    started = await post_form(client, f"/o/{org.slug}/calls/{call.id}/apply", {},
                              token_from=f"/o/{org.slug}/calls/{call.id}")
    return call, started.headers["location"]


async def csrf_of(client: httpx.AsyncClient, path: str) -> str:
    page = await client.get(path)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, path
    return match.group(1)


async def test_a_coop_applies_and_staff_screen_without_javascript(
        client: httpx.AsyncClient, settings: Settings) -> None:
    owner = await make_user(email="staff@fund.org", name="Amina")
    org = await make_org(owner=owner)
    call = await make_call(org)
    applicant = await make_user(email="rosa@flordelvalle.pe", name="Rosa")
    await login(client, applicant.email)

    listing = await client.get(f"/o/{org.slug}/calls")
    assert listing.status_code == 200 and "Quality for market access 2027" in listing.text
    page = await client.get(f"/o/{org.slug}/calls/{call.id}")
    assert "Create your organisation" in page.text
    created = await post_form(client, f"/o/{org.slug}/coops/new?next=/o/{org.slug}/calls/"
                              f"{call.id}", PROFILE, token_from=f"/o/{org.slug}/coops/new")
    assert created.status_code == 303, created.text
    assert created.headers["location"] == f"/o/{org.slug}/calls/{call.id}"
    coop = await Cooperative.get(legal_name=PROFILE["legal_name"])
    assert coop.certifications == [{"scheme": "fairtrade", "identifier": "FLO 4411"}]
    profile = f"/o/{org.slug}/coops/{coop.id}"
    shown = await client.get(profile)
    assert shown.status_code == 200 and 'value="FLO 4411"' in shown.text
    assert 'value="CLAC Perú"' in shown.text and "Rosa" in shown.text
    edited = await post_form(client, profile, {**PROFILE, "members_total": "330"},
                             token_from=profile)
    assert edited.status_code == 303
    bad = await post_form(client, profile, {**PROFILE, "members_women": "900"},
                          token_from=profile)
    assert bad.status_code == 422 and "counted within the total" in bad.text
    assert (await Cooperative.get(id=coop.id)).members_total == 330

    started = await post_form(client, f"/o/{org.slug}/calls/{call.id}/apply", {},
                              token_from=f"/o/{org.slug}/calls/{call.id}")
    editor = started.headers["location"]
    application = await Application.get(cooperative_id=coop.id)
    assert editor == f"/o/{org.slug}/applications/{application.id}"

    token = await csrf_of(client, editor)
    saved = await client.post(editor, data={
        "csrf_token": token, "action": "save", "title": "A cupping lab", "category": "quality",
        "requested": "5,000.00", "language": "es", "a.summary": "Members learn to cup.",
        "a.budget.0.category": "training", "a.budget.0.description": "Cupping course",
        "a.budget.0.amount": "3000", "a.budget.1.category": "equipment",
        "a.budget.1.description": "Sample roaster", "a.budget.1.amount": "2,000.00",
        "a.budget.2.category": "training", "a.budget.2.description": "",
        "a.budget.2.amount": ""},
        files={"file.certificate": ("registro.pdf", PDF, "application/pdf")})
    assert saved.status_code == 303, saved.text
    application = await Application.get(id=application.id)
    assert application.requested_minor == 500_000 and application.language == "es"
    assert [line["amount_minor"] for line in application.answers["budget"]] == [300_000,
                                                                                200_000]
    [attachment] = await Attachment.filter(application_id=application.id)
    assert application.answers["certificate"] == [attachment.id]

    back = await client.get(editor)  # the browser was closed; the draft is all there
    assert "A cupping lab" in back.text and "Sample roaster" in back.text
    assert "registro.pdf" in back.text
    download = await client.get(f"/o/{org.slug}/files/{attachment.id}")
    assert download.content == PDF and "attachment" in download.headers["content-disposition"]
    assert download.headers["cache-control"] == "no-store"  # the applicant's, never a cache's

    token = await csrf_of(client, editor)
    submitted = await client.post(editor, data={
        "csrf_token": token, "action": "submit", "title": "A cupping lab",
        "category": "quality", "requested": "5000", "a.summary": "Members learn to cup.",
        "a.budget.0.category": "training", "a.budget.0.description": "Cupping course",
        "a.budget.0.amount": "3000", "a.budget.1.category": "equipment",
        "a.budget.1.description": "Sample roaster", "a.budget.1.amount": "2000"})
    assert submitted.status_code == 303 and "submitted=1" in submitted.headers["location"]
    assert await Revision.filter(application_id=application.id).count() == 1
    receipt = await wait_for_mail(settings, applicant.email)
    assert "A cupping lab" in str(receipt["Subject"])
    done = await client.get(editor)
    assert "Withdraw the application" in done.text and 'name="action"' not in done.text

    await client.post("/logout", data={"csrf_token": await csrf_of(client, "/home")})
    await login(client, owner.email)
    queue = await client.get(f"/o/{org.slug}/manage/calls/{call.id}/applications?country=PE")
    assert queue.status_code == 200 and "A cupping lab" in queue.text
    exported = await client.get(f"/o/{org.slug}/manage/calls/{call.id}/applications.csv")
    assert "Cooperativa Agraria Flor del Valle" in exported.text
    assert exported.headers["cache-control"] == "no-store"
    screen = f"/o/{org.slug}/manage/applications/{application.id}"
    shown = await client.get(screen)
    assert "The co-op has enough members." in shown.text
    decided = await post_form(client, screen, {"decision": "eligible"}, token_from=screen)
    assert decided.status_code == 303
    assert (await Application.get(id=application.id)).status is ApplicationStatus.ELIGIBLE
    await wait_for_mail(settings, applicant.email, count=2)


async def test_a_draft_keeps_what_was_readable(client: httpx.AsyncClient,
                                               settings: Settings) -> None:
    call, editor = await start_application(client)
    token = await csrf_of(client, editor)
    response = await client.post(editor, data={
        "csrf_token": token, "action": "save", "title": "Cupping", "requested": "lots",
        "a.summary": "Kept.", "a.budget.0.category": "training",
        "a.budget.0.description": "Course", "a.budget.0.amount": "many"},
        files={"file.certificate": ("photo.pdf", b"\x89PNG\r\n\x1a\n....", "application/pdf")})
    assert response.status_code == 422
    assert 'id="e-requested"' in response.text and 'id="e-budget"' in response.text
    assert "do not match its name" in response.text
    assert 'value="lots"' in response.text and 'value="many"' in response.text
    application = await Application.get(call_id=call.id)
    assert application.title == "Cupping" and application.answers == {"summary": "Kept."}
    assert not await Attachment.exists()


@pytest.mark.parametrize(("name", "data", "message"), [
    ("empty.pdf", b"", "This file is empty."),
    ("virus.exe", b"MZ\x90\x00", "Upload a PDF"),
    ("lying.pdf", b"\x89PNG\r\n\x1a\nrest", "do not match its name"),
    ("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "larger than 5 MB"),
])
async def test_attachments_are_checked(client: httpx.AsyncClient, settings: Settings,
                                       name: str, data: bytes, message: str) -> None:
    _call, editor = await start_application(client)
    response = await client.post(editor, data={"csrf_token": await csrf_of(client, editor),
                                               "action": "save"},
                                 files={"file.certificate": (name, data, "application/pdf")})
    assert response.status_code == 422 and message in response.text
    assert not await Attachment.exists()


async def test_foreign_ids_are_not_found(client: httpx.AsyncClient, settings: Settings) -> None:
    owner = await make_user(email="staff@fund.org")
    org = await make_org(owner=owner)
    other = await make_org(slug="other-fund", name="Other Fund", owner=owner)
    call = await make_call(other)
    reviewer = await make_user(email="rev@fund.org")
    await add_member(org, reviewer, Role.REVIEWER)
    await login(client, owner.email)
    for path in (f"/o/{org.slug}/calls/{call.id}", f"/o/{org.slug}/manage/calls/{call.id}",
                 f"/o/{org.slug}/manage/calls/{call.id}/applications",
                 f"/o/{org.slug}/applications/1", f"/o/{org.slug}/files/1",
                 f"/o/{org.slug}/coops/1"):
        assert (await client.get(path)).status_code == 404, path


async def test_a_second_submit_from_the_page_lands_on_the_receipt(
        client: httpx.AsyncClient, settings: Settings) -> None:
    _call, editor = await start_application(client)
    filled = {"action": "submit", "title": "Cupping lab", "category": "quality",
              "requested": "5000", "a.summary": "Members learn to cup.",
              "a.budget.0.category": "training", "a.budget.0.description": "Course",
              "a.budget.0.amount": "5000"}
    await client.get(editor)
    token = await csrf_of(client, editor)
    first = await client.post(editor, data={**filled, "csrf_token": token})
    second = await client.post(editor, data={**filled, "csrf_token": token})
    assert first.status_code == second.status_code == 303, second.text
    assert second.headers["location"].endswith("?submitted=1")
    assert await Revision.filter().count() == 1


async def test_the_autosave_changes_only_what_it_carries(client: httpx.AsyncClient,
                                                         settings: Settings) -> None:
    """Two contacts of one co-op typing at once: each save keeps the other's answers."""
    call, editor = await start_application(client)
    token = await csrf_of(client, editor)
    first = await client.post(editor + "/autosave", data={
        "csrf_token": token, "present": ["title", "a.summary"], "title": "Cupping lab",
        "a.summary": "Members learn to cup."})
    assert first.status_code == 200 and first.json()["saved"] is True
    second = await client.post(editor + "/autosave", data={
        "csrf_token": token, "present": ["a.budget"], "a.budget.0.category": "training",
        "a.budget.0.description": "Course", "a.budget.0.amount": "many"})
    assert set(second.json()["errors"]) == {"a.budget"}
    application = await Application.get(call_id=call.id)
    assert application.title == "Cupping lab"
    assert application.answers == {"summary": "Members learn to cup."}
    await Application.filter(id=application.id).update(deadline_override=None, status="submitted")
    late = await client.post(editor + "/autosave", data={"csrf_token": token,
                                                         "present": ["title"], "title": "x"})
    assert late.status_code == 409 and late.json()["saved"] is False
    anonymous = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    async with anonymous:
        signed_out = await anonymous.post(editor + "/autosave", data={"title": "x"})
    assert signed_out.status_code in (303, 403)  # never a JSON success


async def test_the_directory_lists_organisations_with_open_calls(
        client: httpx.AsyncClient, settings: Settings) -> None:
    open_org = await make_org()
    await make_call(open_org)
    quiet = await make_org(slug="quiet-fund", name="Quiet Fund")
    await make_call(quiet, status="draft")
    page = await client.get("/calls")
    assert page.status_code == 200 and "Mlima Fund" in page.text and "Quiet Fund" not in page.text
    assert 'href="/calls"' in (await client.get("/")).text
