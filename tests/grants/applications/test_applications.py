"""Applications through the use cases: drafts keep every valid answer, submission is checked,
snapshotted and idempotent, the deadline holds to the second, screening tells the applicant."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from app import timefmt
from app.accounts.models import User
from app.audit import AuditEvent
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.orgs.models import Membership, Organisation, Role
from app.settings import Settings
from grants.applications.models import Application, ApplicationMessage, Revision
from grants.applications.schemas import ApplicationIn, ApplicationPatch, ChangesIn, ReasonIn
from grants.applications.service import applicant as applications
from grants.applications.service import screening
from grants.applications.statuses import ApplicationStatus
from grants.calls.models import Call
from grants.calls.statuses import CallStatus
from grants.coops.models import Cooperative
from tests.grants.factories import make_call, make_coop
from tests.helpers import add_member, make_org, make_user, outbox, wait_for_mail

pytestmark = pytest.mark.usefixtures("app")  # jobs are enqueued: the runner must be there

BUDGET = [{"category": "training", "description": "Cupping course, 3 days",
           "amount_minor": 300_000},
          {"category": "equipment", "description": "Sample roaster", "amount_minor": 200_000}]
COMPLETE = ApplicationPatch(title="A cupping lab for Flor del Valle", category="quality",
                            requested_minor=500_000,
                            answers={"summary": "Members learn to cup.", "budget": BUDGET})


async def setup() -> tuple[Organisation, Call, Cooperative, User, Application, Membership]:
    owner, applicant = await make_user(email="staff@fund.org"), await make_user()
    org = await make_org(owner=owner)
    call = await make_call(org)
    coop = await make_coop(org, applicant)
    application = await applications.start(applicant, org, ApplicationIn(
        call_id=call.id, cooperative_id=coop.id))
    staff = await Membership.get(user_id=owner.id).select_related("organisation")
    return org, call, coop, applicant, application, staff


async def test_a_draft_keeps_valid_answers_and_names_the_rest(settings: Settings) -> None:
    org, _call, _coop, applicant, application, _staff = await setup()
    saved, errors = await applications.save(applicant, org, application.id, ApplicationPatch(
        title="Cupping lab", category="nonsense",
        answers={"summary": "Members learn to cup.", "budget": "lots", "ghost": 1}))
    assert set(errors) == {"category", "budget", "ghost"}
    assert saved.title == "Cupping lab" and saved.answers == {"summary": "Members learn to cup."}
    assert saved.version == 2 and saved.language == "en"
    again = await applications.start(applicant, org, ApplicationIn(
        call_id=application.call_id, cooperative_id=application.cooperative_id))
    assert again.id == application.id  # one application per co-op and call


async def test_submit_names_every_problem_then_snapshots(settings: Settings) -> None:
    org, call, _coop, applicant, application, _staff = await setup()
    with pytest.raises(Invalid) as refused:
        await applications.submit(applicant, org, application.id)
    assert {"title", "category", "requested_minor", "summary", "budget"} <= set(
        refused.value.fields)
    await applications.save(applicant, org, application.id, COMPLETE.model_copy(
        update={"requested_minor": 400_000}))
    with pytest.raises(Invalid) as unbalanced:
        await applications.submit(applicant, org, application.id)
    assert set(unbalanced.value.fields) == {"budget"}
    await applications.save(applicant, org, application.id, COMPLETE)
    revision = await applications.submit(applicant, org, application.id)
    assert revision.number == 1 and revision.snapshot["requested_minor"] == 500_000
    assert revision.snapshot["cooperative"]["legal_name"] == "Cooperativa Agraria Flor del Valle"
    submitted = await applications.editing(applicant, org, application.id)
    assert submitted.application.status is ApplicationStatus.SUBMITTED
    assert [f["rule"] for f in submitted.application.screening] == ["countries", "min_members"]
    with pytest.raises(Conflict):  # submitted: withdraw first to change it
        await applications.save(applicant, org, application.id, COMPLETE)
    call.form = {"sections": []}  # editing the call's form later does not touch the copy
    await call.save()
    assert (await applications.editing(applicant, org, application.id)).form.fields()


async def test_a_double_submit_gives_one_revision(settings: Settings) -> None:
    org, _call, _coop, applicant, application, _staff = await setup()
    await applications.save(applicant, org, application.id, COMPLETE)
    first = await applications.submit(applicant, org, application.id)
    second = await applications.submit(applicant, org, application.id)
    assert first.id == second.id and await Revision.filter().count() == 1
    assert await ApplicationMessage.filter(kind="receipt").count() == 1


@pytest.mark.postgres_only
async def test_concurrent_submits_give_one_revision(settings: Settings) -> None:
    org, _call, _coop, applicant, application, _staff = await setup()
    await applications.save(applicant, org, application.id, COMPLETE)
    results = await asyncio.gather(*[applications.submit(applicant, org, application.id)
                                     for _ in range(10)])
    assert len({r.id for r in results}) == 1 and await Revision.filter().count() == 1
    assert await ApplicationMessage.filter(kind="receipt").count() == 1
    assert await AuditEvent.filter(verb="application.submit").count() == 1


async def test_the_deadline_holds_to_the_second(settings: Settings,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    org, call, _coop, applicant, application, _staff = await setup()
    await applications.save(applicant, org, application.id, COMPLETE)
    deadline = datetime(2027, 3, 31, 23, 59, 59, tzinfo=UTC)
    call.closes_at = deadline
    await call.save()
    monkeypatch.setattr(timefmt, "now", lambda: deadline - timedelta(seconds=1))
    await applications.save(applicant, org, application.id, ApplicationPatch(title="Last edit"))
    monkeypatch.setattr(timefmt, "now", lambda: deadline)
    with pytest.raises(Conflict) as late:
        await applications.submit(applicant, org, application.id)
    assert late.value.code == "deadline_passed"
    with pytest.raises(Conflict):
        await applications.save(applicant, org, application.id, ApplicationPatch(title="Late"))
    assert (await applications.editing(applicant, org, application.id)
            ).application.title == "Last edit"
    monkeypatch.setattr(timefmt, "now", lambda: deadline - timedelta(seconds=1))
    assert (await applications.submit(applicant, org, application.id)).number == 1


async def test_withdraw_and_reopen_before_the_deadline(settings: Settings) -> None:
    org, _call, _coop, applicant, application, _staff = await setup()
    await applications.save(applicant, org, application.id, COMPLETE)
    await applications.submit(applicant, org, application.id)
    withdrawn = await applications.withdraw(applicant, org, application.id)
    assert withdrawn.status is ApplicationStatus.WITHDRAWN
    reopened = await applications.reopen(applicant, org, application.id)
    assert reopened.status is ApplicationStatus.DRAFT
    second = await applications.submit(applicant, org, application.id)
    assert second.number == 2


async def test_strangers_get_not_found(settings: Settings) -> None:
    org, _call, _coop, _applicant, application, _staff = await setup()
    stranger = await make_user(email="stranger@example.org")
    for attempt in (applications.editing(stranger, org, application.id),
                    applications.submit(stranger, org, application.id),
                    applications.save(stranger, org, application.id, COMPLETE)):
        with pytest.raises(NotFound):
            await attempt
    other = await make_org(slug="other-fund", name="Other Fund")
    with pytest.raises(NotFound):
        await applications.editing(_applicant, other, application.id)


async def test_screening_tells_the_applicant_in_their_language(settings: Settings) -> None:
    org, call, coop, applicant, application, staff = await setup()
    applicant.locale = "es"
    await applicant.save()
    await applications.save(applicant, org, application.id, COMPLETE)
    await applications.submit(applicant, org, application.id)
    receipt = await wait_for_mail(settings, applicant.email)
    assert receipt["Content-Language"] == "es"
    assert "Recibimos tu solicitud" in str(receipt["Subject"])
    changes = ChangesIn(comments="Add the quote for the roaster.",
                        deadline=timefmt.now() + timedelta(days=7))
    returned = await screening.request_changes(staff, application.id, changes)
    assert returned.status is ApplicationStatus.CHANGES_REQUESTED
    # the call closes; the application's own deadline still lets it come back
    await Call.filter(id=call.id).update(closes_at=timefmt.now() - timedelta(minutes=1),
                                           status=CallStatus.CLOSED)
    await applications.save(applicant, org, application.id, ApplicationPatch(
        answers={"summary": "Members learn to cup. Quote attached."}))
    assert (await applications.submit(applicant, org, application.id)).number == 2
    ineligible = await screening.mark_ineligible(staff, application.id,
                                                 ReasonIn(reason="The co-op is not registered."))
    assert ineligible.status is ApplicationStatus.INELIGIBLE
    with pytest.raises(Conflict):
        await screening.mark_eligible(staff, application.id)
    kinds = [m.kind for m in await ApplicationMessage.filter(application_id=application.id)]
    assert kinds == ["receipt", "changes_requested", "receipt", "ineligible"]
    await wait_for_mail(settings, applicant.email, count=4)
    bodies = [m.get_payload(decode=True).decode() for m in outbox(settings)]
    assert any("The co-op is not registered." in body for body in bodies)
    assert coop.id == application.cooperative_id


async def test_reviewers_cannot_screen(settings: Settings) -> None:
    org, _call, _coop, _applicant, application, _staff = await setup()
    reviewer = await add_member(org, await make_user(email="rev@example.org"), Role.REVIEWER)
    await reviewer.fetch_related("organisation")
    with pytest.raises(Forbidden):
        await screening.mark_eligible(reviewer, application.id)
