"""The one public door to the grants funds: other modules (campaigns) use only this.

- `list_funds(org)`: each fund with its balance, the budgets of its calls and the awards
  decided in them (commitments, not money moved), derived from the ledger, the calls and
  the decisions, never typed in.
- `credit_fund(org, fund_id, amount_minor, currency, source, reference)`: money in.
- `reverse_credit(org, reference, reason)`: undo a credit (a refunded donation, a payment
  that bounced) by a new, negative ledger row; the original row is never edited.

Both are idempotent on `reference`: a second call with the same reference changes nothing and
returns the first result, even when two calls race (the reference is unique per
organisation); the same reference with another fund or amount is a Conflict, not a silent
success. A currency other than the fund's is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.functions import Sum

from app import audit
from app.db import atomic
from app.errors import AppError, Conflict, Invalid, NotFound
from app.i18n import Msg
from app.i18n import lazy_gettext as _l
from app.money import MAX_MINOR
from app.orgs.models import Organisation
from app.tenancy import get_scoped, scoped
from grants.calls.models import Call
from grants.calls.statuses import CallStatus
from grants.funds.models import Fund, LedgerEntry
from grants.funds.statuses import LedgerKind
from grants.review.models import Decision
from grants.review.statuses import DecisionKind

SOURCES = ("donation", "campaign", "partner", "other")
REVERSAL_PREFIX = "reversal:"
MAX_REFERENCE = 150  # the column holds 160, with room for the reversal prefix


@dataclass(frozen=True)
class FundSummary:
    id: int
    name: str
    currency: str
    balance_minor: int
    budgeted_minor: int
    awarded_minor: int = 0


@dataclass(frozen=True)
class Credit:
    id: int
    fund_id: int
    kind: LedgerKind
    amount_minor: int
    currency: str
    source: str
    reference: str
    created_at: datetime


def _credit(entry: LedgerEntry) -> Credit:
    return Credit(id=entry.id, fund_id=entry.fund_id, kind=entry.kind,
                  amount_minor=entry.amount_minor, currency=entry.currency, source=entry.source,
                  reference=entry.reference, created_at=entry.created_at)


async def _sums(org: Organisation, model: type[LedgerEntry] | type[Call] | type[Decision],
                field: str, fund: str = "fund_id", **filters: object) -> dict[int, int]:
    rows = await scoped(model, org).filter(**filters).annotate(total=Sum(field)).group_by(
        fund).values(fund, "total")
    return {row[fund]: int(row["total"] or 0) for row in rows}


async def list_funds(org: Organisation) -> list[FundSummary]:
    funds = await scoped(Fund, org).order_by("name")
    balances = await _sums(org, LedgerEntry, "amount_minor")
    budgets = await _sums(org, Call, "budget_minor", status__not=CallStatus.DRAFT)
    awards = await _sums(org, Decision, "amount_minor", "call__fund_id",
                         kind=DecisionKind.AWARD)
    return [FundSummary(id=fund.id, name=fund.name, currency=fund.currency,
                        balance_minor=balances.get(fund.id, 0),
                        budgeted_minor=budgets.get(fund.id, 0),
                        awarded_minor=awards.get(fund.id, 0)) for fund in funds]


async def fund_summary(org: Organisation, fund_id: int) -> FundSummary:
    for summary in await list_funds(org):
        if summary.id == fund_id:
            return summary
    raise NotFound()


def _check_reference(reference: str) -> str:
    reference = reference.strip()
    if not reference or len(reference) > MAX_REFERENCE:
        raise Invalid(fields={"reference": _l("Give a reference of 1 to 150 characters.")})
    return reference


async def _existing(org: Organisation, reference: str) -> LedgerEntry | None:
    return await scoped(LedgerEntry, org).get_or_none(reference=reference)


async def _insert_once(org: Organisation, entry: dict[str, Any], actor_id: int | None,
                       verb: str) -> Credit:
    """Insert a ledger row unless its reference is taken; either way, the row that has it."""
    reference = str(entry["reference"])
    found = await _existing(org, reference)
    if found is not None:
        return _credit(found)
    try:
        async with atomic():
            row = await LedgerEntry.create(organisation=org, created_by_id=actor_id, **entry)
            await audit.record(verb=verb, obj=row, actor_id=actor_id, organisation_id=org.id)
    except IntegrityError:  # the same reference, committed a moment ago by another request
        found = await _existing(org, reference)
        if found is None:
            raise
        return _credit(found)
    return _credit(row)


async def credit_fund(org: Organisation, fund_id: int, amount_minor: int, currency: str,
                      source: str, reference: str, *, actor_id: int | None = None) -> Credit:
    reference = _check_reference(reference)
    if reference.startswith(REVERSAL_PREFIX):
        raise Invalid(fields={"reference": _l("This reference is kept for reversals.")})
    found = await _existing(org, reference)
    if found is not None:
        return _same(found, fund_id, amount_minor, currency)
    fund = await get_scoped(Fund, org, id=fund_id)
    if currency.upper() != fund.currency:
        raise AppError(Msg(_l("This fund holds %(currency)s only."), currency=fund.currency),
                       code="currency_mismatch", status_code=422,
                       fields={"currency": _l("Use the fund's currency.")})
    if isinstance(amount_minor, bool) or not 0 < amount_minor <= MAX_MINOR:
        raise Invalid(fields={"amount_minor": _l("Enter an amount greater than zero.")})
    if source not in SOURCES:
        raise Invalid(fields={"source": _l("Choose one of the options.")})
    return await _insert_once(org, {
        "fund_id": fund.id, "kind": LedgerKind.CONTRIBUTION, "amount_minor": amount_minor,
        "currency": fund.currency, "source": source, "reference": reference,
    }, actor_id, "fund.credited")


def _same(found: LedgerEntry, fund_id: int, amount_minor: int, currency: str) -> Credit:
    """A repeated credit is the first one; the same reference for other money is a mistake
    that must not pass silently."""
    if (found.fund_id, found.amount_minor, found.currency) != (fund_id, amount_minor,
                                                              currency.upper()):
        raise Conflict(_l("This reference was already used for another amount or fund."),
                       code="reference_reused")
    return _credit(found)


async def reverse_credit(org: Organisation, reference: str, reason: str, *,
                         actor_id: int | None = None) -> Credit:
    reference = _check_reference(reference)
    reason = " ".join(reason.split())
    if not reason or len(reason) > 500:
        raise Invalid(fields={"reason": _l("Say why, in at most 500 characters.")})
    original = await scoped(LedgerEntry, org).get_or_none(reference=reference,
                                                         kind=LedgerKind.CONTRIBUTION)
    if original is None:
        raise NotFound(_l("No credit has this reference."))
    return await _insert_once(org, {
        "fund_id": original.fund_id, "kind": LedgerKind.REVERSAL,
        "amount_minor": -original.amount_minor, "currency": original.currency,
        "source": original.source, "reference": REVERSAL_PREFIX + reference,
        "reverses_id": original.id, "reason": reason,
    }, actor_id, "fund.credit_reversed")
