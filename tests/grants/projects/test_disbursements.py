"""Projects' money on the database: an awarded application becomes a project whose agreement
the co-op accepts; tranches are scheduled within the award, approved by one staff member and
paid by another (only once the agreement is accepted), and a payment debits the fund. Over
random sequences of credits, reversals, projects, acceptances, tranches, approvals, payments
and cancellations, the fund's balance always equals credits minus reversals minus paid
tranches, what it still owes equals open awards minus what they were paid, and no project is
paid more than its award."""

from __future__ import annotations

import random
from datetime import date

import pytest

from app.accounts.models import User
from app.errors import Conflict, Invalid, NotFound
from app.i18n import gettext
from app.orgs.models import Membership, Organisation
from grants import funds
from grants.applications.models import Application
from grants.calls.models import Call
from grants.funds.models import Fund, LedgerEntry
from grants.funds.statuses import LedgerKind
from grants.projects.models import Project
from grants.projects.service import disbursements
from grants.projects.statuses import ProjectStatus, TrancheStatus
from tests.grants.factories import make_awarded, make_call, make_fund, make_staff
from tests.helpers import make_org

pytestmark = pytest.mark.usefixtures("settings")   # the test database

START, END = date(2027, 1, 1), date(2027, 12, 31)


async def scene() -> tuple[Organisation, Fund, Call, Membership, Membership]:
    org = await make_org()
    fund = await make_fund(org)
    call = await make_call(org, fund)
    return org, fund, call, await make_staff(org, "ana@fund.example"), await make_staff(
        org, "ben@fund.example")


async def test_one_approves_another_pays_and_the_fund_is_debited() -> None:
    org, fund, call, ana, ben = await scene()
    ben_user = await User.get(id=ben.user_id)
    await funds.credit_fund(org, fund.id, 2_000_000, "USD", "donation", "gift-1")
    project = await disbursements.start_project(
        ana, (await make_awarded(org, call, 1, 1_000_000)).id, starts_on=START, ends_on=END)
    assert await disbursements.start_project(ana, project.application_id, starts_on=START,
                                             ends_on=END) == project        # once
    agreed = await disbursements.set_agreement(
        ana, project.id, milestones=[{"title": "Cupping lab built", "due_on": "2027-06-30"}],
        indicators=["members_trained_women", "premium_share", "members_trained_women"])
    assert agreed.indicators == ["members_trained_women", "premium_share"]
    with pytest.raises(Invalid):
        await disbursements.set_agreement(ana, project.id, milestones=[{"title": " "}],
                                          indicators=[])
    first = await disbursements.add_tranche(ana, project.id, amount_minor=600_000,
                                            due_on=START)
    with pytest.raises(Invalid) as beyond:
        await disbursements.add_tranche(ana, project.id, amount_minor=400_001, due_on=END)
    assert "more than the award" in str(beyond.value.fields["amount_minor"])
    waiting = await disbursements.add_tranche(ben, project.id, amount_minor=400_000,
                                              due_on=END, condition="final")
    with pytest.raises(Conflict):                                    # its report first
        await disbursements.move_tranche(ana, waiting.id, "approve")
    await disbursements.move_tranche(ana, first.id, "approve")
    with pytest.raises(Conflict) as early:                           # not accepted yet
        await disbursements.move_tranche(ben, first.id, "pay", reference="TRF-1")
    assert early.value.code == "not_accepted"
    with pytest.raises(NotFound):                                    # not the co-op's
        await disbursements.accept_agreement(ben_user, org, project.id)
    manager = await User.get(email="coop1@coops.example")
    accepted = await disbursements.accept_agreement(manager, org, project.id)
    assert (accepted.status, accepted.accepted_by_id) == (ProjectStatus.ACTIVE, manager.id)
    assert accepted.accepted_at is not None
    with pytest.raises(Conflict):                                    # what they agreed
        await disbursements.set_agreement(ana, project.id, milestones=[], indicators=[])
    with pytest.raises(Conflict) as same:                            # four eyes
        await disbursements.move_tranche(ana, first.id, "pay", reference="TRF-1")
    assert same.value.code == "pay_refused"
    paid = await disbursements.move_tranche(ben, first.id, "pay", reference="TRF-1",
                                            paid_on=date(2027, 1, 5))
    assert (paid.status, paid.paid_by_id, paid.payment_reference) == (
        TrancheStatus.PAID, ben.user_id, "TRF-1")
    row = await LedgerEntry.get(reference=f"tranche:{first.id}")
    assert (row.kind, row.amount_minor) == (LedgerKind.TRANCHE, -600_000)
    assert (await funds.fund_summary(org, fund.id)).balance_minor == 1_400_000
    assert await disbursements.committed_minor(org, fund.id) == 400_000
    with pytest.raises(Conflict):                                    # paid is final
        await disbursements.move_tranche(ben, first.id, "cancel")


