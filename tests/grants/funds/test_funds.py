"""The fund door: credits and reversals are idempotent on their reference, balances derived."""

from __future__ import annotations

import asyncio

import pytest

from app.audit import AuditEvent
from app.errors import AppError, Conflict, Invalid, NotFound
from app.settings import Settings
from grants import funds
from grants.calls.statuses import CallStatus
from grants.funds.models import LedgerEntry
from grants.review.models import Decision
from grants.review.statuses import DecisionKind
from tests.grants.factories import make_call, make_coop, make_eligible, make_fund
from tests.helpers import make_org


async def test_balance_is_the_sum_of_the_ledger(settings: Settings) -> None:
    org = await make_org()
    fund = await make_fund(org)
    await funds.credit_fund(org, fund.id, 250_000, "usd", "donation", "don-1")
    await funds.credit_fund(org, fund.id, 1_000_000, "USD", "campaign", "campaign-7-proceeds")
    await make_call(org, fund, budget_minor=800_000)
    await make_call(org, fund, budget_minor=999, status=CallStatus.DRAFT)  # not budgeted yet
    [summary] = await funds.list_funds(org)
    assert (summary.balance_minor, summary.budgeted_minor) == (1_250_000, 800_000)
    assert await AuditEvent.filter(verb="fund.credited", organisation_id=org.id).count() == 2


async def test_awards_are_commitments_beside_the_balance_not_ledger_rows(settings: Settings
                                                                        ) -> None:
    org = await make_org()
    fund = await make_fund(org)
    call = await make_call(org, fund, budget_minor=800_000)
    for index, (kind, amount) in enumerate(((DecisionKind.AWARD, 300_000),
                                            (DecisionKind.AWARD, 150_000),
                                            (DecisionKind.DECLINE, None))):
        coop = await make_coop(org, legal_name=f"Cooperativa {index}")
        application = await make_eligible(org, call, coop)
        await Decision.create(organisation=org, call=call, application=application, kind=kind,
                              amount_minor=amount, currency="USD", decided_by_id=1)
    [summary] = await funds.list_funds(org)
    assert (summary.balance_minor, summary.awarded_minor) == (0, 450_000)


async def test_a_second_credit_with_the_same_reference_changes_nothing(settings: Settings) -> None:
    org = await make_org()
    fund = await make_fund(org)
    first = await funds.credit_fund(org, fund.id, 5000, "USD", "donation", "stripe-pi-1")
    again = await funds.credit_fund(org, fund.id, 5000, "usd", "donation", "stripe-pi-1")
    assert again == first
    with pytest.raises(Conflict):  # the same reference for other money is a mistake
        await funds.credit_fund(org, fund.id, 9999, "USD", "donation", "stripe-pi-1")
    with pytest.raises(Invalid):
        await funds.credit_fund(org, fund.id, 10, "USD", "donation", "reversal:stripe-pi-1")
    assert await LedgerEntry.filter(fund_id=fund.id).count() == 1


async def test_reversal_is_a_new_row_and_idempotent(settings: Settings) -> None:
    org = await make_org()
    fund = await make_fund(org)
    await funds.credit_fund(org, fund.id, 5000, "USD", "donation", "don-9")
    reversal = await funds.reverse_credit(org, "don-9", "Card payment disputed")
    again = await funds.reverse_credit(org, "don-9", "Typed twice")
    assert again == reversal and reversal.amount_minor == -5000
    [summary] = await funds.list_funds(org)
    assert summary.balance_minor == 0
    assert await LedgerEntry.filter(fund_id=fund.id).count() == 2
    with pytest.raises(NotFound):
        await funds.reverse_credit(org, "never-credited", "whatever")


async def test_wrong_currency_and_bad_values_are_refused(settings: Settings) -> None:
    org = await make_org()
    fund = await make_fund(org, currency="KES")
    with pytest.raises(AppError) as refused:
        await funds.credit_fund(org, fund.id, 5000, "USD", "donation", "x-1")
    assert refused.value.code == "currency_mismatch" and refused.value.status_code == 422
    for amount, source, reference in ((0, "donation", "x-2"), (-5, "donation", "x-3"),
                                      (5, "lottery", "x-4"), (5, "donation", " "),
                                      (5, "donation", "r" * 151)):
        with pytest.raises(Invalid):
            await funds.credit_fund(org, fund.id, amount, "KES", source, reference)
    assert not await LedgerEntry.exists()


async def test_another_tenants_fund_is_not_found(settings: Settings) -> None:
    org, other = await make_org(), await make_org(slug="other-fund", name="Other")
    theirs = await make_fund(other)
    with pytest.raises(NotFound):
        await funds.credit_fund(org, theirs.id, 5000, "USD", "donation", "y-1")
    await funds.credit_fund(other, theirs.id, 5000, "USD", "donation", "shared-ref")
    with pytest.raises(NotFound):
        await funds.reverse_credit(org, "shared-ref", "not ours")


@pytest.mark.postgres_only
async def test_concurrent_credits_with_one_reference_write_one_row(settings: Settings) -> None:
    org = await make_org()
    fund = await make_fund(org)
    results = await asyncio.gather(*[
        funds.credit_fund(org, fund.id, 700, "USD", "campaign", "auction-3-paid")
        for _ in range(12)])
    assert len({result.id for result in results}) == 1
    assert await LedgerEntry.filter(fund_id=fund.id).count() == 1
