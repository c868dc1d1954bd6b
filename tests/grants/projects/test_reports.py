"""Outcome reports on the database: scheduled with the project, written by the co-op (drafts
kept, a complete one submitted), reviewed by staff (accepted, or returned with comments,
mailed in the co-op's language), a tranche waiting for its report; reminders mailed once per
due date however often the scheduled job runs, and again for a new date."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from starlette.applications import Starlette

from app import queue
from app.accounts.models import User
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.orgs.models import Membership, Organisation, Role
from app.settings import Settings
from app.timefmt import now
from grants.projects.models import Indicator, OutcomeReport, Project, ReportReminder
from grants.projects.service import disbursements, indicators, reports
from grants.projects.statuses import ReportKind, ReportStatus
from tests.grants.factories import make_awarded, make_call, make_fund, make_staff
from tests.helpers import add_member, eventually, mail_texts, make_org, make_user, outbox

COOP = "coop1@coops.example"
VALUES = {"members_trained_women": "120", "yield_per_ha": "1.250,5"}
NARRATIVE = {"progress": "Tuliweka maabara ya kuonja kahawa.", "lessons": "Anzeni mapema."}


async def funded(today: date) -> tuple[Organisation, Membership, Membership, User, Project]:
    """An active project of the co-op whose manager (COOP) reads Swahili."""
    org = await make_org()
    call = await make_call(org, await make_fund(org))
    ana, ben = await make_staff(org, "ana@fund.example"), await make_staff(org, "ben@fund.example")
    application = await make_awarded(org, call, 1, 1_000_000)
    coop = await User.get(email=COOP)
    coop.locale = "sw"
    await coop.save()
    project = await disbursements.start_project(ana, application.id, starts_on=today,
                                                ends_on=today + timedelta(days=365))
    await disbursements.set_agreement(ana, project.id, milestones=[],
                                      indicators=["members_trained_women", "yield_per_ha"])
    project = await disbursements.accept_agreement(coop, org, project.id)
    return org, ana, ben, coop, project


@pytest.mark.usefixtures("settings")
async def test_the_catalogue_is_seeded_once_in_every_language() -> None:
    org = await make_org()
    first, again = await indicators.catalogue(org), await indicators.catalogue(org)
    assert [row.key for row in first] == [row.key for row in again]
    assert {"members_trained_women", "members_trained_youth", "yield_per_ha", "premium_share",
            "price_vs_fairtrade_minimum", "cost_of_production", "income_vs_living_income",
            "hectares_mapped", "members_with_credit"} == {row.key for row in first}
    assert await Indicator.filter(organisation_id=org.id).count() == 9
    cost = next(row for row in first if row.key == "cost_of_production")
    assert cost.direction == "down" and cost.unit == "per_kg"
    assert cost.name["en"] == "Cost of production" and cost.name["es"] != cost.name["en"]
    other = await make_org(slug="other-fund")
    await indicators.catalogue(other)
    assert await Indicator.filter(organisation_id=other.id).count() == 9


@pytest.mark.usefixtures("app")
async def test_a_report_is_written_submitted_returned_and_accepted(settings: Settings) -> None:
    today = now().date()
    org, ana, ben, coop, project = await funded(today)
    due = {r.kind: r.due_on for r in await OutcomeReport.filter(project_id=project.id)}
    assert due == {ReportKind.BASELINE: today + timedelta(days=30),
                   ReportKind.MIDLINE: today + timedelta(days=182),
                   ReportKind.FINAL: today + timedelta(days=395)}
    baseline = await OutcomeReport.get(project_id=project.id, kind=ReportKind.BASELINE)
    tranche = await disbursements.add_tranche(ana, project.id, amount_minor=500_000,
                                              due_on=today, condition="baseline")

    stranger = await make_user(email="someone@else.example")
    with pytest.raises(NotFound):
        await reports.save_report(stranger, org, baseline.id, narrative=NARRATIVE, typed=VALUES)

    # A mistyped value is named; the rest of the draft is kept.
    with pytest.raises(Invalid) as bad:
        await reports.save_report(coop, org, baseline.id, narrative=NARRATIVE,
                                  typed={**VALUES, "yield_per_ha": "mucho"})
    assert set(bad.value.fields) == {"values.yield_per_ha"}
    draft = await OutcomeReport.get(id=baseline.id)
    assert draft.status is ReportStatus.DUE and draft.values == {"members_trained_women": 120}
    assert draft.narrative["progress"] == NARRATIVE["progress"]

    # Incomplete: not submitted, and told what is missing.
    with pytest.raises(Invalid) as missing:
        await reports.save_report(coop, org, baseline.id, narrative={"progress": ""},
                                  typed={"members_trained_women": "120"}, submit=True)
    assert set(missing.value.fields) == {"narrative.progress", "values.yield_per_ha"}
    assert (await OutcomeReport.get(id=baseline.id)).status is ReportStatus.DUE

    submitted = await reports.save_report(coop, org, baseline.id, narrative=NARRATIVE,
                                          typed=VALUES, submit=True)
    assert submitted.status is ReportStatus.SUBMITTED
    assert submitted.values == {"members_trained_women": 120, "yield_per_ha": 1250.5}
    with pytest.raises(Conflict):        # submitted: the co-op cannot change it now
        await reports.save_report(coop, org, baseline.id, narrative=NARRATIVE, typed=VALUES)
    with pytest.raises(Conflict):        # the tranche waits for the baseline to be accepted
        await disbursements.move_tranche(ana, tranche.id, "approve")

    with pytest.raises(Invalid):         # returning needs comments
        await reports.review_report(ana, baseline.id, "return", "  ")
    await reports.review_report(ana, baseline.id, "return", "Ongeza idadi ya vijana.")
    returned_mail = await eventually(lambda: mail_texts(settings, COOP))
    assert "Ongeza idadi ya vijana." in returned_mail[0]
    assert "/o/mlima-fund/my-projects/" in returned_mail[0]

    await reports.save_report(coop, org, baseline.id, narrative=NARRATIVE, typed=VALUES,
                              submit=True)
    accepted = await reports.review_report(ben, baseline.id, "accept")
    assert accepted.status is ReportStatus.ACCEPTED and accepted.reviewed_by_id == ben.user_id
    with pytest.raises(Conflict):
        await reports.review_report(ana, baseline.id, "return", "Too late")
    await eventually(lambda: len(mail_texts(settings, COOP)) == 2)
    subjects = sorted(str(m["Subject"]) for m in outbox(settings) if m["To"] == COOP)
    assert subjects[0] != subjects[1]    # returned, then accepted: each its own subject
    assert all(m["Content-Language"] == "sw" for m in outbox(settings))

    approved = await disbursements.move_tranche(ana, tranche.id, "approve")
    assert approved.status == "approved"


@pytest.mark.usefixtures("settings")
async def test_staff_move_dates_and_add_midlines() -> None:
    today = now().date()
    org, ana, _ben, coop, project = await funded(today)
    second = await reports.add_midline(ana, project.id, today + timedelta(days=300))
    assert second.kind is ReportKind.MIDLINE and second.number == 2
    reviewer = await add_member(org, coop, Role.REVIEWER)
    await reviewer.fetch_related("organisation")
    with pytest.raises(Forbidden):      # a member, not staff
        await reports.reschedule(reviewer, second.id, today)
    moved = await reports.reschedule(ana, second.id, today + timedelta(days=250))
    assert moved.due_on == today + timedelta(days=250)


async def _all_sent() -> bool:
    return not await ReportReminder.filter(sent_at=None).exists()


def _reminder_mails(settings: Settings) -> list[str]:
    return [text for text in mail_texts(settings, COOP) if "/o/mlima-fund/my-projects/" in text]


@pytest.mark.usefixtures("app")
async def test_reminders_go_once_per_due_date_however_often_the_job_runs(
        settings: Settings, app: Starlette) -> None:
    moment = now()
    today = moment.date()                   # the test organisation's timezone is UTC
    org, ana, _ben, _coop, project = await funded(today - timedelta(days=40))
    baseline = await OutcomeReport.get(project_id=project.id, kind=ReportKind.BASELINE)
    await reports.reschedule(ana, baseline.id, today + timedelta(days=5))    # due soon

    # The scheduled job, twice in a row and twice at once.
    await queue.enqueue("queue_report_reminders")
    await queue.enqueue("queue_report_reminders")
    await asyncio.gather(reports.queue_reminders(moment), reports.queue_reminders(moment))
    await eventually(lambda: _reminder_mails(settings))
    await eventually(_all_sent)
    await asyncio.sleep(0.5)                 # anything queued twice would have run by now
    assert len(_reminder_mails(settings)) == 1
    assert await ReportReminder.filter(report_id=baseline.id).count() == 1
    assert await reports.queue_reminders(moment) == 0

    # Three days after the date: an overdue reminder, once.
    later = moment + timedelta(days=8)
    assert await reports.queue_reminders(later) == 1
    assert await reports.queue_reminders(later) == 0
    await eventually(lambda: len(_reminder_mails(settings)) == 2)

    # A new date: its own reminders.
    await reports.reschedule(ana, baseline.id, later.date() + timedelta(days=2))
    assert await reports.queue_reminders(later) == 1
    await eventually(lambda: len(_reminder_mails(settings)) == 3)

    # A submitted report and a report far ahead are not reminded.
    coop = await User.get(email=COOP)
    await reports.save_report(coop, org, baseline.id, narrative=NARRATIVE, typed=VALUES,
                              submit=True)
    assert await reports.queue_reminders(later + timedelta(days=5)) == 0
    await asyncio.sleep(0.3)
    assert len(_reminder_mails(settings)) == 3


@pytest.mark.usefixtures("app")
async def test_a_reminder_comes_on_the_organisations_own_day() -> None:
    """Lima is five hours behind UTC: at 02:00 UTC on the 3rd it is still the 2nd there, the
    day before the 'soon' reminder of a report due on the 10th; at 06:00 UTC it is the 3rd."""
    start = date(2030, 1, 1)
    org, ana, _ben, _coop, project = await funded(start)
    await Organisation.filter(id=org.id).update(timezone="America/Lima")
    baseline = await OutcomeReport.get(project_id=project.id, kind=ReportKind.BASELINE)
    await reports.reschedule(ana, baseline.id, date(2030, 3, 10))
    assert await reports.queue_reminders(datetime(2030, 3, 3, 2, 0, tzinfo=UTC)) == 0
    assert await reports.queue_reminders(datetime(2030, 3, 3, 6, 0, tzinfo=UTC)) == 1
