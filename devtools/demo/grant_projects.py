"""Demo data of funded projects: last year's call, decided, whose awards became
projects — five completed with accepted baseline and final reports (so the impact dashboard
and the public directory have something to show), one under way with its midline overdue,
one whose agreement waits for the co-op — and one award of Nyeri's (coop@demo.example.org)
that is not a project yet, for staff to start.

Rows are written directly, as grants/demo.py does: no mail goes out.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from app.orgs.models import Organisation
from app.timefmt import now
from grants.applications.models import Application
from grants.applications.statuses import ApplicationStatus
from grants.calls.default_form import DEFAULT_FORM
from grants.calls.models import Call
from grants.calls.statuses import CallStatus
from grants.coops.models import Cooperative
from grants.funds.models import Fund, LedgerEntry
from grants.funds.statuses import LedgerKind
from grants.projects.models import OutcomeReport, Project, Tranche
from grants.projects.outcomes import default_schedule
from grants.projects.service.indicators import catalogue
from grants.projects.statuses import ProjectStatus, ReportKind, ReportStatus, TrancheStatus
from grants.review.models import Decision
from grants.review.statuses import DecisionKind

TITLE = {"en": "Cooperative Small Grants 2025", "es": "Pequeñas subvenciones 2025",
         "fr": "Petites subventions 2025", "pt": "Pequenas subvenções 2025",
         "sw": "Ruzuku ndogo 2025"}
INDICATORS = ["yield_per_ha", "premium_share", "members_trained_women",
              "income_vs_living_income"]

# co-op's legal name, challenge, project type, amount, state, consents (name, outcomes),
# baseline values, final values (yield, premium %, women trained, income vs living income %)
PROJECTS: tuple[tuple[Any, ...], ...] = (
    ("Kiambu Highlands Coffee Farmers Co-operative Society", "quality", "training", 1_200_000,
     "completed", (True, True), (610, 22, 35, 48), (790, 41, 180, 57)),
    ("Rwenzori Slopes Coffee Co-operative Union", "quality", "training", 1_500_000,
     "completed", (True, True), (540, 18, 60, 41), (700, 30, 260, 47)),
    ("Koperative Ikawa Nziza Huye", "quality", "training", 900_000, "completed",
     (False, True), (480, 25, 20, 39), (560, 44, 95, 44)),
    ("Cooperativa Agraria Flor del Valle", "market_access", "market_linkage", 1_300_000,
     "completed", (True, True), (720, 30, 15, 52), (735, 52, 40, 61)),
    ("Cooperativa de Cacao Río Huallaga", "productivity", "equipment", 1_100_000, "completed",
     (True, False), (390, 10, 12, 35), (520, 12, 30, 40)),
    ("Asociación de Caficultores del Sur del Huila", "financing", "credit", 800_000, "active",
     (True, True), (650, 20, 25, 45), None),
    ("Cooperativa Cafetalera Montaña Verde", "quality", "certification", 700_000, "agreement",
     (False, False), None, None),
)
PENDING = "Nyeri Hills Tea Growers Co-operative"     # awarded, not a project yet


def _call(fund: Fund) -> dict[str, Any]:
    opens = now().replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=520)
    return {"fund": fund, "currency": fund.currency, "form": DEFAULT_FORM,
            "status": CallStatus.DECIDED, "title": TITLE, "description": {},
            "opens_at": opens, "closes_at": opens + timedelta(days=45),
            "budget_minor": 12_000_000, "min_request_minor": 300_000,
            "max_request_minor": 2_000_000,
            "categories": ["quality", "market_access", "financing", "productivity"],
            "identifying_fields": ["legal_name", "contacts"], "indicators": INDICATORS}


async def _award(org: Organisation, call: Call, coop: Cooperative, category: str,
                 amount: int) -> Application:
    application = await Application.create(
        organisation=org, call=call, cooperative=coop, status=ApplicationStatus.AWARDED,
        title=f"Quality promoters for {coop.legal_name}" if category == "quality"
        else f"{category.replace('_', ' ').capitalize()} for {coop.legal_name}",
        category=category, language="en", currency=call.currency, requested_minor=amount,
        form=call.form, created_by_id=0, submitted_at=call.opens_at + timedelta(days=10))
    await Decision.create(organisation=org, call=call, application=application,
                          kind=DecisionKind.AWARD, amount_minor=amount, currency=call.currency,
                          decided_by_id=0, published_at=call.closes_at + timedelta(days=30))
    return application


async def _reports(org: Organisation, project: Project, baseline: tuple[int, ...] | None,
                   final: tuple[int, ...] | None, today: date) -> None:
    for kind, due_on in default_schedule(project.starts_on, project.ends_on).items():
        values = baseline if kind is ReportKind.BASELINE else final \
            if kind is ReportKind.FINAL else None
        if kind is ReportKind.MIDLINE and baseline and final:
            values = tuple(round((b + f) / 2) for b, f in zip(baseline, final, strict=True))
        done = values is not None and due_on <= today
        await OutcomeReport.create(
            organisation=org, project=project, kind=kind, due_on=due_on,
            status=ReportStatus.ACCEPTED if done else ReportStatus.DUE,
            values=dict(zip(INDICATORS, values, strict=True)) if done and values else {},
            narrative={"progress": "Promoters trained; cupping sessions every harvest."}
            if done else {}, submitted_at=now() if done else None)


async def load(org: Organisation, fund: Fund) -> None:
    await catalogue(org)
    today = now().date()
    call = await Call.create(organisation=org, **_call(fund))
    coops = {c.legal_name: c for c in await Cooperative.filter(organisation_id=org.id)}
    for (name, category, kind, amount, state, (named, outcomes), baseline,
         final) in PROJECTS:
        application = await _award(org, call, coops[name], category, amount)
        starts = today + timedelta(days={"completed": -480, "active": -200}.get(state, 30))
        project = await Project.create(
            organisation=org, application=application, call_id=call.id, fund_id=fund.id,
            status=ProjectStatus(state), amount_minor=amount, currency=call.currency,
            starts_on=starts, ends_on=starts + timedelta(days=365), indicators=INDICATORS,
            kind=kind, publish_name=named, publish_outcomes=outcomes,
            public_summary={"en": "Quality promoters trained by the co-op; more of the crop "
                                  "sold at a premium."} if outcomes else None,
            milestones=[{"title": "Promoters trained", "due_on": str(starts + timedelta(
                days=120))}], created_by_id=0,
            accepted_by_id=0 if state != "agreement" else None,
            accepted_at=now() - timedelta(days=470) if state != "agreement" else None)
        await _reports(org, project, baseline, final, today)
        await _tranches(org, project, state)
    await _award(org, call, coops[PENDING], "productivity", 1_000_000)
    # Last year's applications were last touched last year (lists order by it).
    await Application.filter(call_id=call.id).update(  # unscoped: the call just made
        updated_at=call.closes_at)


async def _tranches(org: Organisation, project: Project, state: str) -> None:
    half = project.amount_minor // 2
    for number, amount in enumerate((half, project.amount_minor - half)):
        paid = state == "completed" or (state == "active" and number == 0)
        tranche = await Tranche.create(
            organisation=org, project=project, amount_minor=amount,
            due_on=project.starts_on + timedelta(days=number * 300),
            condition="final" if number else None,
            status=TrancheStatus.PAID if paid else TrancheStatus.SCHEDULED,
            approved_by_id=0 if paid else None, paid_by_id=0 if paid else None,
            paid_on=project.starts_on + timedelta(days=number * 300 + 5) if paid else None,
            payment_reference=f"DEMO-{project.id}-{number + 1}" if paid else "")
        if paid:
            await LedgerEntry.create(
                organisation=org, fund_id=project.fund_id, kind=LedgerKind.TRANCHE,
                amount_minor=-amount, currency=project.currency, source="tranche",
                reference=f"tranche:{tranche.id}")
