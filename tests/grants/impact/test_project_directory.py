"""The public directory of funded projects over HTTP: every public answer (the list with and
without filters, a project's page, the CSV, the API) in several languages holds nothing the
co-op did not agree to publish; what it did agree to is there; filters narrow the list; the
list costs the same number of queries for 3 projects as for 30."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import httpx
import pytest

from app.orgs.models import Organisation
from app.query_log import count_queries
from app.timefmt import now
from grants.applications.statuses import ApplicationStatus
from grants.calls.models import Call
from grants.coops.models import CoopContact
from grants.projects.models import Indicator, OutcomeReport, Project, Tranche
from grants.projects.statuses import ProjectStatus, ReportKind, ReportStatus, TrancheStatus
from grants.review.models import Decision, Review
from grants.review.statuses import DecisionKind, ReviewStatus
from tests.grants.factories import make_call, make_coop, make_eligible
from tests.helpers import make_org, make_user

pytestmark = pytest.mark.usefixtures("settings")   # the test database

SECRET_NAME = "Cooperativa Secreta PRIVATE-NAME-5e6f"
CONTACT_EMAIL = "private-contact-3b7d@coops.example"
MARKERS = ("PRIVATE-NARRATIVE-7f3a", "PRIVATE-REVIEW-91c2", "PRIVATE-MILESTONE-44b1",
           "PRIVATE-REF-0d9e", "PRIVATE-NAME-5e6f", "Cooperativa Secreta", "PRIVATE-REGION",
           CONTACT_EMAIL, "PRIVATE-ANSWER-c8d2", "PRIVATE-REASON-1a2b", "PRIVATE-MESSAGE-2b3c",
           "PRIVATE-REVIEWER-4d5e", "PRIVATE-STAFF-6f7a", "PRIVATE-MIDLINE-8b9c",
           "97531", "97,531", "97.531", "97 531")
BASELINE = {"yield_per_ha": 800, "premium_share": 30}
FINAL = {"yield_per_ha": 1150, "premium_share": 45}


async def catalogue(org: Organisation) -> None:
    await Indicator.create(organisation=org, key="yield_per_ha", unit="kg_per_ha",
                           name={"en": "Yield per hectare", "es": "Rendimiento por hectárea"})
    await Indicator.create(organisation=org, key="premium_share", unit="percent",
                           name={"en": "Share sold at premium quality",
                                 "es": "Parte vendida con calidad premium"})

ANON = "Quality · Equipment and processing"      # the private co-op's project, as shown

async def make_project(org: Organisation, call: Call, number: int, *,
                       status: ProjectStatus = ProjectStatus.ACTIVE, title: str = "",
                       legal_name: str = "", country: str = "PE",
                       commodities: tuple[str, ...] = ("cocoa",), category: str = "quality",
                       kind: str = "training", publish_name: bool = True,
                       publish_outcomes: bool = True, starts_on: date = date(2026, 3, 1),
                       reports: bool = True, **extra: Any) -> Project:
    """A funded project of a co-op of its own; with accepted baseline and final reports."""
    coop = await make_coop(org, legal_name=legal_name or f"Cooperativa {number}",
                           country=country, commodities=list(commodities),
                           **extra.pop("coop", {}))
    application = await make_eligible(org, call, coop, title=title or f"Project {number}",
                                      category=category, **extra.pop("application", {}))
    application.status = ApplicationStatus.AWARDED
    await application.save()
    project = await Project.create(
        organisation=org, application=application, call=call, fund_id=call.fund_id,
        status=status, amount_minor=500_000 + number, currency=call.currency,
        starts_on=starts_on, ends_on=date(starts_on.year + 1, 2, 28), kind=kind,
        publish_name=publish_name, publish_outcomes=publish_outcomes, created_by_id=0,
        **{"public_summary": {"en": f"What project {number} did."}, **extra})
    if reports:
        for kind_, values in ((ReportKind.BASELINE, BASELINE), (ReportKind.FINAL, FINAL)):
            await OutcomeReport.create(organisation=org, project=project, kind=kind_,
                                       due_on=starts_on, status=ReportStatus.ACCEPTED,
                                       values=values)
    return project


async def seed() -> dict[str, Any]:
    """The secret project (name private, outcomes public, private detail everywhere), an open
    one, one still at the agreement stage, a cancelled one, and another organisation's."""
    org = await make_org()
    await catalogue(org)
    call = await make_call(org)
    contact = await make_user(email=CONTACT_EMAIL)
    secret = await make_project(
        org, call, 1, title=f"Cupping lab for {SECRET_NAME}", legal_name=SECRET_NAME,
        country="KE",
        commodities=("coffee",), kind="equipment", publish_name=False, reports=False,
        starts_on=date(2027, 1, 15), coop={"region": "PRIVATE-REGION"},
        application={"language": "en"},
        milestones=[{"title": "PRIVATE-MILESTONE-44b1", "due_on": "2027-06-30"}],
        indicators=["yield_per_ha", "premium_share"],
        public_summary={"en": "A cupping lab so every lot is graded before it is sold.",
                        "es": "Un laboratorio de catación para cada lote."})
    application = await secret.application
    application.answers = {"summary": "PRIVATE-ANSWER-c8d2"}
    await application.save()
    await CoopContact.create(organisation=org, cooperative_id=application.cooperative_id,
                             user_id=contact.id, is_owner=True)
    await Decision.create(organisation=org, call=call, application=application,
                          kind=DecisionKind.AWARD, amount_minor=500_001, currency="USD",
                          reason="PRIVATE-REASON-1a2b", message="PRIVATE-MESSAGE-2b3c",
                          decided_by_id=0, published_at=now())
    await Review.create(organisation=org, call=call, application=application, reviewer_id=0,
                        status=ReviewStatus.SUBMITTED, comment_applicant="PRIVATE-REVIEWER-4d5e",
                        comment_staff="PRIVATE-STAFF-6f7a", score=80)
    await Tranche.create(organisation=org, project=secret, amount_minor=500_001,
                         due_on=date(2027, 1, 20), status=TrancheStatus.PAID,
                         payment_reference="PRIVATE-REF-0d9e", paid_by_id=0, paid_on=date.today())
    private = {"narrative": {"progress": "PRIVATE-NARRATIVE-7f3a"},
               "review_comment": "PRIVATE-REVIEW-91c2", "submitted_by_id": contact.id}
    await OutcomeReport.create(organisation=org, project=secret, kind=ReportKind.BASELINE,
                               due_on=date(2027, 2, 15), status=ReportStatus.ACCEPTED,
                               values=BASELINE, **private)
    await OutcomeReport.create(organisation=org, project=secret, kind=ReportKind.MIDLINE,
                               due_on=date(2027, 7, 15), status=ReportStatus.SUBMITTED,
                               values={"yield_per_ha": 97531, "premium_share": 97531},
                               narrative={"progress": "PRIVATE-MIDLINE-8b9c"})
    await OutcomeReport.create(organisation=org, project=secret, kind=ReportKind.FINAL,
                               due_on=date(2028, 3, 1), status=ReportStatus.ACCEPTED,
                               values=FINAL, **private)
    named = await make_project(org, call, 2, title="Cocoa drying beds",
                               legal_name="Cooperativa Abierta del Sur",
                               status=ProjectStatus.COMPLETED, category="market_access",
                               kind="training", starts_on=date(2025, 5, 1))
    agreement = await make_project(org, call, 3, title="Not yet agreed",
                                   status=ProjectStatus.AGREEMENT)
    cancelled = await make_project(org, call, 4, title="Called off",
                                   status=ProjectStatus.CANCELLED)
    other_org = await make_org(slug="other-fund", name="Other Fund")
    foreign = await make_project(other_org, await make_call(other_org), 5,
                                 title="Foreign project", legal_name="Foreign Coop")
    return {"org": org, "secret": secret, "named": named, "agreement": agreement,
            "cancelled": cancelled, "foreign": foreign}


