"""The staff impact dashboard: the rows it needs, read in five queries whatever
the number of projects and reports (flat rows, no model objects; grants/impact.py does the
sums), their labels in the viewer's language, and each of its tables as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tortoise.functions import Sum

from app import i18n, timefmt
from app.db import as_date, as_datetime, as_json, raw_rows
from app.i18n import gettext
from app.i18n import lazy_gettext as _l
from app.money import to_major_text
from app.orgs.models import Membership, Organisation
from app.tenancy import scoped
from grants.impact import dashboard as impact
from grants.impact.dashboard import Compliance, Effect, FundingRow, ProjectRow, ReportRow
from grants.projects.models import Indicator, OutcomeReport, Project, Tranche
from grants.projects.outcomes import DEFAULT_INDICATORS, KIND_LABELS, UNITS, IndicatorDef
from grants.projects.statuses import (
    Direction,
    ProjectStatus,
    ReportKind,
    ReportStatus,
    TrancheStatus,
)
from grants.shared import vocab
from grants.shared.common import require_staff, spreadsheet_cell

OVERDUE_SHOWN = 50
TABLES = ("funding", "compliance", "overdue", "what_works")
DIMENSION_LABELS = {
    "total": _l("All projects"),
    "country": _l("Country"),
    "commodity": _l("Commodity"),
    "category": _l("Challenge"),
    "year": _l("Year"),
}
NOT_STATED = _l("Not stated")


@dataclass(frozen=True)
class Dashboard:
    today: date
    totals: list[FundingRow]                    # one per currency
    funding: dict[str, list[FundingRow]]        # by dimension (impact.DIMENSIONS)
    compliance: Compliance
    effects: list[Effect]
    indicators: dict[str, IndicatorDef]         # by key, named in the viewer's language

    def indicator(self, key: str) -> IndicatorDef:
        return self.indicators.get(key) or IndicatorDef(key, key, "", Direction.UP)


def label(dimension: str, key: str) -> str:
    """A dimension's key as people read it: a country's name, a commodity, a challenge."""
    if not key:
        return gettext(NOT_STATED)
    if dimension == "country":
        return vocab.country_name(key)
    if dimension == "commodity":
        return vocab.label(vocab.COMMODITIES, key)
    if dimension == "category":
        return vocab.label(vocab.CATEGORIES, key)
    if dimension == "kind":
        return vocab.label(vocab.PROJECT_TYPES, key)
    return key


def unit_label(unit: str) -> str:
    return gettext(UNITS[unit]) if unit in UNITS else unit


def local_today(org: Organisation) -> date:
    return timefmt.local_date(timefmt.now(), org.timezone)


async def _projects(org: Organisation) -> dict[int, ProjectRow]:
    paid = await scoped(Tranche, org).filter(status=TrancheStatus.PAID).annotate(
        total=Sum("amount_minor")).group_by("project_id").values("project_id", "total")
    disbursed = {row["project_id"]: int(row["total"] or 0) for row in paid}
    rows = await raw_rows(scoped(Project, org).values(
        "id", "status", "amount_minor", "currency", "starts_on", "kind",
        title="application__title", category="application__category",
        coop="application__cooperative__legal_name",
        country="application__cooperative__country",
        commodities="application__cooperative__commodities"))
    return {row["id"]: ProjectRow(
        id=row["id"], title=row["title"] or "", coop=row["coop"] or "",
        status=ProjectStatus(row["status"]), amount_minor=int(row["amount_minor"]),
        currency=row["currency"], year=as_date(row["starts_on"]).year,
        country=row["country"] or "", commodities=tuple(as_json(row["commodities"]) or ()),
        category=row["category"] or "",
        kind=row["kind"] or "", disbursed_minor=disbursed.get(row["id"], 0))
        for row in rows}


def _report(row: dict[str, Any], timezone: str) -> ReportRow:
    submitted = as_datetime(row.get("submitted_at"))
    return ReportRow(id=row["id"], project_id=row["project_id"], kind=ReportKind(row["kind"]),
                     number=row["number"], due_on=as_date(row["due_on"]),
                     status=ReportStatus(row["status"]),
                     submitted_on=timefmt.local_date(submitted, timezone) if submitted
                     else None,
                     values=as_json(row.get("values")) or {})


async def _reports(org: Organisation, today: date) -> tuple[list[ReportRow], list[ReportRow]]:
    """Reports whose due date has passed, and the accepted baselines and finals with their
    values (the only reports whose JSON is read)."""
    fields = ("id", "project_id", "kind", "number", "due_on", "status")
    past = await raw_rows(scoped(OutcomeReport, org).filter(due_on__lt=today).values(
        *fields, "submitted_at"))      # thousands of dates: read as the driver gives them
    measured = await raw_rows(scoped(OutcomeReport, org).filter(
        status=ReportStatus.ACCEPTED, kind__in=[ReportKind.BASELINE, ReportKind.FINAL]
    ).values(*fields, "values"))
    return ([_report(row, org.timezone) for row in past],
            [_report(row, org.timezone) for row in measured])


async def _indicators(org: Organisation) -> dict[str, IndicatorDef]:
    """The catalogue, named in the viewer's language; the default one while none is kept."""
    rows = await scoped(Indicator, org).order_by("id").values("key", "name", "unit",
                                                               "direction")
    if not rows:
        return {d.key: IndicatorDef(d.key, gettext(d.name), d.unit, d.direction)
                for d in DEFAULT_INDICATORS}
    return {row["key"]: IndicatorDef(
        row["key"], i18n.localised(row["name"] or {}, org.locales) or row["key"], row["unit"],
        Direction(row["direction"])) for row in rows}


