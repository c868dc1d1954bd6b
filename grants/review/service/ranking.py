"""A call's ranking for staff: every reviewed application with its raw mean, spread and
calibrated score (grants/scoring.py), its decision if any, sorted and filtered, and the same
table as CSV or XLSX."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from app.i18n import gettext
from app.i18n import lazy_gettext as _l
from app.money import to_major_text
from app.orgs.models import Membership, Organisation
from app.tenancy import get_scoped, scoped
from grants.applications.models import Application
from grants.applications.statuses import REVIEWED
from grants.calls.models import Call
from grants.review import scoring
from grants.review.models import Decision, Review
from grants.review.service import reviewers
from grants.review.service.commitments import committed
from grants.review.service.reviewing import user_names
from grants.review.statuses import ReviewStatus
from grants.shared.common import require_staff, spreadsheet_cell

RANKED_STATUSES = REVIEWED
SORTS = ("rank", "mean", "spread", "requested")


@dataclass(frozen=True)
class Row:
    application: Application
    ranked: scoring.Ranked | None      # None: no submitted review yet
    decision: Decision | None


@dataclass(frozen=True)
class Table:
    call: Call
    rows: list[Row]
    committed_minor: int               # the call's awards so far
    reviewers: tuple[scoring.Leniency, ...]
    names: dict[int, str]              # reviewer id -> name


@dataclass(frozen=True)
class Filters:
    sort: str = "rank"
    disagreement: bool = False
    decision: str = ""                 # "", "none", or a DecisionKind value
    category: str = ""

    @classmethod
    def from_query(cls, query: dict[str, str]) -> Filters:
        decision = query.get("decision", "")
        return cls(sort=query.get("sort", "rank") if query.get("sort") in SORTS else "rank",
                   disagreement=query.get("disagreement") == "1",
                   decision=decision if decision in ("none", "award", "decline", "waitlist")
                   else "",
                   category=query.get("category", "")[:64])

    def keep(self, row: Row) -> bool:
        if self.disagreement and not (row.ranked and row.ranked.disagreement):
            return False
        if self.category and row.application.category != self.category:
            return False
        if self.decision == "none":
            return row.decision is None
        return not self.decision or (row.decision is not None
                                     and row.decision.kind.value == self.decision)


def _sort_key(sort: str, row: Row) -> tuple[float, ...]:
    ranked = row.ranked
    if ranked is None:
        return (1, 0.0, row.application.id)
    value = {"rank": float(ranked.rank), "mean": -ranked.mean, "spread": -ranked.spread,
             "requested": -float(row.application.requested_minor or 0)}[sort]
    return (0, value, ranked.rank)


async def ranking_of(org: Organisation, call: Call,
                     applications: list[Application] | None = None) -> scoring.Ranking:
    """The call's submitted reviews, ranked. A review whose reviewer has since been found
    conflicted with the application is void: it does not count. `applications`: the call's
    applications in review, when the caller has them already."""
    marks = await scoped(Review, org).filter(
        call_id=call.id, status=ReviewStatus.SUBMITTED, score__not_isnull=True,
        application__status__in=list(RANKED_STATUSES)
    ).values_list("application_id", "reviewer_id", "score")
    if applications is None:
        applications = await scoped(Application, org).filter(
            call_id=call.id, status__in=list(RANKED_STATUSES))
    void = await reviewers.conflicted(org, applications, list({r for _a, r, _s in marks}))
    return scoring.rank([scoring.Mark(a, r, float(s)) for a, r, s in marks
                         if (a, r) not in void])


async def table(membership: Membership, call_id: int, filters: Filters = Filters()) -> Table:
    require_staff(membership)
    org = membership.organisation
    call = await get_scoped(Call, org, id=call_id)
    applications = await scoped(Application, org).filter(
        call_id=call.id, status__in=list(RANKED_STATUSES)).select_related("cooperative")
    found = await ranking_of(org, call, applications)
    by_id = {r.application_id: r for r in found.rows}
    decisions = {d.application_id: d for d in await scoped(Decision, org).filter(
        call_id=call.id)}
    rows = [Row(a, by_id.get(a.id), decisions.get(a.id)) for a in applications]
    rows = sorted((r for r in rows if filters.keep(r)),
                  key=lambda r: _sort_key(filters.sort, r))
    return Table(call, rows, await committed(org, call), found.reviewers,
                 await user_names([r.reviewer_id for r in found.reviewers]))


HEADERS = (_l("Rank"), _l("Application"), _l("Title"), _l("Co-op"), _l("Country"),
           _l("Challenge"), _l("Amount requested"), _l("Currency"), _l("Reviews"),
           _l("Mean score"), _l("Spread"), _l("Disagreement"), _l("Calibrated score"),
           _l("Lower bound"), _l("Upper bound"), _l("Decision"), _l("Amount awarded"))


def _major(amount_minor: int | None, currency: str) -> Decimal | None:
    """An amount as a number a spreadsheet can add up (exact: never a float)."""
    return None if amount_minor is None else Decimal(to_major_text(amount_minor, currency))


def _cells(row: Row) -> list[str | int | float | Decimal | None]:
    a, r, d = row.application, row.ranked, row.decision
    numbers: list[str | int | float | Decimal | None] = (
        [r.reviews, round(r.mean, 2), round(r.spread, 2),
         gettext(_l("yes")) if r.disagreement else "",
         round(r.calibrated, 2), round(r.low, 2), round(r.high, 2)] if r
        else [0, None, None, "", None, None, None])
    return [r.rank if r else None, a.id, spreadsheet_cell(a.title),
            spreadsheet_cell(a.cooperative.legal_name), a.cooperative.country,
            spreadsheet_cell(a.category), _major(a.requested_minor, a.currency),
            a.currency, *numbers, d.kind.value if d else "",
            _major(d.amount_minor, a.currency) if d else None]


def as_csv(found: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([gettext(h) for h in HEADERS])
    writer.writerows(_cells(row) for row in found.rows)
    return out.getvalue()


def as_xlsx(found: Table) -> bytes:
    from openpyxl import Workbook  # a second of imports at every start, for one export

    book = Workbook(write_only=True)
    sheet = book.create_sheet(gettext(_l("Ranking")))
    sheet.append([gettext(h) for h in HEADERS])
    for row in found.rows:
        sheet.append(_cells(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
