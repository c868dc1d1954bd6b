"""The rules of paying a grant in tranches, pure: no database, no clock.

A project's agreement schedules tranches, each with an amount, a due date and an optional
condition — an outcome report that must be accepted first. A tranche moves scheduled →
approved → paid, or is cancelled before it is paid (table `TRANCHES`):

- **Four eyes**: the staff member who approved a tranche may not mark it paid.
- **Conditions**: a tranche whose report is not accepted yet cannot be approved.
- **Within the award**: the tranches not cancelled never add up to more than the award, so
  what is paid never exceeds it either; a payment is for the tranche's amount (a partial
  payment is a smaller tranche, and the rest another).

Each `refuse_*` answers None (allowed) or the reason, a message a person can read; the
service calls them under the project's lock and records the move with its audit event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from app.i18n import Msg
from app.i18n import lazy_gettext as _l
from app.money import format_money
from app.transitions import Machine, Transition
from grants.projects.statuses import TrancheStatus


class Actor(StrEnum):
    STAFF = "staff"


class Effect(StrEnum):
    DEBIT_FUND = "debit_fund"      # a ledger row takes the amount out of the fund


T = TrancheStatus
STAFF = frozenset({Actor.STAFF})
WAITING = {                      # a condition names the report that must be accepted first
    "baseline": _l("This tranche waits for the baseline report to be accepted."),
    "midline": _l("This tranche waits for the midline report to be accepted."),
    "final": _l("This tranche waits for the final report to be accepted."),
}

TRANCHES = Machine(
    name="tranche",
    states=tuple(T),
    initial=T.SCHEDULED,
    terminal=frozenset({T.PAID, T.CANCELLED}),
    transitions=(
        Transition(T.SCHEDULED, "approve", STAFF, T.APPROVED),
        Transition(T.APPROVED, "pay", STAFF, T.PAID, (Effect.DEBIT_FUND,)),
        Transition(T.SCHEDULED, "cancel", STAFF, T.CANCELLED),
        Transition(T.APPROVED, "cancel", STAFF, T.CANCELLED),
    ),
    state_labels={
        T.SCHEDULED: _l("scheduled"),
        T.APPROVED: _l("approved"),
        T.PAID: _l("paid"),
        T.CANCELLED: _l("cancelled"),
    },
    action_labels={
        "approve": _l("approve it"),
        "pay": _l("mark it paid"),
        "cancel": _l("cancel it"),
    },
)


@dataclass(frozen=True)
class Tranche:
    amount_minor: int
    status: TrancheStatus = TrancheStatus.SCHEDULED
    condition: str | None = None        # a report kind that must be accepted first
    approved_by: int | None = None


def refuse_schedule(award_minor: int, currency: str, amounts: Iterable[int]) -> str | None:
    """A schedule (the tranches not cancelled) within the award, every amount positive."""
    amounts = list(amounts)
    if any(amount <= 0 for amount in amounts):
        return _l("Each tranche needs an amount above zero.")
    if sum(amounts) > award_minor:
        return Msg(_l("The tranches add up to %(total)s, more than the award of %(award)s."),
                   total=format_money(sum(amounts), currency),
                   award=format_money(award_minor, currency))
    return None


def refuse_approve(tranche: Tranche, accepted_reports: Iterable[str]) -> str | None:
    """Approving needs the tranche's condition met: its report accepted."""
    if tranche.condition is not None and tranche.condition not in set(accepted_reports):
        return WAITING[tranche.condition]
    return None


def refuse_pay(tranche: Tranche, payer_id: int) -> str | None:
    """Four eyes: whoever approved it does not mark it paid."""
    if tranche.approved_by == payer_id:
        return _l("You approved this tranche: someone else must mark it paid.")
    return None


def paid_minor(tranches: Iterable[Tranche]) -> int:
    return sum(t.amount_minor for t in tranches if t.status is TrancheStatus.PAID)



def refuse_complete(accepted_agreement: bool, accepted_reports: Iterable[str],
                    statuses: Iterable[TrancheStatus]) -> str | None:
    """A project is complete once its agreement was accepted, its final report accepted, and
    every tranche paid or cancelled."""
    if not accepted_agreement:
        return _l("The co-op has not accepted the agreement yet.")
    if "final" not in set(accepted_reports):
        return _l("The final report is not accepted yet.")
    if any(status not in TRANCHES.terminal for status in statuses):
        return _l("A tranche is still to be paid or cancelled.")
    return None
