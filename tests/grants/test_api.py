"""The grants JSON API: calls, co-ops, applications from start to submission, its errors, and
the OpenAPI document."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
import pytest

from app.accounts.models import User
from app.accounts.service import create_api_token
from app.timefmt import now
from grants.applications.models import Application, Revision
from grants.applications.statuses import ApplicationStatus
from grants.calls.models import Call
from tests.grants.factories import SMALL_FORM, make_call, make_fund
from tests.helpers import make_org, make_user

pytestmark = pytest.mark.usefixtures("app")

COOP = {"legal_name": "Kiambu Highlands Coffee Farmers", "country": "ke", "region": "Kiambu",
        "legal_form": "cooperative", "commodities": ["coffee"], "members_total": 830,
        "members_women": 290, "certifications": [{"scheme": "fairtrade",
                                                  "identifier": "FLO 2231"}],
        "network": "East African Fair Producers Network"}
BUDGET = [{"category": "training", "description": "Cupping course", "amount_minor": 300_000},
          {"category": "equipment", "description": "Roaster", "amount_minor": 200_000}]


async def bearer(user: User) -> dict[str, str]:
    _, secret = await create_api_token(user, "test")
    return {"Authorization": f"Bearer {secret}"}


async def _applicant(client: httpx.AsyncClient, slug: str, call_id: int
                     ) -> tuple[dict[str, str], int]:
    headers = await bearer(await make_user(email="grace@kiambu.example"))
    coop = await client.post(f"/api/v1/orgs/{slug}/cooperatives", json=COOP, headers=headers)
    assert coop.status_code == 201, coop.text
    assert coop.json()["country"] == "KE" and coop.json()["network"] == COOP["network"]
    started = await client.post(f"/api/v1/orgs/{slug}/applications", headers=headers,
                                json={"call_id": call_id, "cooperative_id": coop.json()["id"],
                                      "language": "sw"})
    assert started.status_code == 201, started.text
    return headers, started.json()["id"]


async def test_an_application_from_start_to_submission(client: httpx.AsyncClient) -> None:
    org = await make_org()
    call = await make_call(org)
    headers, application_id = await _applicant(client, org.slug, call.id)
    path = f"/api/v1/orgs/{org.slug}/applications/{application_id}"
    early = await client.post(path + "/submit", headers=headers)
    assert early.status_code == 422
    assert {"title", "category", "requested_minor", "summary", "budget"} <= set(
        early.json()["error"]["fields"])
    partial = await client.patch(path, headers=headers, json={
        "title": "Cupping lab", "category": "quality", "requested_minor": 500_000,
        "language": "xx", "answers": {"summary": "Members learn to cup.", "budget": "lots"}})
    assert partial.status_code == 422
    assert set(partial.json()["error"]["fields"]) == {"budget", "language"}
    saved = (await client.get(path, headers=headers)).json()
    assert saved["title"] == "Cupping lab" and saved["answers"] == {
        "summary": "Members learn to cup."}
    assert saved["language"] == "sw" and saved["currency"] == "USD"
    text_amount = await client.patch(path, headers=headers, json={"requested_minor": "5000"})
    assert text_amount.status_code == 422
    assert "requested_minor" in text_amount.json()["error"]["fields"]
    cleared = await client.patch(path, headers=headers, json={"title": ""})
    assert cleared.status_code == 200 and cleared.json()["title"] == ""
    done = await client.patch(path, headers=headers, json={"title": "Cupping lab",
                                                           "answers": {"budget": BUDGET}})
    assert done.status_code == 200 and done.json()["version"] == 4
    submits = await asyncio.gather(*[client.post(path + "/submit", headers=headers)
                                     for _ in range(3)])
    assert {r.status_code for r in submits} == {200}
    assert submits[0].json()["status"] == "submitted"
    assert [m["kind"] for m in submits[-1].json()["messages"]] == ["receipt"]
    assert await Revision.filter(application_id=application_id).count() == 1
    locked = await client.patch(path, headers=headers, json={"title": "Changed"})
    assert locked.status_code == 409 and locked.json()["error"]["code"] == "not_editable"
    withdrawn = await client.post(path + "/withdraw", headers=headers)
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = await client.post(path + "/withdraw", headers=headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "transition_refused"


async def test_past_the_deadline_nothing_moves(client: httpx.AsyncClient) -> None:
    org = await make_org()
    call = await make_call(org)
    headers, application_id = await _applicant(client, org.slug, call.id)
    await Call.filter(id=call.id).update(closes_at=now() - timedelta(seconds=1))
    path = f"/api/v1/orgs/{org.slug}/applications/{application_id}"
    late = await client.patch(path, headers=headers, json={"title": "Late"})
    assert late.status_code == 409 and late.json()["error"]["code"] == "deadline_passed"
    assert (await client.post(path + "/submit", headers=headers)).status_code == 409
    assert (await Application.get(id=application_id)).title == ""


async def test_staff_create_and_list_calls_others_see_open_ones(
        client: httpx.AsyncClient) -> None:
    owner = await make_user(email="amina@fund.example")
    org = await make_org(owner=owner)
    fund = await make_fund(org, currency="KES")
    staff = await bearer(owner)
    body: dict[str, Any] = {
        "fund_id": fund.id, "title": {"en": "Tea quality 2027", "sw": "Ubora wa chai 2027"},
        "opens_at": "2027-01-10T08:00:00", "closes_at": "2027-03-31T17:00:00",
        "timezone": "Africa/Nairobi", "budget_minor": 500_000_000,
        "min_request_minor": 5_000_000, "max_request_minor": 50_000_000,
        "categories": ["quality", "Youth in tea"], "form": SMALL_FORM,
        "eligibility": {"countries": ["KE", "ug"], "commodities": ["tea"]}}
    created = await client.post(f"/api/v1/orgs/{org.slug}/calls", json=body, headers=staff)
    assert created.status_code == 201, created.text
    call = created.json()
    assert call["status"] == "draft" and call["currency"] == "KES"
    assert call["closes_at"].startswith("2027-03-31T14:00:00")  # 17:00 in Nairobi, in UTC
    assert call["categories"] == ["quality", "Youth in tea"]
    assert call["eligibility"] == {"countries": ["KE", "UG"], "commodities": ["tea"]}
    listed = await client.get(f"/api/v1/orgs/{org.slug}/calls", headers=staff)
    assert [c["id"] for c in listed.json()] == [call["id"]]
    outsider = await bearer(await make_user(email="out@example.org"))
    public = await client.get(f"/api/v1/orgs/{org.slug}/calls", headers=outsider)
    assert public.status_code == 200 and public.json() == []  # a draft is not public
    hidden = await client.get(f"/api/v1/orgs/{org.slug}/calls/{call['id']}", headers=outsider)
    assert hidden.status_code == 404
    refused = await client.post(f"/api/v1/orgs/{org.slug}/calls", json=body, headers=outsider)
    assert refused.status_code == 404
    wrong = await client.post(f"/api/v1/orgs/{org.slug}/calls", headers=staff, json={
        **body, "closes_at": "2027-01-01T00:00:00", "min_request_minor": 0,
        "form": {"sections": [{"key": "Bad Key", "title": {}, "fields": []}]}})
    assert wrong.status_code == 422
    assert "form.sections.0.key" in wrong.json()["error"]["fields"]


async def test_foreign_ids_answer_404(client: httpx.AsyncClient) -> None:
    org = await make_org()
    other = await make_org(slug="other-fund", name="Other Fund")
    call = await make_call(org)
    theirs = await make_call(other)
    headers, application_id = await _applicant(client, org.slug, call.id)
    for method, path in (("GET", f"/api/v1/orgs/{other.slug}/calls/{call.id}"),
                         ("GET", f"/api/v1/orgs/{org.slug}/calls/{theirs.id}"),
                         ("GET", f"/api/v1/orgs/{other.slug}/applications/{application_id}"),
                         ("POST", f"/api/v1/orgs/{other.slug}/applications/{application_id}"
                                  "/submit"),
                         ("GET", "/api/v1/orgs/nowhere/calls")):
        response = await client.request(method, path, headers=headers)
        assert response.status_code == 404, (path, response.text)
        assert response.json()["error"]["code"] == "not_found"
    stranger = await bearer(await make_user(email="stranger@example.org"))
    peek = await client.get(f"/api/v1/orgs/{org.slug}/applications/{application_id}",
                            headers=stranger)
    assert peek.status_code == 404
    their_coop = await client.post(f"/api/v1/orgs/{org.slug}/applications", headers=stranger,
                                   json={"call_id": call.id, "cooperative_id": 1})
    assert their_coop.status_code == 404
    assert await Application.filter(status=ApplicationStatus.DRAFT).count() == 1


async def test_the_openapi_document_lists_the_grants_endpoints(
        client: httpx.AsyncClient) -> None:
    spec = (await client.get("/api/v1/openapi.json")).json()
    paths = spec["paths"]
    assert set(paths["/api/v1/orgs/{org}/calls"]) == {"get", "post"}
    assert set(paths["/api/v1/orgs/{org}/applications/{application_id}"]) == {"get", "patch"}
    for path in ("/api/v1/orgs/{org}/calls/{call_id}", "/api/v1/orgs/{org}/cooperatives",
                 "/api/v1/orgs/{org}/applications",
                 "/api/v1/orgs/{org}/applications/{application_id}/submit",
                 "/api/v1/orgs/{org}/applications/{application_id}/withdraw"):
        assert path in paths, path
    review = {"/api/v1/orgs/{org}/calls/{call_id}/assignments": "post",
              "/api/v1/orgs/{org}/reviews": "get",
              "/api/v1/orgs/{org}/reviews/{review_id}": "put",
              "/api/v1/orgs/{org}/calls/{call_id}/ranking": "get",
              "/api/v1/orgs/{org}/applications/{application_id}/decision": "post"}
    for path, method in review.items():
        assert method in paths.get(path, {}), path
    schemas = spec["components"]["schemas"]
    assert "requested_minor" in schemas["ApplicationPatch"]["properties"]
    assert {"submit", "scores"} <= set(schemas["ReviewIn"]["properties"])
    assert "amount_minor" in schemas["DecisionIn"]["properties"]