@pytest.mark.parametrize("seed", range(4))
async def test_the_ledger_balances_over_random_sequences(seed: int) -> None:
    rng = random.Random(seed)
    org, fund, call, ana, ben = await scene()
    pool = [await make_awarded(org, call, n, rng.randrange(1, 20) * 50_000) for n in range(4)]
    credits: dict[str, int] = {f"start-{seed}": 2_000_000}
    await funds.credit_fund(org, fund.id, 2_000_000, "USD", "donation", f"start-{seed}")
    reversed_: set[str] = set()
    projects: list[Project] = []
    tranches: list[int] = []
    for step in range(120):
        move = rng.choice(["credit", "reverse", "project", "accept", "accept", "tranche",
                           "tranche", "approve", "approve", "pay", "pay", "pay", "cancel"])
        who = rng.choice([ana, ben])
        try:
            if move == "credit":
                reference = f"gift-{seed}-{step}"
                amount = rng.randrange(1, 40) * 25_000
                await funds.credit_fund(org, fund.id, amount, "USD", "donation", reference)
                credits[reference] = amount
            elif move == "reverse" and set(credits) - reversed_ - {f"start-{seed}"}:
                reference = rng.choice(sorted(set(credits) - reversed_ - {f"start-{seed}"}))
                await funds.reverse_credit(org, reference, "bounced")
                reversed_.add(reference)
            elif move == "project" and pool:
                application = pool.pop()
                projects.append(await disbursements.start_project(
                    who, application.id, starts_on=START, ends_on=END))
                await disbursements.set_agreement(who, projects[-1].id, milestones=[],
                                                  indicators=["yield_per_ha"])
            elif move == "accept" and projects:
                project = rng.choice(projects)
                application = await Application.get(id=project.application_id)
                manager = await User.get(email=f"coop{application.title.split()[-1]}"
                                               "@coops.example")
                await disbursements.accept_agreement(manager, org, project.id)
            elif move == "tranche" and projects:
                project = rng.choice(projects)
                tranche = await disbursements.add_tranche(
                    who, project.id, amount_minor=rng.randrange(1, 12) * 50_000, due_on=END)
                tranches.append(tranche.id)
            elif move in ("approve", "pay", "cancel") and tranches:
                await disbursements.move_tranche(who, rng.choice(tranches), move,
                                                 reference=f"TRF-{step}")
        except (Invalid, Conflict):
            pass                                    # refused: nothing may have changed
        paid = await disbursements.paid_minor(org, fund.id)
        balance = (await funds.fund_summary(org, fund.id)).balance_minor
        live_credits = sum(credits.values())
        reversals = sum(credits[reference] for reference in reversed_)
        assert balance == live_credits - reversals - paid
        awards = sum(p.amount_minor for p in projects)
        assert await disbursements.committed_minor(org, fund.id) == awards - paid
        for project in projects:
            per_project = [t.amount_minor for t in await project.tranches.all()
                           if t.status is TrancheStatus.PAID]
            assert sum(per_project) <= project.amount_minor
    assert await Project.filter(organisation_id=org.id).count() == len(projects)
    assert paid > 0 and reversed_                   # the sequence did pay and reverse


