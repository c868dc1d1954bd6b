"""The rules of paying a grant in tranches: four eyes, conditions, never beyond the award —
case by case, then over random sequences of scheduling, approving, paying and cancelling."""

from __future__ import annotations

import dataclasses
import random

import pytest

from app.i18n import gettext
from app.transitions import Refusal
from grants.projects.disbursement import (
    TRANCHES,
    Actor,
    Tranche,
    paid_minor,
    refuse_approve,
    refuse_pay,
    refuse_schedule,
)
from grants.projects.statuses import TrancheStatus


def test_who_approved_does_not_mark_it_paid() -> None:
    approved = Tranche(50_000, TrancheStatus.APPROVED, approved_by=7)
    assert "someone else" in gettext(refuse_pay(approved, payer_id=7) or "")
    assert refuse_pay(approved, payer_id=8) is None


def test_a_tranche_waits_for_its_report() -> None:
    waiting = Tranche(50_000, condition="baseline")
    assert "baseline report" in gettext(refuse_approve(waiting, accepted_reports=[]) or "")
    assert refuse_approve(waiting, accepted_reports=["final"]) is not None
    assert refuse_approve(waiting, accepted_reports=["baseline"]) is None
    assert refuse_approve(Tranche(50_000), accepted_reports=[]) is None


@pytest.mark.parametrize(("amounts", "said"), [
    ([600_000, 400_001], "add up to $10,000.01, more than the award of $10,000.00"),
    ([600_000, 0], "above zero"),
    ([-5], "above zero")])
def test_a_schedule_beyond_the_award_is_refused(amounts: list[int], said: str) -> None:
    assert said in gettext(refuse_schedule(1_000_000, "USD", amounts) or "")


def test_a_schedule_within_the_award_is_allowed() -> None:
    assert refuse_schedule(1_000_000, "USD", [600_000, 400_000]) is None
    assert refuse_schedule(1_000_000, "USD", []) is None


@pytest.mark.parametrize("seed", range(300))
def test_random_sequences_never_pay_beyond_the_award_nor_by_the_approver(seed: int) -> None:
    rng = random.Random(seed)
    award = rng.randrange(1, 50) * 100_000
    tranches: list[Tranche] = []
    accepted: list[str] = []
    paid_by: dict[int, int] = {}
    for _ in range(40):
        move = rng.choice(["schedule", "approve", "pay", "cancel", "accept"])
        if move == "accept":
            accepted.append(rng.choice(["baseline", "midline", "final"]))
            continue
        if move == "schedule":
            amount = rng.randrange(-1, award // 2 + 2)
            live = [t.amount_minor for t in tranches if t.status is not TrancheStatus.CANCELLED]
            if refuse_schedule(award, "USD", [*live, amount]) is None:
                tranches.append(Tranche(amount, condition=rng.choice(
                    [None, "baseline", "final"])))
            else:
                assert amount <= 0 or sum(live) + amount > award
            continue
        if not tranches:
            continue
        index = rng.randrange(len(tranches))
        tranche, actor = tranches[index], rng.randrange(1, 4)
        answer = TRANCHES.decide(tranche.status, move, Actor.STAFF)
        if isinstance(answer, Refusal):
            continue
        if move == "approve":
            if refuse_approve(tranche, accepted) is not None:
                assert tranche.condition not in accepted
                continue
            tranches[index] = dataclasses.replace(tranche, status=answer.target,
                                                  approved_by=actor)
        elif move == "pay":
            if refuse_pay(tranche, actor) is not None:
                assert actor == tranche.approved_by
                continue
            paid_by[index] = actor
            tranches[index] = dataclasses.replace(tranche, status=answer.target)
        else:
            tranches[index] = dataclasses.replace(tranche, status=answer.target)
        assert paid_minor(tranches) <= award
        assert award - paid_minor(tranches) >= 0
    for index, tranche in enumerate(tranches):
        if tranche.status is TrancheStatus.PAID:
            assert paid_by[index] != tranche.approved_by          # four eyes, always
            assert tranche.condition is None or tranche.condition in accepted
