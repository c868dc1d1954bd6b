"""`python -m bench.seed_projects`: bring the demo organisation to 5,000 funded projects with
20,000 outcome reports (a baseline, two midlines and a final each) and 10,000 tranches, so
the impact dashboard and the public directory are measured at that size; then print how many
SQL queries each page sends, through the app in this process (the environment names the
database)."""

from __future__ import annotations

import asyncio
import random
import re
import time
from datetime import timedelta
from typing import Any

import httpx

from app.db import close_db, init_db
from app.main import create_app, services
from app.orgs.models import Organisation
from app.query_log import count_queries
from app.settings import load_settings
from app.timefmt import now
from devtools.demo import DEMO_DOMAIN, DEMO_PASSWORD
from grants.applications.models import Application
from grants.applications.statuses import ApplicationStatus
from grants.calls.models import Call
from grants.calls.statuses import CallStatus
from grants.coops.models import Cooperative
from grants.funds.models import Fund
from grants.projects.models import OutcomeReport, Project, Tranche
from grants.projects.statuses import ProjectStatus, ReportKind, ReportStatus, TrancheStatus

PROJECTS, COOPS, CALLS = 5000, 500, 10
DEMO_ORG = "mlima-growers-fund"
INDICATORS = ["yield_per_ha", "premium_share", "members_trained_women",
              "income_vs_living_income"]
COUNTRIES = ["KE", "UG", "TZ", "RW", "ET", "PE", "CO", "HN", "DO"]
CROPS = ["coffee", "tea", "cocoa", "banana"]
CATEGORIES = ["quality", "market_access", "financing", "productivity"]
TYPES = ["training", "equipment", "certification", "credit", "market_linkage"]
PAGES = {"dashboard": "/o/mlima-growers-fund/manage/impact",
         "directory": "/o/mlima-growers-fund/projects?page=1",
         "directory, page 40": "/o/mlima-growers-fund/projects?page=40"}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
BATCH = 500


async def _bulk(rows: list[Any]) -> None:
    for start in range(0, len(rows), BATCH):
        await type(rows[0]).bulk_create(rows[start:start + BATCH])


async def _calls_and_coops(org: Organisation, fund: Fund) -> tuple[list[Call], list[Any]]:
    opens = now() - timedelta(days=900)
    calls = [await Call.create(
        organisation=org, fund=fund, status=CallStatus.DECIDED, currency=fund.currency,
        title={"en": f"Bench round {n + 1}"}, opens_at=opens, closes_at=opens + timedelta(45),
        budget_minor=100_000_000, min_request_minor=100_000, max_request_minor=2_000_000,
        categories=CATEGORIES, form={}) for n in range(CALLS)]
    rng = random.Random(7)
    await _bulk([Cooperative(
        organisation=org, legal_name=f"Bench Co-operative {n + 1}",
        country=rng.choice(COUNTRIES), region="", legal_form="cooperative",
        commodities=[rng.choice(CROPS)], members_total=rng.randint(50, 3000))
        for n in range(COOPS)])
    coops = await Cooperative.filter(organisation_id=org.id,  # unscoped: the demo's own
                                     legal_name__startswith="Bench ").order_by("id")
    return calls, coops