async def test_the_co_op_accepts_the_agreement_it_read_once_it_is_written() -> None:
    org, _fund, call, ana, _ben = await scene()
    project = await disbursements.start_project(
        ana, (await make_awarded(org, call, 1, 500_000)).id, starts_on=START, ends_on=END)
    manager = await User.get(email="coop1@coops.example")
    with pytest.raises(Conflict) as unwritten:           # nothing to measure named yet
        await disbursements.accept_agreement(manager, org, project.id)
    assert unwritten.value.code == "unwritten"
    project = await disbursements.set_agreement(ana, project.id, milestones=[],
                                                indicators=["yield_per_ha"])
    read = disbursements.agreement_version(project)
    with pytest.raises(Invalid):                         # not in the catalogue
        await disbursements.set_agreement(ana, project.id, milestones=[],
                                          indicators=["made_up"])
    await disbursements.set_agreement(ana, project.id, milestones=[],
                                      indicators=["yield_per_ha", "premium_share"])
    with pytest.raises(Conflict) as changed:             # changed since the co-op read it
        await disbursements.accept_agreement(manager, org, project.id, version=read)
    assert changed.value.code == "changed"
    assert (await Project.get(id=project.id)).status is ProjectStatus.AGREEMENT
    current = disbursements.agreement_version(await Project.get(id=project.id))
    with pytest.raises(Invalid):
        await disbursements.accept_agreement(manager, org, project.id, version=current,
                                             public_summary={"en": "x" * 2001})
    accepted = await disbursements.accept_agreement(
        manager, org, project.id, version=current, publish_outcomes=True,
        public_summary={"en": "  Drying beds for 300 members.  ", "es": " "})
    assert accepted.status is ProjectStatus.ACTIVE
    assert accepted.public_summary == {"en": "Drying beds for 300 members."}


async def test_a_payment_never_overdraws_the_fund() -> None:
    org, fund, call, ana, ben = await scene()
    await funds.credit_fund(org, fund.id, 300_000, "USD", "donation", "small-gift")
    project = await disbursements.start_project(
        ana, (await make_awarded(org, call, 1, 500_000)).id, starts_on=START, ends_on=END)
    await disbursements.set_agreement(ana, project.id, milestones=[],
                                      indicators=["yield_per_ha"])
    await disbursements.accept_agreement(await User.get(email="coop1@coops.example"), org,
                                         project.id)
    tranche = await disbursements.add_tranche(ana, project.id, amount_minor=400_000,
                                              due_on=END)
    await disbursements.move_tranche(ana, tranche.id, "approve")
    with pytest.raises(Conflict) as short:
        await disbursements.move_tranche(ben, tranche.id, "pay", reference="TRF-9")
    assert short.value.code == "overdraw" and "$3,000.00" in gettext(short.value.message)
    assert (await funds.fund_summary(org, fund.id)).balance_minor == 300_000
    await funds.credit_fund(org, fund.id, 100_000, "USD", "donation", "second-gift")
    paid = await disbursements.move_tranche(ben, tranche.id, "pay", reference="TRF-9")
    assert paid.status is TrancheStatus.PAID
    assert (await funds.fund_summary(org, fund.id)).balance_minor == 0


async def test_a_page_moves_only_its_own_projects_tranches() -> None:
    org, fund, call, ana, _ben = await scene()
    await funds.credit_fund(org, fund.id, 1_000_000, "USD", "donation", "gift")
    first, second = [await disbursements.start_project(
        ana, (await make_awarded(org, call, n, 300_000)).id, starts_on=START, ends_on=END)
        for n in (1, 2)]
    tranche = await disbursements.add_tranche(ana, first.id, amount_minor=100_000, due_on=END)
    with pytest.raises(NotFound):
        await disbursements.move_tranche(ana, tranche.id, "approve", project_id=second.id)
    moved = await disbursements.move_tranche(ana, tranche.id, "approve", project_id=first.id)
    assert moved.status is TrancheStatus.APPROVED