async def dashboard(membership: Membership, *, today: date | None = None,
                    overdue_limit: int | None = OVERDUE_SHOWN) -> Dashboard:
    """Everything the page shows, in a fixed number of queries (staff only)."""
    require_staff(membership)
    org = membership.organisation
    today = today or local_today(org)
    projects = await _projects(org)
    past, measured = await _reports(org, today)
    indicators = await _indicators(org)
    directions = {key: d.direction for key, d in indicators.items()}
    rows = list(projects.values())
    return Dashboard(
        today=today, totals=impact.totals(rows),
        funding={d: impact.funding(rows, d) for d in impact.DIMENSIONS},
        compliance=impact.compliance(past, projects, today, overdue_limit),
        effects=impact.what_works(rows, measured, directions), indicators=indicators)


Cell = str | int | Decimal | None       # text is made safe from formulas, numbers are not


def _number(value: float | None) -> Decimal | None:
    return None if value is None else round(Decimal(value), 2)


def _money(amount_minor: int, currency: str) -> Decimal:
    return Decimal(to_major_text(amount_minor, currency))


def _funding_rows(found: Dashboard) -> Iterable[list[Cell]]:
    yield [gettext(h) for h in (_l("Breakdown"), _l("Key"), _l("Name"), _l("Currency"),
                                _l("Projects"), _l("Awarded"), _l("Disbursed"),
                                _l("Disbursed, percent of awarded"))]
    groups = [("total", found.totals), *found.funding.items()]
    for dimension, rows in groups:
        for row in rows:
            yield [gettext(DIMENSION_LABELS[dimension]), row.key,
                   label(dimension, row.key) if dimension != "total" else "", row.currency,
                   row.projects, _money(row.awarded_minor, row.currency),
                   _money(row.disbursed_minor, row.currency), _number(row.disbursed_share)]


def _compliance_rows(found: Dashboard) -> Iterable[list[Cell]]:
    c = found.compliance
    yield [gettext(_l("Reports")), gettext(_l("Number"))]
    for text, n in ((_l("Due date passed"), c.past_due), (_l("Submitted on time"), c.on_time),
                    (_l("Submitted late"), c.late), (_l("Overdue"), c.overdue),
                    (_l("Accepted"), c.accepted)):
        yield [gettext(text), n]


def _overdue_rows(found: Dashboard) -> Iterable[list[Cell]]:
    yield [gettext(h) for h in (_l("Project"), _l("Co-op"), _l("Report"), _l("Due on"),
                                _l("Days late"))]
    for o in found.compliance.overdue_reports:
        yield [o.project.title, o.project.coop, gettext(KIND_LABELS[o.report.kind]),
               o.report.due_on.isoformat(), o.days_late]


def _effect_rows(found: Dashboard) -> Iterable[list[Cell]]:
    yield [gettext(h) for h in (
        _l("Challenge"), _l("Project type"), _l("Indicator"), _l("Unit"), _l("Projects"),
        _l("Median difference"), _l("Difference, first quartile"),
        _l("Difference, third quartile"), _l("Projects with a baseline other than zero"),
        _l("Median change, percent of baseline"), _l("Change, first quartile, percent"),
        _l("Change, third quartile, percent"), _l("Too few projects to tell"))]
    for e in found.effects:
        indicator = found.indicator(e.indicator)
        r = e.relative
        yield [label("category", e.category), label("kind", e.kind), indicator.name,
               unit_label(indicator.unit), e.n, _number(e.difference.median),
               _number(e.difference.low), _number(e.difference.high), e.n_relative,
               _number(r.median if r else None), _number(r.low if r else None),
               _number(r.high if r else None), gettext(_l("yes")) if e.too_few else ""]


WRITERS: dict[str, Callable[[Dashboard], Iterable[list[Cell]]]] = {
    "funding": _funding_rows, "compliance": _compliance_rows, "overdue": _overdue_rows,
    "what_works": _effect_rows,
}


def as_csv(found: Dashboard, table: str) -> str:
    """One of the dashboard's tables (TABLES) as CSV; nothing typed becomes a formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([spreadsheet_cell(cell) if isinstance(cell, str) else cell for cell in row]
                     for row in WRITERS[table](found))
    return out.getvalue()