def public_paths(seeded: dict[str, Any]) -> list[str]:
    base = "/o/mlima-fund/projects"
    api = "/api/v1/orgs/mlima-fund/projects"
    secret = seeded["secret"].id
    queries = ["", "?country=KE", "?commodity=coffee", "?category=quality", "?kind=equipment",
               "?status=active", "?year=2027", "?q=cupping", "?q=Secreta", "?q=PRIVATE",
               "?country=ZZ&year=abc", "?page=2"]
    return [*(base + q for q in queries), f"{base}/{secret}", *(f"{base}.csv{q}" for q in
            queries), *(api + q for q in queries), f"{api}/{secret}"]


async def test_no_public_answer_holds_a_private_field(client: httpx.AsyncClient) -> None:
    seeded = await seed()
    seen = 0
    for language in ("en", "es", "fr"):
        for path in public_paths(seeded):
            for variant in (path + ("&" if "?" in path else "?") + f"lang={language}", path):
                response = await client.get(variant, headers={"accept-language": language})
                assert response.status_code == 200, (variant, response.status_code)
                for marker in MARKERS:
                    assert marker not in response.text, (variant, marker)
                seen += 1
    assert seen == 3 * 2 * len(public_paths(seeded))


async def test_what_the_coop_agreed_to_publish_is_shown(client: httpx.AsyncClient) -> None:
    seeded = await seed()
    secret, named = seeded["secret"], seeded["named"]
    listing = (await client.get("/o/mlima-fund/projects")).text
    assert ANON in listing and "Cocoa drying beds" in listing
    assert "A co-op in Kenya producing coffee" in listing
    assert "Cooperativa Abierta del Sur" in listing
    assert "800 → 1,150 kg per hectare" in listing and "30 → 45 %" in listing
    page = (await client.get(f"/o/mlima-fund/projects/{secret.id}")).text
    assert "A cupping lab so every lot is graded before it is sold." in page
    assert "800 → 1,150 kg per hectare" in page and "under way" in page
    assert "Yield per hectare" in page and "+44 %" in page
    assert "completed" in (await client.get(f"/o/mlima-fund/projects/{named.id}")).text

    item = (await client.get(f"/api/v1/orgs/mlima-fund/projects/{secret.id}")).json()
    assert item["cooperative"] == "A co-op in Kenya producing coffee"
    assert not item["cooperative_named"] and item["country"] == "KE"
    assert (item["status"], item["kind"], item["category"]) == ("active", "equipment",
                                                                "quality")
    assert (item["amount_minor"], item["currency"], item["starts_on"]) == (
        500_001, "USD", "2027-01-15")
    assert [(h["indicator"], h["baseline"], h["final"]) for h in item["highlights"]] == [
        ("yield_per_ha", 800, 1150), ("premium_share", 30, 45)]
    assert "region" not in item and "legal_name" not in item

    public_csv = await client.get("/o/mlima-fund/projects.csv")
    assert "no-store" not in public_csv.headers.get("cache-control", "")  # public: cacheable
    rows = list(csv.reader(io.StringIO(public_csv.text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Project", "Title", "Co-op"]
    by_title = {row[1]: row for row in rows[1:]}
    assert set(by_title) == {ANON, "Cocoa drying beds"}
    assert by_title[ANON][2] == "A co-op in Kenya producing coffee"
    assert "800 → 1,150 kg per hectare" in by_title[ANON][-1]
    assert by_title["Cocoa drying beds"][2] == "Cooperativa Abierta del Sur"

    spanish = (await client.get(f"/o/mlima-fund/projects/{secret.id}?lang=es")).text
    assert "Un laboratorio de catación para cada lote." in spanish
    assert "Rendimiento por hectárea" in spanish and "Kenia" in spanish
    assert "de 800 a 1.150 kg por hectárea" in spanish


async def test_projects_not_accepted_and_other_organisations_are_not_listed(
        client: httpx.AsyncClient) -> None:
    seeded = await seed()
    listing = (await client.get("/o/mlima-fund/projects")).text
    api = (await client.get("/api/v1/orgs/mlima-fund/projects")).json()
    assert {p["id"] for p in api} == {seeded["secret"].id, seeded["named"].id}
    for hidden in ("Not yet agreed", "Called off", "Foreign project", "Foreign Coop"):
        assert hidden not in listing
    for key in ("agreement", "cancelled", "foreign"):
        project_id = seeded[key].id
        assert (await client.get(f"/o/mlima-fund/projects/{project_id}")).status_code == 404
        assert (await client.get(
            f"/api/v1/orgs/mlima-fund/projects/{project_id}")).status_code == 404
    foreign = (await client.get("/api/v1/orgs/other-fund/projects")).json()
    assert [p["title"] for p in foreign] == ["Foreign project"]
    assert (await client.get("/o/no-such-fund/projects")).status_code == 404


async def test_filters_and_search_narrow_the_list(client: httpx.AsyncClient) -> None:
    await seed()

    async def titles(query: str) -> set[str]:
        found = (await client.get(f"/api/v1/orgs/mlima-fund/projects?{query}")).json()
        return {p["title"] for p in found}

    both = {ANON, "Cocoa drying beds"}
    assert await titles("") == both
    assert await titles("country=KE") == {ANON}
    assert await titles("country=pe") == {"Cocoa drying beds"}
    assert await titles("commodity=cocoa") == {"Cocoa drying beds"}
    assert await titles("commodity=tea") == set()
    assert await titles("category=market_access") == {"Cocoa drying beds"}
    assert await titles("kind=equipment") == {ANON}
    assert await titles("status=completed") == {"Cocoa drying beds"}
    assert await titles("year=2027") == {ANON}
    assert await titles("q=CUPPING") == set()            # a private co-op's own title
    assert await titles("q=DRYING") == {"Cocoa drying beds"}
    assert await titles("q=abierta") == {"Cocoa drying beds"}       # a published name
    assert await titles("q=Secreta") == set()                       # a private one
    assert await titles("country=KE&status=completed") == set()
    assert await titles("country=ZZ&year=soon&kind=") == both       # odd values: ignored

    page = await client.get("/o/mlima-fund/projects?country=PE&q=beds")
    assert "1 project" in page.text and "Country: Peru" in page.text
    assert "Search: beds" in page.text
    assert 'href="/o/mlima-fund/projects.csv?q=beds&amp;country=PE"' in page.text
    odd = await client.get("/o/mlima-fund/projects?country=ZZ&year=soon")
    assert odd.status_code == 200
    assert "not understood and are left out: Country, Started in" in odd.text
    none = await client.get("/o/mlima-fund/projects?q=nothing-like-it")
    assert "No project matches these filters." in none.text
    csv_rows = (await client.get("/o/mlima-fund/projects.csv?country=PE")).text.splitlines()
    assert len(csv_rows) == 2 and "Cocoa drying beds" in csv_rows[1]


async def test_the_directory_is_paged(client: httpx.AsyncClient) -> None:
    org = await make_org()
    call = await make_call(org)
    for number in range(52):
        await make_project(org, call, number, reports=False)
    first = await client.get("/api/v1/orgs/mlima-fund/projects?commodity=cocoa")
    assert len(first.json()) == 50 and first.headers["x-total-count"] == "52"
    assert "page=2" in first.headers["link"] and "commodity=cocoa" in first.headers["link"]
    second = (await client.get("/api/v1/orgs/mlima-fund/projects?page=2")).json()
    assert len(second) == 2
    html = (await client.get("/o/mlima-fund/projects?commodity=cocoa")).text
    assert "52 projects" in html
    assert 'href="/o/mlima-fund/projects?commodity=cocoa&amp;page=2"' in html
    rows = (await client.get("/o/mlima-fund/projects.csv")).text.splitlines()
    assert len(rows) == 53                                           # the export is whole


async def test_the_list_costs_the_same_queries_for_3_projects_as_for_30(
        client: httpx.AsyncClient) -> None:
    org = await make_org()
    await catalogue(org)
    call = await make_call(org)

    async def queries(path: str) -> int:
        with count_queries() as sent:
            response = await client.get(path)
        assert response.status_code == 200
        return len(sent)

    for number in range(3):
        await make_project(org, call, number, publish_name=number % 2 == 0)
    paths = ("/o/mlima-fund/projects?page=1",    # a query string: not the page cache
             "/o/mlima-fund/projects?commodity=cocoa&q=project",
             "/api/v1/orgs/mlima-fund/projects", "/o/mlima-fund/projects.csv?status=")
    few = [await queries(path) for path in paths]
    for number in range(3, 30):
        await make_project(org, call, number, publish_name=number % 2 == 0)
    many = [await queries(path) for path in paths]
    assert many == few, (few, many)
    assert few[0] <= 6, few                    # organisation, filters' choices, page, reports,
    html = (await client.get("/o/mlima-fund/projects")).text       # catalogue
    assert html.count("800 → 1,150 kg per hectare") == 30


async def test_the_api_documents_the_directory_as_public(client: httpx.AsyncClient) -> None:
    document = (await client.get("/api/v1/openapi.json")).json()
    for path in ("/api/v1/orgs/{org}/projects", "/api/v1/orgs/{org}/projects/{project_id}"):
        operation = document["paths"][path]["get"]
        assert "security" not in operation, path
        assert "PublicProjectOut" in str(operation["responses"]["200"])
    schema = document["components"]["schemas"]["PublicProjectOut"]
    assert not set(schema["properties"]) & {"legal_name", "region", "milestones", "narrative"}