async def seed() -> None:
    await init_db(load_settings().database_url)
    try:
        org = await Organisation.get(slug=DEMO_ORG)
        if await Project.filter(organisation_id=org.id).count() >= PROJECTS:  # unscoped: demo
            return
        fund = await Fund.filter(organisation_id=org.id).first()  # unscoped: the demo's
        assert fund is not None, "the demo has a fund"
        calls, coops = await _calls_and_coops(org, fund)
        rng = random.Random(11)
        await _bulk([Application(
            organisation=org, call=calls[n % CALLS], cooperative=coops[n // CALLS],
            status=ApplicationStatus.AWARDED, title=f"Bench project {n + 1}",
            category=rng.choice(CATEGORIES), language="en", currency=fund.currency,
            requested_minor=1_000_000, form={}, created_by_id=0) for n in range(PROJECTS)])
        applications = await Application.filter(  # unscoped: the demo's own
            organisation_id=org.id, title__startswith="Bench project").order_by("id")
        today = now().date()
        projects = []
        for application in applications:
            status = rng.choices(list(ProjectStatus), [3, 14, 2, 1])[0]
            starts = today - timedelta(days=rng.randint(30, 1500))
            projects.append(Project(
                organisation=org, application=application, call_id=application.call_id,
                fund_id=fund.id, status=status, amount_minor=rng.randint(3, 20) * 100_000,
                currency=fund.currency, starts_on=starts, ends_on=starts + timedelta(365),
                indicators=INDICATORS, kind=rng.choice(TYPES), created_by_id=0,
                publish_name=rng.random() < 0.6, publish_outcomes=rng.random() < 0.7,
                public_summary={"en": "Promoters trained; more sold at a premium."}))
        await _bulk(projects)
        made = await Project.filter(organisation_id=org.id,  # unscoped: the demo's own
                                    application__title__startswith="Bench project")
        await _bulk([tranche for p in made for tranche in _tranches(org, p)])
        await _bulk([report for p in made for report in _reports(org, p, rng, today)])
    finally:
        await close_db()


def _tranches(org: Organisation, project: Project) -> list[Tranche]:
    half = project.amount_minor // 2
    done = project.status is ProjectStatus.COMPLETED
    return [Tranche(organisation=org, project=project, amount_minor=amount,
                    due_on=project.starts_on + timedelta(days=300 * n),
                    status=TrancheStatus.PAID if done or n == 0 else TrancheStatus.SCHEDULED,
                    paid_on=project.starts_on if done or n == 0 else None)
            for n, amount in enumerate((half, project.amount_minor - half))]


def _reports(org: Organisation, project: Project, rng: random.Random, today: Any
             ) -> list[OutcomeReport]:
    base = {"yield_per_ha": rng.randint(300, 900), "premium_share": rng.randint(5, 40),
            "members_trained_women": rng.randint(0, 80),
            "income_vs_living_income": rng.randint(30, 70)}
    rows = []
    for step, (kind, number) in enumerate(((ReportKind.BASELINE, 1), (ReportKind.MIDLINE, 1),
                                          (ReportKind.MIDLINE, 2), (ReportKind.FINAL, 1))):
        due = project.starts_on + timedelta(days=30 + 120 * step)
        done = due < today and rng.random() < 0.9
        values = {key: round(value * (1 + rng.uniform(-0.1, 0.5) * step / 3), 1)
                  for key, value in base.items()}
        rows.append(OutcomeReport(
            organisation=org, project=project, kind=kind, number=number, due_on=due,
            status=ReportStatus.ACCEPTED if done else ReportStatus.DUE,
            values=values if done else {}, narrative={"progress": "Private narrative."}))
    return rows


async def query_counts() -> dict[str, tuple[int, float]]:
    """The SQL statements each measured page sends (staff signed in for the dashboard), and
    how long its first answer took (the dashboard's: computed, not kept)."""
    settings = load_settings()
    app = create_app(settings)
    counts = {}
    await init_db(settings.database_url)
    async with services(app, settings):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            token = CSRF.search((await http.get("/login")).text)
            assert token, "the login form has a CSRF token"
            await http.post("/login", data={"email": f"owner@{DEMO_DOMAIN}",
                                            "password": DEMO_PASSWORD,
                                            "csrf_token": token.group(1)})
            for name, path in PAGES.items():
                if name != "dashboard":
                    http.cookies.clear()               # the public directory: anonymous
                started = time.perf_counter()
                with count_queries() as sent:
                    response = await http.get(path)
                assert response.status_code == 200, (path, response.status_code)
                counts[name] = (len(sent), time.perf_counter() - started)
    await close_db()
    return counts


if __name__ == "__main__":
    asyncio.run(seed())
    for page, (count, seconds) in asyncio.run(query_counts()).items():
        print(f"  queries: {page} sends {count} SQL statements with {PROJECTS:,} projects "
              f"and {PROJECTS * 4:,} reports; first answer in {seconds * 1000:.0f} ms "
              "(in process, SQLite)")
