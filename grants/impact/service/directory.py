"""The public directory of funded projects: the queries behind its page, its CSV
and its API. A page costs the same few queries however many projects there are: the page of
projects with their application and co-op joined in, the accepted baseline and final reports
of the page's projects whose co-op agreed to publish outcomes, and the indicator catalogue.
Only the columns grants/publication.py may show are read (and the co-op's name, which it
shows only with consent)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from tortoise.expressions import Q
from tortoise.functions import Max, Min
from tortoise.queryset import QuerySet

from app.db import raw_rows
from app.errors import NotFound
from app.i18n import gettext
from app.i18n import lazy_gettext as _l
from app.money import to_major_text
from app.orgs.models import Organisation
from app.pagination import PER_PAGE, Page
from app.tenancy import scoped
from grants.coops.models import Cooperative
from grants.impact.publication import (
    LISTED,
    IndicatorFacts,
    ProjectFacts,
    PublicProject,
    ReportFacts,
    highlights_text,
    publish_all,
)
from grants.projects.models import Indicator, OutcomeReport, Project
from grants.projects.statuses import ReportKind, ReportStatus
from grants.shared import vocab
from grants.shared.common import spreadsheet_cell

COLUMNS = {            # what is read of a project, by ProjectFacts field
    "id": "id", "status": "status", "title": "application__title",
    "category": "application__category", "kind": "kind", "amount_minor": "amount_minor",
    "currency": "currency", "starts_on": "starts_on", "ends_on": "ends_on",
    "country": "application__cooperative__country",
    "commodities": "application__cooperative__commodities",
    "legal_name": "application__cooperative__legal_name", "publish_name": "publish_name",
    "publish_outcomes": "publish_outcomes", "public_summary": "public_summary",
}
STATUSES = tuple(s.value for s in LISTED)
MAX_QUERY = 100


@dataclass(frozen=True)
class Filters:
    """The directory's filters, from the query string. Values that mean nothing are dropped
    and named in `ignored`, so a page can say so instead of failing."""

    country: str = ""
    commodity: str = ""
    category: str = ""
    kind: str = ""
    status: str = ""
    year: int | None = None
    q: str = ""
    ignored: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Filters:
        raw = {name: str(query.get(name, "")).strip() for name in
               ("country", "commodity", "category", "kind", "status", "year", "q")}
        country, year = raw["country"].upper(), raw["year"]
        found = cls(
            country=country if vocab.is_country(country) else "",
            commodity=raw["commodity"] if raw["commodity"] in vocab.COMMODITIES else "",
            category=raw["category"] if _printable(raw["category"], 64) else "",
            kind=raw["kind"] if raw["kind"] in vocab.PROJECT_TYPES else "",
            status=raw["status"] if raw["status"] in STATUSES else "",
            year=int(year) if year.isascii() and year.isdigit() and 1900 <= int(year) <= 2200
            else None,
            q=raw["q"] if _printable(raw["q"], MAX_QUERY) else "")
        ignored = tuple(name for name, text in raw.items()
                        if text and not found.value(name))
        return replace(found, ignored=ignored)

    def value(self, name: str) -> str:
        found = getattr(self, name)
        return "" if found is None else str(found)

    @property
    def active(self) -> dict[str, str]:
        """The filters in use, by query parameter."""
        return {name: self.value(name) for name in
                ("q", "country", "commodity", "category", "kind", "status", "year")
                if self.value(name)}

    def query_string(self, **extra: object) -> str:
        return urlencode({**self.active, **{k: str(v) for k, v in extra.items()}})


def _printable(text: str, longest: int) -> bool:
    return bool(text) and text.isprintable() and len(text) <= longest


@dataclass(frozen=True)
class Facets:
    """What the filters offer: the countries, challenges and types of the listed projects,
    and the years they started in."""

    countries: list[tuple[str, str]]
    categories: list[tuple[str, str]]
    kinds: list[tuple[str, str]]
    years: list[int]


def _listed(org: Organisation) -> QuerySet[Project]:
    return scoped(Project, org).filter(status__in=STATUSES)


async def _filtered(org: Organisation, filters: Filters) -> QuerySet[Project]:
    rows = _listed(org)
    if filters.country:
        rows = rows.filter(application__cooperative__country=filters.country)
    if filters.category:
        rows = rows.filter(application__category=filters.category)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.year is not None:
        rows = rows.filter(starts_on__gte=date(filters.year, 1, 1),
                           starts_on__lt=date(filters.year + 1, 1, 1))
    if filters.q:
        rows = rows.filter(Q(publish_name=True) & (  # a private co-op's title may name it
            Q(application__title__icontains=filters.q)
            | Q(application__cooperative__legal_name__icontains=filters.q)))
    if filters.commodity:
        # A JSON list, which SQLite cannot search: the co-ops that produce it, in one query.
        coops = await scoped(Cooperative, org).values_list("id", "commodities")
        ids = [coop_id for coop_id, crops in coops if filters.commodity in (crops or [])]
        rows = rows.filter(application__cooperative_id__in=ids)
    return rows.order_by("-starts_on", "-id")


def _facts(row: Mapping[str, Any]) -> ProjectFacts:
    values = {name: row[column] for name, column in COLUMNS.items()}
    values["commodities"] = tuple(values["commodities"] or ())
    values["status"] = str(values["status"])
    return ProjectFacts(**values)


async def _published(org: Organisation, rows: list[dict[str, Any]], *, page: bool = True
                     ) -> list[PublicProject]:
    """The public records of these projects: their accepted baseline and final reports (only
    where the co-op agreed to publish outcomes) and the catalogue, one query each."""
    projects = [_facts(row) for row in rows]
    consenting = [p.id for p in projects if p.publish_outcomes]
    reports: list[ReportFacts] = []
    catalogue: list[IndicatorFacts] = []
    if consenting:
        found = scoped(OutcomeReport, org).filter(
            status=ReportStatus.ACCEPTED, kind__in=[ReportKind.BASELINE, ReportKind.FINAL],
            project__status__in=STATUSES, project__publish_outcomes=True)
        if page:                    # a page's few projects; an export takes them all
            found = found.filter(project_id__in=consenting)
        reports = [ReportFacts(project_id=r["project_id"], kind=str(r["kind"]),
                               number=r["number"], status=str(r["status"]), values=r["values"])
                   for r in await found.values("project_id", "kind", "number", "status",
                                               "values")]
    if reports:
        catalogue = [IndicatorFacts(key=i["key"], names=i["name"] or {}, unit=i["unit"],
                                    direction=str(i["direction"]))
                     for i in await scoped(Indicator, org).order_by("id").values(
                         "key", "name", "unit", "direction")]
    return publish_all(projects, reports, catalogue)


async def directory(org: Organisation, filters: Filters, number: int,
                    per_page: int = PER_PAGE) -> Page[Any]:
    """A page of the listed projects matching the filters, newest first."""
    rows = await _filtered(org, filters)
    start = (number - 1) * per_page
    found = list(await rows.offset(start).limit(per_page + 1).values(*COLUMNS.values()))
    if len(found) <= per_page and (found or number == 1):
        total = start + len(found)
    else:
        total = await rows.count()
    items = await _published(org, found[:per_page])
    return Page[Any](items=items, number=number, total=total, per_page=per_page)


async def project(org: Organisation, project_id: int) -> PublicProject:
    """One listed project; any other answers 404."""
    rows = await _listed(org).filter(id=project_id).values(*COLUMNS.values())
    published = await _published(org, rows)
    if not published:
        raise NotFound()
    return published[0]


async def facets(org: Organisation) -> Facets:
    """The choices of the filters, from the listed projects, in one grouped query."""
    groups = await raw_rows(_listed(org).annotate(
        first=Min("starts_on"), last=Max("starts_on")).group_by(
        "application__cooperative__country", "application__category", "kind").values(
        "application__cooperative__country", "application__category", "kind", "first",
        "last"))                 # dates as the driver gives them: `_year` reads either
    countries = {g["application__cooperative__country"] for g in groups}
    categories = {g["application__category"] for g in groups} - {""}
    kinds = {g["kind"] for g in groups} - {""}
    years = {year for g in groups for year in range(_year(g["first"]), _year(g["last"]) + 1)}
    return Facets(
        countries=sorted(((c, vocab.country_name(c)) for c in countries), key=lambda c: c[1]),
        categories=sorted((c, vocab.label(vocab.CATEGORIES, c)) for c in categories),
        kinds=sorted((k, vocab.label(vocab.PROJECT_TYPES, k)) for k in kinds),
        years=sorted(years, reverse=True))


def _year(value: date | str) -> int:
    return value.year if isinstance(value, date) else int(str(value)[:4])


HEADER = (_l("Project"), _l("Title"), _l("Co-op"), _l("Country"), _l("Commodities"),
          _l("Challenge"), _l("Project type"), _l("Amount"), _l("Currency"), _l("Starts"),
          _l("Ends"), _l("Status"), _l("Summary"), _l("Results"))


async def export_csv(org: Organisation, filters: Filters) -> str:
    """Every listed project matching the filters, as the page shows them."""
    rows = await (await _filtered(org, filters)).values(*COLUMNS.values())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([gettext(title) for title in HEADER])
    for p in await _published(org, rows, page=False):
        writer.writerow([
            p.id, spreadsheet_cell(p.title), spreadsheet_cell(p.cooperative), p.country_name,
            p.commodity_names, spreadsheet_cell(p.category_label), p.kind_label,
            to_major_text(p.amount_minor, p.currency), p.currency, p.starts_on.isoformat(),
            p.ends_on.isoformat(), p.status_label, spreadsheet_cell(p.summary),
            spreadsheet_cell(highlights_text(p))])
    return out.getvalue()
