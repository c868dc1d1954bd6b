"""Staff's impact dashboard: the page, with its charts drawn as inline SVG beside tables of
the same numbers, and each table as CSV."""

from __future__ import annotations

from collections.abc import Iterable

from babel import Locale
from babel.numbers import format_decimal, format_percent
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from app import i18n
from app.errors import BadRequest
from app.i18n import gettext
from app.i18n import lazy_gettext as _l
from app.money import format_money
from app.templating import render
from app.web import CSV, attachment_response, csv_body
from grants.impact.charts import Bar, bar_chart
from grants.impact.dashboard import MIN_PROJECTS, FundingRow
from grants.impact.service import dashboard as impact
from grants.impact.service import dashboard_cache as impact_cache
from grants.impact.service.dashboard import DIMENSION_LABELS, Dashboard, label, unit_label
from grants.projects.outcomes import KIND_LABELS
from grants.shared.web import page_context, staff_of

FUNDING_BARS, EFFECT_BARS = 15, 20      # more rows are in the tables only
FUNDING_TITLES = {
    "country": _l("Awarded by country, %(currency)s"),
    "commodity": _l("Awarded by commodity, %(currency)s"),
    "category": _l("Awarded by challenge, %(currency)s"),
    "year": _l("Awarded by year the project started, %(currency)s"),
}


def percent(value: float | None) -> str:
    if value is None:
        return "–"
    return str(format_percent(value / 100, "#,##0.#%", locale=_locale()))


def signed_percent(value: float | None) -> str:
    if value is None:
        return "–"
    return str(format_percent(value / 100, "+#,##0.#%;-#,##0.#%", locale=_locale()))


def signed(value: float) -> str:
    return str(format_decimal(value, "+#,##0.##;-#,##0.##", locale=_locale()))


def _locale() -> Locale:
    return i18n.babel_locale(i18n.current_locale())


def _by_currency(rows: Iterable[FundingRow]) -> dict[str, list[FundingRow]]:
    grouped: dict[str, list[FundingRow]] = {}
    for row in rows:
        grouped.setdefault(row.currency, []).append(row)
    return grouped


def _money_chart(title: str, rows: list[FundingRow], dimension: str) -> Markup:
    return bar_chart(title, [
        Bar(label(dimension, r.key), r.awarded_minor, format_money(r.awarded_minor, r.currency))
        for r in rows[:FUNDING_BARS]])


def _charts(found: Dashboard) -> dict[str, object]:
    totals = {row.currency: bar_chart(
        gettext(_l("Disbursed against awarded, %(currency)s")) % {"currency": row.currency},
        [Bar(gettext(_l("Awarded")), row.awarded_minor,
             format_money(row.awarded_minor, row.currency)),
         Bar(gettext(_l("Disbursed")), row.disbursed_minor,
             format_money(row.disbursed_minor, row.currency))]) for row in found.totals}
    funding = {dimension: {currency: _money_chart(
        gettext(FUNDING_TITLES[dimension]) % {"currency": currency}, rows, dimension)
        for currency, rows in _by_currency(found.funding[dimension]).items()}
        for dimension in found.funding}
    c = found.compliance
    compliance = bar_chart(gettext(_l("Reports whose due date has passed")), [
        Bar(gettext(text), n, str(n)) for text, n in (
            (_l("Submitted on time"), c.on_time), (_l("Submitted late"), c.late),
            (_l("Overdue"), c.overdue))]) if c.past_due else Markup()
    known = sorted((e for e in found.effects if e.n_relative >= MIN_PROJECTS),
                   key=lambda e: -e.relative.median if e.relative else 0)
    effects = bar_chart(
        i18n.ngettext("Median change from baseline to final, in percent of the baseline "
                      "(positive is better), where %(n)s project or more reports it",
                      "Median change from baseline to final, in percent of the baseline "
                      "(positive is better), where %(n)s projects or more report it",
                      MIN_PROJECTS) % {"n": MIN_PROJECTS},
        [Bar(f"{label('category', e.category)} · {label('kind', e.kind)}: "
             f"{found.indicator(e.indicator).name} (n={e.n_relative})",
             e.relative.median, signed_percent(e.relative.median))
         for e in known[:EFFECT_BARS] if e.relative])
    return {"totals": totals, "funding": funding, "compliance": compliance,
            "effects": effects}


async def dashboard(request: Request) -> Response:
    membership = await staff_of(request)
    found, computed_at = await impact_cache.cached_dashboard(membership)
    return render(request, "grants/impact/impact.html", page_context(
        request, membership.organisation, is_staff=True, found=found, charts=_charts(found),
        computed_at=computed_at,
        by_currency=_by_currency, label=label, unit_label=unit_label,
        dimension_labels=DIMENSION_LABELS, kind_labels=KIND_LABELS, percent=percent,
        signed_percent=signed_percent, signed=signed, min_projects=MIN_PROJECTS,
        overdue_shown=impact.OVERDUE_SHOWN))


async def export(request: Request) -> Response:
    membership = await staff_of(request)
    table = request.query_params.get("table", "funding")
    if table not in impact.TABLES:
        raise BadRequest()
    found = await impact.dashboard(membership, overdue_limit=None)
    return attachment_response(csv_body(impact.as_csv(found, table)),
                               filename=f"impact-{table}.csv", media_type=CSV)
