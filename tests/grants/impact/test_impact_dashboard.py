"""Staff's impact dashboard over HTTP: money by country, commodity, challenge and year in each
currency, reports on time and overdue, what works with the number of projects behind each
figure, the same numbers as CSV, staff only, and a number of queries that does not grow with
the number of projects."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta
from typing import Any

import httpx

from app import timefmt
from app.money import format_money
from app.orgs.models import Organisation, Role
from app.query_log import count_queries
from app.settings import Settings
from grants.applications.models import Application
from grants.applications.statuses import ApplicationStatus
from grants.calls.models import Call
from grants.impact.service import dashboard as impact
from grants.projects.models import Indicator, OutcomeReport, Project, Tranche
from grants.projects.statuses import ProjectStatus, ReportKind, ReportStatus, TrancheStatus
from tests.grants.factories import make_call, make_coop, make_eligible, make_fund
from tests.helpers import add_member, login, make_org, make_user

TODAY = timefmt.now().date()


def moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=timefmt.now().tzinfo)


async def report(org: Organisation, project: Project, kind: ReportKind, *, due: int,
                 submitted: int | None = None, status: ReportStatus = ReportStatus.ACCEPTED,
                 values: dict[str, Any] | None = None) -> None:
    """A report due `due` days before today, submitted `submitted` days before today."""
    await OutcomeReport.create(
        organisation=org, project=project, kind=kind, due_on=TODAY - timedelta(days=due),
        status=status, values=values or {},
        submitted_at=None if submitted is None else moment(TODAY - timedelta(days=submitted)))


async def funded(org: Organisation, call: Call, number: int, *, country: str = "PE",
                 commodities: tuple[str, ...] = ("coffee",), category: str = "quality",
                 kind: str = "training", amount: int = 1_000_000, paid: int = 0,
                 year: int = 2027, status: ProjectStatus = ProjectStatus.ACTIVE,
                 before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
                 title: str = "", coop: str = "") -> Project:
    """An awarded project, what it was paid (a tranche still scheduled beside it), and its
    accepted baseline and final reports, both sent on time, when values are given."""
    cooperative = await make_coop(org, legal_name=coop or f"Cooperativa {number}",
                                  country=country, commodities=list(commodities))
    application = await make_eligible(org, call, cooperative, category=category,
                                      title=title or f"Project {number}")
    await Application.filter(id=application.id).update(status=ApplicationStatus.AWARDED)
    project = await Project.create(
        organisation=org, application=application, call=call, fund_id=call.fund_id,
        status=status, amount_minor=amount, currency=call.currency, kind=kind,
        starts_on=date(year, 3, 1), ends_on=date(year + 1, 2, 28), created_by_id=0,
        indicators=sorted(before or {}))
    for amount_minor, state in ((paid, TrancheStatus.PAID), (amount, TrancheStatus.SCHEDULED)):
        if amount_minor:
            await Tranche.create(organisation=org, project=project, amount_minor=amount_minor,
                                 due_on=date(year, 4, 1), status=state)
    if before is not None:
        await report(org, project, ReportKind.BASELINE, due=300, submitted=301, values=before)
    if after is not None:
        await report(org, project, ReportKind.FINAL, due=20, submitted=21, values=after)
    return project


async def scene() -> tuple[Organisation, Call, Call]:
    """An organisation with a staff member signed in elsewhere; a USD call and a KES one."""
    org = await make_org()
    await add_member(org, await make_user(email="staff@fund.example"), Role.STAFF)
    call = await make_call(org, await make_fund(org))
    kes = await make_call(org, await make_fund(org, name="Chai Fund", currency="KES"),
                          categories=["market_access"])
    return org, call, kes


async def portfolio(org: Organisation, call: Call, kes: Call) -> None:
    yields = "yield_per_ha"
    one = await funded(org, call, 1, amount=1_000_000, paid=400_000, year=2026,
                       before={yields: 800, "cost_of_production": 10},
                       after={yields: 1000, "cost_of_production": 8})
    two = await funded(org, call, 2, commodities=("coffee", "cocoa"), amount=500_000,
                       before={yields: 1000}, after={yields: 1100},
                       title="<script>alert(1)</script> Drying beds", coop='=HYPERLINK("x")')
    await report(org, two, ReportKind.MIDLINE, due=10, status=ReportStatus.DUE)
    three = await funded(org, call, 3, country="KE", commodities=("tea",), amount=300_000,
                         before={yields: 500})
    await report(org, three, ReportKind.FINAL, due=30, submitted=25, values={yields: 500})
    await funded(org, kes, 4, country="KE", commodities=("tea",), category="market_access",
                 kind="credit", amount=40_000_000, paid=10_000_000,
                 before={yields: 100}, after={yields: 150})
    cancelled = await funded(org, call, 5, amount=700_000, status=ProjectStatus.CANCELLED)
    await report(org, cancelled, ReportKind.BASELINE, due=50, status=ReportStatus.DUE)
    assert one.id


def usd(minor: int) -> str:
    return format_money(minor, "USD")


def row_with(page: str, *texts: str) -> str:
    rows = [row for row in re.findall(r"<tr>.*?</tr>", page, re.S)
            if all(text in row for text in texts)]
    assert len(rows) == 1, (texts, rows)
    return rows[0]


def csv_rows(response: httpx.Response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["cache-control"] == "no-store"  # staff's figures, never cached
    assert response.text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(response.text[1:])))


async def test_staff_see_money_reports_and_what_works(client: httpx.AsyncClient,
                                                      settings: Settings) -> None:
    org, call, kes = await scene()
    await portfolio(org, call, kes)
    await login(client, "staff@fund.example")
    page = (await client.get(f"/o/{org.slug}/manage/impact")).text

    total = row_with(page, "<td>USD</td>")
    for figure in ("<td>3</td>", usd(1_800_000), usd(400_000), "22.2%"):
        assert figure in total              # the cancelled project's award is left out
    assert format_money(40_000_000, "KES") in row_with(page, "<td>KES</td>")
    assert "25%" in row_with(page, "<td>KES</td>")
    assert usd(1_500_000) in row_with(page, "<td>Peru</td>")
    assert usd(500_000) in row_with(page, "<td>Cocoa</td>")
    assert usd(300_000) in row_with(page, "<td>Kenya</td>", usd(0))
    assert usd(1_000_000) in row_with(page, "<td>2026</td>")
    assert format_money(40_000_000, "KES") in row_with(page, "<td>Market access</td>")

    assert "<td>7</td>" in row_with(page, "Submitted on time")
    assert "<td>1</td>" in row_with(page, "<td>Submitted late</td>")
    assert "<td>8</td>" in row_with(page, "<td>Accepted</td>")
    assert "<td>9</td>" in row_with(page, "In all")
    overdue = row_with(page, "Drying beds")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Drying beds" in overdue
    assert "Midline report" in overdue and "<td>10</td>" in overdue
    assert "<script>alert" not in page
    assert "1 report is overdue." in page

    trained = row_with(page, "Quality · Training and extension", "Yield per hectare")
    assert "<td>3</td>" in trained and "Too few projects to tell" not in trained
    assert "+10% (+5% to +17.5%)" in trained and "+100 (+50 to +150) kg per hectare" in trained
    cheaper = row_with(page, "Cost of production")
    assert "Too few projects to tell" in cheaper and "<td>+20%</td>" in cheaper
    assert "<td>+2 per kg, local currency</td>" in cheaper
    credit = row_with(page, "Market access · Credit and savings", "Yield per hectare")
    assert "Too few projects to tell" in credit and "+50%" in credit

    charts = re.findall(r'<svg [^>]*role="img"[^>]*>.*?</svg>', page, re.S)
    assert len(charts) >= 8 and all("<title>" in chart for chart in charts)
    effects = next(c for c in charts if "Median change" in c)
    assert "Yield per hectare (n=3)" in effects and "Credit and savings" not in effects
    assert ' style="' not in page.split('<main id="main">')[1]
    assert f'href="/o/{org.slug}/manage/impact.csv?table=what_works"' in page


async def test_the_numbers_as_csv(client: httpx.AsyncClient, settings: Settings) -> None:
    org, call, kes = await scene()
    await portfolio(org, call, kes)
    await login(client, "staff@fund.example")
    base = f"/o/{org.slug}/manage/impact.csv?table="

    funding = csv_rows(await client.get(base + "funding"))
    assert funding[0][:4] == ["Breakdown", "Key", "Name", "Currency"]
    assert ["All projects", "", "", "USD", "3", "18000.00", "4000.00", "22.22"] in funding
    assert ["All projects", "", "", "KES", "1", "400000.00", "100000.00", "25.00"] in funding
    assert ["Country", "PE", "Peru", "USD", "2", "15000.00", "4000.00", "26.67"] in funding
    assert ["Year", "2027", "2027", "USD", "2", "8000.00", "0.00", "0.00"] in funding

    effects = csv_rows(await client.get(base + "what_works"))
    assert ["Quality", "Training and extension", "Yield per hectare", "kg per hectare", "3",
            "100.00", "50.00", "150.00", "3", "10.00", "5.00", "17.50", ""] in effects
    assert ["Quality", "Training and extension", "Cost of production",
            "per kg, local currency", "1", "2.00", "2.00", "2.00", "1", "20.00", "20.00",
            "20.00", "yes"] in effects

    overdue = csv_rows(await client.get(base + "overdue"))
    assert overdue[1] == ["<script>alert(1)</script> Drying beds", "'=HYPERLINK(\"x\")",
                          "Midline report", (TODAY - timedelta(days=10)).isoformat(), "10"]
    compliance = csv_rows(await client.get(base + "compliance"))
    assert compliance[1:] == [["Due date passed", "9"], ["Submitted on time", "7"],
                              ["Submitted late", "1"], ["Overdue", "1"], ["Accepted", "8"]]
    assert (await client.get(base + "nothing")).status_code == 400


async def test_the_catalogue_names_indicators_in_the_viewers_language(
        client: httpx.AsyncClient, settings: Settings) -> None:
    org, call, _ = await scene()
    await Indicator.create(organisation=org, key="yield_per_ha", unit="kg_per_ha",
                           name={"en": "Coffee yield", "es": "Rendimiento de café"})
    await funded(org, call, 1, before={"yield_per_ha": 10, "trees": 5},
                 after={"yield_per_ha": 12, "trees": 7})
    await login(client, "staff@fund.example")
    page = (await client.get(f"/o/{org.slug}/manage/impact")).text
    assert "Coffee yield" in row_with(page, "+20%")
    assert "+40%" in row_with(page, "<td>trees</td>")   # not in the catalogue: its key
    assert "No figure rests on 3 projects or more yet" in page


async def test_an_empty_dashboard(client: httpx.AsyncClient, settings: Settings) -> None:
    org, _, _ = await scene()
    await login(client, "staff@fund.example")
    page = await client.get(f"/o/{org.slug}/manage/impact")
    assert page.status_code == 200
    assert "No project yet." in page.text and "No report is overdue." in page.text
    calls = (await client.get(f"/o/{org.slug}/manage/calls")).text
    assert f'href="/o/{org.slug}/manage/impact"' in calls


async def test_staff_only(client: httpx.AsyncClient, settings: Settings) -> None:
    org, call, kes = await scene()
    await portfolio(org, call, kes)
    await add_member(org, await make_user(email="reviewer@fund.example"), Role.REVIEWER)
    other = await make_org(slug="other-fund", name="Other Fund")
    await add_member(other, await make_user(email="staff@other.example"), Role.STAFF)
    for path in ("/impact", "/impact.csv?table=overdue"):
        await login(client, "reviewer@fund.example")
        assert (await client.get(f"/o/{org.slug}/manage{path}")).status_code == 403
        await login(client, "staff@other.example")
        response = await client.get(f"/o/{org.slug}/manage{path}")
        assert response.status_code == 404 and "Drying beds" not in response.text
        assert (await client.get(f"/o/{other.slug}/manage{path}")).status_code == 200
    assert "Drying beds" not in (await client.get(f"/o/{other.slug}/manage/impact")).text


async def test_the_queries_do_not_grow_with_the_projects(client: httpx.AsyncClient,
                                                         settings: Settings) -> None:
    org, call, kes = await scene()
    membership = await add_member(org, await make_user(email="ana@fund.example"), Role.STAFF)
    await membership.fetch_related("organisation")

    async def seed(numbers: range) -> None:
        for n in numbers:
            project = await funded(org, call if n % 2 else kes, n, paid=1000 * n,
                                   country=("PE", "KE", "CO")[n % 3],
                                   category="quality" if n % 2 else "market_access",
                                   before={"yield_per_ha": 100}, after={"yield_per_ha": 100 + n})
            await report(org, project, ReportKind.MIDLINE, due=n, status=ReportStatus.DUE)

    async def measure(projects: int) -> tuple[int, int]:
        with count_queries() as service:
            found = await impact.dashboard(membership)
        with count_queries() as page:
            assert (await client.get(f"/o/{org.slug}/manage/impact")).status_code == 200
        assert found.compliance.overdue == projects
        assert sum(row.projects for row in found.totals) == projects
        return len(service), len(page)

    await login(client, "staff@fund.example")
    await seed(range(1, 4))
    small = await measure(3)
    await seed(range(4, 31))
    large = await measure(30)
    assert small == large
    assert small[0] == 5          # projects, paid tranches, reports due, values, catalogue
