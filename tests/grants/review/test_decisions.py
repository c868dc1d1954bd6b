"""Ranking and decisions: the ranking table and its exports, decisions within the call's budget
(pages, API, and under concurrency on PostgreSQL), the suggestion with its seeded lottery, and
publishing the letters with the reviewers' comments for the applicant."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from openpyxl import load_workbook

from app.accounts.models import User
from app.accounts.service import create_api_token
from app.audit import AuditEvent
from app.errors import AppError, Conflict, Invalid
from app.forms import validate
from app.i18n import gettext, translations
from app.orgs.models import Membership, Organisation
from app.settings import Settings
from app.timefmt import now
from grants.applications.models import Application, ApplicationMessage
from grants.applications.statuses import ApplicationStatus, MessageKind
from grants.calls import service as calls
from grants.calls.models import Call
from grants.calls.schemas import CallIn
from grants.calls.statuses import CallStatus
from grants.calls.views import _call_values
from grants.coops.models import CoopContact
from grants.review import funding_line, scoring
from grants.review.models import Conflict as ConflictRow
from grants.review.models import Decision, Review
from grants.review.schemas import DecisionIn
from grants.review.service import decisions, ranking
from grants.review.statuses import ConflictKind, DecisionKind, ReviewStatus
from tests.grants.factories import make_call, make_coop, make_eligible, make_reviewer
from tests.helpers import (
    login,
    mail_text,
    make_org,
    make_user,
    outbox,
    post_form,
    wait_for_mail,
)

pytestmark = pytest.mark.usefixtures("app")  # publishing enqueues mail: the runner must run

STAFF_EMAIL = "amina@fund.org"
FOR_APPLICANT = "For the applicant {app}: your cupping plan is clear ({reviewer})."
FOR_STAFF = "STAFF ONLY {app}: the treasurer figures look odd ({reviewer})."
REVIEWER_NAME = "Dr Secret Reviewer {n}"


@dataclass
class World:
    org: Organisation
    owner: User
    staff: Membership
    call: Call
    apps: list[Application]
    reviewers: list[User]

    def path(self, suffix: str = "") -> str:
        return f"/o/{self.org.slug}/manage/calls/{self.call.id}{suffix}"

    def api(self, suffix: str) -> str:
        return f"/api/v1/orgs/{self.org.slug}{suffix}"


async def make_world(scores: Sequence[Sequence[float]], *, budget_minor: int = 2_500_000,
                     requested_minor: int = 1_000_000,
                     titles: Sequence[str] = ()) -> World:
    """A closed call; one eligible application per row of `scores`, each from its own co-op,
    with a submitted review per mark (reviewer j gives the j-th mark)."""
    owner = await make_user(email=STAFF_EMAIL, name="Amina")
    org = await make_org(owner=owner)
    call = await make_call(org, status=CallStatus.CLOSED, budget_minor=budget_minor,
                           opens_at=now() - timedelta(days=40),
                           closes_at=now() - timedelta(days=1))
    reviewers = [await make_reviewer(org, f"reviewer{n}@fund.org", name=REVIEWER_NAME.format(n=n))
                 for n in range(max((len(marks) for marks in scores), default=0))]
    apps = []
    for i, marks in enumerate(scores):
        coop = await make_coop(org, legal_name=f"Cooperativa Número {i}")
        application = await make_eligible(
            org, call, coop, requested_minor=requested_minor,
            title=titles[i] if i < len(titles) else f"Project {i}")
        for reviewer, score in zip(reviewers, marks, strict=False):
            await submit_review(application, reviewer, score)
        apps.append(application)
    staff = await Membership.get(user_id=owner.id).select_related("organisation")
    return World(org, owner, staff, call, apps, reviewers)


async def submit_review(application: Application, reviewer: User, score: float) -> Review:
    return await Review.create(
        organisation_id=application.organisation_id, call_id=application.call_id,
        application=application, reviewer_id=reviewer.id, status=ReviewStatus.SUBMITTED,
        score=score, submitted_at=now(),
        comment_applicant=FOR_APPLICANT.format(app=application.id, reviewer=reviewer.id),
        comment_staff=FOR_STAFF.format(app=application.id, reviewer=reviewer.id))


async def other_application(world: World, status: ApplicationStatus, name: str
                            ) -> Application:
    coop = await make_coop(world.org, legal_name=name)
    application = await make_eligible(world.org, world.call, coop, title=name)
    application.status = status
    await application.save()
    return application


async def bearer(user: User) -> dict[str, str]:
    _, secret = await create_api_token(user, "test")
    return {"Authorization": f"Bearer {secret}"}


@asynccontextmanager
async def signed_in(client: httpx.AsyncClient, user: User) -> AsyncIterator[httpx.AsyncClient]:
    """Another browser, on the same app, signed in as `user`."""
    other = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    async with other:
        await login(other, user.email)
        yield other


def award(amount_minor: int) -> DecisionIn:
    return DecisionIn(kind=DecisionKind.AWARD, amount_minor=amount_minor)


def order_in(page: str, titles: Sequence[str]) -> list[str]:
    """The titles shown on the page, in the order they appear."""
    shown = [(page.find(f">{title}</a>"), title) for title in titles]
    return [title for at, title in sorted(shown) if at >= 0]


# --- the ranking ---------------------------------------------------------------------------

RANKING_TITLES = ("Cupping lab", "=1+1 Irrigation", "Solar dryer", "Seedling nursery")
RANKING_SCORES = ((90, 85, 88), (40, 80, 62), (70, 72, 68), ())


async def test_the_ranking_lists_every_eligible_application(client: httpx.AsyncClient) -> None:
    world = await make_world(RANKING_SCORES, titles=RANKING_TITLES)
    lab, irrigation, dryer, nursery = world.apps
    screened_out = await other_application(world, ApplicationStatus.INELIGIBLE, "Screened out")
    for reviewer in world.reviewers:  # marks of an ineligible application count for nothing
        await submit_review(screened_out, reviewer, 99)
    await other_application(world, ApplicationStatus.DRAFT, "Still a draft")
    expected = scoring.rank([scoring.Mark(a.id, r.id, float(s))
                             for a, marks in zip(world.apps, RANKING_SCORES, strict=True)
                             for r, s in zip(world.reviewers, marks, strict=False)])
    by_id = {row.application_id: row for row in expected.rows}

    rows = (await client.get(world.api(f"/calls/{world.call.id}/ranking"),
                             headers=await bearer(world.owner))).json()
    assert [r["application_id"] for r in rows] == [lab.id, dryer.id, irrigation.id, nursery.id]
    for row in rows[:3]:
        want = by_id[row["application_id"]]
        assert (row["rank"], row["reviews"]) == (want.rank, 3)
        assert row["mean"] == pytest.approx(want.mean)
        assert row["spread"] == pytest.approx(want.spread)
        assert row["calibrated"] == pytest.approx(want.calibrated)
        assert row["low"] == pytest.approx(want.low) and row["high"] == pytest.approx(want.high)
        assert row["low"] < row["calibrated"] < row["high"]
        assert row["disagreement"] is (row["application_id"] == irrigation.id)  # spread 40
        assert (row["requested_minor"], row["currency"], row["decision"]) == (
            1_000_000, "USD", None)
    assert rows[1]["mean"] == pytest.approx(70) and rows[2]["spread"] == 40
    assert rows[3]["rank"] is None and rows[3]["reviews"] == 0  # no review yet: listed, last
    assert rows[3]["calibrated"] is None and rows[3]["mean"] is None

    await login(client, world.owner.email)
    page = await client.get(world.path("/ranking"))
    assert page.status_code == 200
    assert order_in(page.text, (*RANKING_TITLES, "Screened out", "Still a draft")) == [
        "Cupping lab", "Solar dryer", "=1+1 Irrigation", "Seedling nursery"]
    lab_row = by_id[lab.id]
    assert f"<strong>{lab_row.calibrated:.1f}</strong> ({lab_row.low:.1f}–{lab_row.high:.1f})" \
        in page.text
    assert page.text.count('<span class="tag">Disagreement</span>') == 1
    assert "No review submitted" in page.text

    by_spread = await client.get(world.path("/ranking?sort=spread"))
    assert order_in(by_spread.text, RANKING_TITLES)[:3] == [
        "=1+1 Irrigation", "Cupping lab", "Solar dryer"]
    by_mean = await client.get(world.path("/ranking?sort=mean&sort=nonsense"))
    assert by_mean.status_code == 200
    disagreeing = await client.get(world.path("/ranking?disagreement=1"))
    assert order_in(disagreeing.text, RANKING_TITLES) == ["=1+1 Irrigation"]

    await decisions.decide(world.staff, lab.id, award(1_000_000))
    undecided = await client.get(world.path("/ranking?decision=none"))
    assert order_in(undecided.text, RANKING_TITLES) == [
        "Solar dryer", "=1+1 Irrigation", "Seedling nursery"]
    awarded = await client.get(world.path("/ranking?decision=award"))
    assert order_in(awarded.text, RANKING_TITLES) == ["Cupping lab"]
    assert "$10,000.00" in awarded.text and "(not published)" in awarded.text
    unknown = await client.get(world.path("/ranking?decision=maybe&category=quality"))
    assert len(order_in(unknown.text, RANKING_TITLES)) == 4  # an odd filter is ignored
    assert not order_in((await client.get(world.path("/ranking?category=market_access"))).text,
                        RANKING_TITLES)


async def test_the_exports_are_safe_spreadsheets(client: httpx.AsyncClient) -> None:
    world = await make_world(RANKING_SCORES, titles=RANKING_TITLES)
    await login(client, world.owner.email)

    exported = await client.get(world.path("/ranking.csv"))
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    assert exported.headers["cache-control"] == "no-store"  # staff's, never a cache's
    assert exported.text.startswith("\ufeff")  # a spreadsheet reads it as UTF-8
    header, *lines = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert header[:3] == ["Rank", "Application", "Title"] and len(header) == 17
    assert [line[2] for line in lines] == [
        "Cupping lab", "Solar dryer", "'=1+1 Irrigation", "Seedling nursery"]
    assert lines[0][3] == "Cooperativa Número 0" and lines[0][6] == "10000.00"
    assert lines[2][11] == "yes" and lines[0][11] == ""  # disagreement
    assert lines[3][0] == "" and lines[3][9] == ""         # no review: no rank, no mean
    only = await client.get(world.path("/ranking.csv?disagreement=1"))
    assert len(list(csv.reader(io.StringIO(only.text.lstrip("\ufeff"))))) == 2

    book = await client.get(world.path("/ranking.xlsx"))
    assert book.status_code == 200 and "spreadsheetml" in book.headers["content-type"]
    assert book.headers["cache-control"] == "no-store"
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 4 and rows[0][:3] == ("Rank", "Application", "Title")
    assert [row[2] for row in rows[1:]] == [
        "Cupping lab", "Solar dryer", "'=1+1 Irrigation", "Seedling nursery"]
    assert rows[1][0] == 1 and rows[1][9] == pytest.approx(87.67)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert (await client.get(world.path("/ranking.pdf"))).status_code == 400


async def test_only_staff_see_the_ranking(client: httpx.AsyncClient) -> None:
    world = await make_world(RANKING_SCORES, titles=RANKING_TITLES)
    outsider = await make_user(email="outsider@example.org")
    reviewer = world.reviewers[0]
    for user, status in ((outsider, 404), (reviewer, 403)):
        async with signed_in(client, user) as browser:
            for suffix in ("/ranking", "/ranking.csv", "/ranking.xlsx", "/suggestion"):
                response = await browser.get(world.path(suffix))
                assert response.status_code == status, (user.email, suffix)
                assert "Cupping lab" not in response.text
            refused = await post_form(browser, world.path("/publish"), {},
                                      token_from="/home")
            assert refused.status_code == status
        api = await client.get(world.api(f"/calls/{world.call.id}/ranking"),
                               headers=await bearer(user))
        assert api.status_code == status and "Cupping lab" not in api.text
        decided = await client.post(world.api(f"/applications/{world.apps[0].id}/decision"),
                                    json={"kind": "decline"}, headers=await bearer(user))
        assert decided.status_code == status
    assert not await Decision.exists()
    other = await make_org(slug="other-fund", name="Other Fund", owner=world.owner)
    foreign = await make_call(other, status=CallStatus.CLOSED)
    await login(client, world.owner.email)
    assert (await client.get(f"/o/{world.org.slug}/manage/calls/{foreign.id}/ranking")
            ).status_code == 404


# --- decisions -----------------------------------------------------------------------------

async def test_decisions_stay_within_the_request_and_the_budget(settings: Settings) -> None:
    world = await make_world(((80, 80), (70, 70), (60, 60)))  # budget 25,000; 10,000 each
    first, second, third = world.apps
    with pytest.raises(Invalid) as too_much:
        await decisions.decide(world.staff, first.id, award(1_000_001))
    assert set(too_much.value.fields) == {"amount_minor"}
    assert "$10,000.00" in gettext(too_much.value.fields["amount_minor"])
    _, total = await decisions.decide(world.staff, first.id, award(1_000_000))
    _, total = await decisions.decide(world.staff, second.id, award(1_000_000))
    assert total == 2_000_000
    with pytest.raises(Conflict) as over:
        await decisions.decide(world.staff, third.id, award(1_000_000))
    assert over.value.code == "over_budget"
    assert "$5,000.00 is left" in gettext(over.value.message)
    assert not await Decision.filter(application_id=third.id).exists()
    partial, total = await decisions.decide(world.staff, third.id, award(500_000))
    assert (partial.amount_minor, total) == (500_000, 2_500_000)

    # until published, a decision can change; an award freed is budget again
    changed, total = await decisions.decide(world.staff, first.id, DecisionIn(
        kind=DecisionKind.DECLINE, amount_minor=1_000_000, reason="Weak budget"))
    assert (changed.kind, changed.amount_minor, total) == (DecisionKind.DECLINE, None, 1_500_000)
    assert await Decision.filter(application_id=first.id).count() == 1
    waiting, _ = await decisions.decide(world.staff, third.id,
                                        DecisionIn(kind=DecisionKind.WAITLIST))
    assert waiting.kind is DecisionKind.WAITLIST and waiting.amount_minor is None
    assert await decisions.committed(world.org, world.call) == 1_000_000
    assert await AuditEvent.filter(verb="decision.award").count() == 3
    assert await AuditEvent.filter(verb__in=["decision.decline", "decision.waitlist"]
                                   ).count() == 2
    with pytest.raises(Invalid):  # an award names its amount
        validate(DecisionIn, {"kind": "award", "amount_minor": ""})

    for status in (ApplicationStatus.INELIGIBLE, ApplicationStatus.DRAFT,
                   ApplicationStatus.SUBMITTED):
        stuck = await other_application(world, status, f"Co-op {status.value}")
        with pytest.raises(Conflict) as refused:
            await decisions.decide(world.staff, stuck.id, DecisionIn(kind=DecisionKind.DECLINE))
        assert refused.value.code == "not_decidable"
        assert not await Decision.filter(application_id=stuck.id).exists()

    world.call.status = CallStatus.OPEN
    await world.call.save()
    with pytest.raises(Conflict) as still_open:
        await decisions.decide(world.staff, second.id, DecisionIn(kind=DecisionKind.DECLINE))
    assert still_open.value.code == "call_not_closed"


async def test_deciding_from_the_application_page(client: httpx.AsyncClient) -> None:
    world = await make_world(((80, 80), (70, 70), (60, 60)), budget_minor=1_100_000)
    first, second, _ = world.apps
    await login(client, world.owner.email)
    page_of = f"/o/{world.org.slug}/manage/applications/{{}}"
    shown = await client.get(page_of.format(first.id))
    assert shown.status_code == 200 and "Funding decision" in shown.text
    assert 'value="10000.00"' in shown.text  # the request, to start from
    assert FOR_STAFF.format(app=first.id, reviewer=world.reviewers[0].id) in shown.text

    async def send(application: Application, **values: str) -> httpx.Response:
        return await post_form(client, page_of.format(application.id) + "/decision", values,
                               token_from=page_of.format(application.id))

    too_much = await send(first, kind="award", amount_minor="10,000.01",
                          message="Nos alegra apoyar su laboratorio.")
    assert too_much.status_code == 422 and "Award at most the amount requested" in too_much.text
    assert "Nos alegra apoyar su laboratorio." in too_much.text  # what was typed stays
    assert 'value="10,000.01"' in too_much.text
    done = await send(first, kind="award", amount_minor="1,500.00", reason="Strong plan",
                      message="Congratulations!")
    assert done.status_code == 303 and done.headers["location"].endswith("?decided=1")
    recorded = await client.get(done.headers["location"])
    assert "recorded but not sent" in recorded.text.replace("&#39;", "'")
    assert "being told by email" not in recorded.text  # private until published
    decision = await Decision.get(application_id=first.id)
    assert (decision.kind, decision.amount_minor, decision.currency) == (
        DecisionKind.AWARD, 150_000, "USD")
    assert (decision.reason, decision.message, decision.published_at) == (
        "Strong plan", "Congratulations!", None)
    over = await send(second, kind="award", amount_minor="10,000", reason="Close second")
    assert over.status_code == 409 and "$9,500.00 is left" in over.text
    assert "Close second" in over.text and "Funding decision" in over.text
    declined = await send(second, kind="decline", amount_minor="", message="Not this time")
    assert declined.status_code == 303
    assert (await Decision.get(application_id=second.id)).amount_minor is None
    again = await client.get(page_of.format(first.id))
    assert "Recorded:" in again.text and "(not published)" in again.text
    assert 'value="1500.00"' in again.text


async def test_deciding_through_the_api(client: httpx.AsyncClient) -> None:
    world = await make_world(((80, 80), (70, 70)), budget_minor=1_500_000)
    first, second = world.apps
    staff = await bearer(world.owner)

    async def send(application: Application, body: dict[str, object]) -> httpx.Response:
        return await client.post(world.api(f"/applications/{application.id}/decision"),
                                 json=body, headers=staff)

    too_much = await send(first, {"kind": "award", "amount_minor": 2_000_000})
    assert too_much.status_code == 422
    assert "amount_minor" in too_much.json()["error"]["fields"]
    as_text = await send(first, {"kind": "award", "amount_minor": "1,500.00"})
    assert as_text.status_code == 422 and "amount_minor" in as_text.json()["error"]["fields"]
    assert (await send(first, {"kind": "award"})).status_code == 422
    assert (await send(first, {"kind": "maybe"})).status_code == 422
    done = await send(first, {"kind": "award", "amount_minor": 1_000_000, "message": "Yes"})
    assert done.status_code == 200, done.text
    assert done.json() | {"published_at": None} == {
        "application_id": first.id, "kind": "award", "amount_minor": 1_000_000,
        "currency": "USD", "reason": "", "message": "Yes", "published_at": None,
        "committed_minor": 1_000_000, "budget_minor": 1_500_000}
    over = await send(second, {"kind": "award", "amount_minor": 600_000})
    assert over.status_code == 409 and over.json()["error"]["code"] == "over_budget"
    assert "$5,000.00 is left" in over.json()["error"]["message"]
    assert not await Decision.filter(application_id=second.id).exists()
    waitlisted = await send(second, {"kind": "waitlist", "amount_minor": 600_000})
    assert waitlisted.status_code == 200
    assert waitlisted.json()["amount_minor"] is None
    assert waitlisted.json()["committed_minor"] == 1_000_000
    ineligible = await other_application(world, ApplicationStatus.INELIGIBLE, "Screened out")
    refused = await send(ineligible, {"kind": "decline"})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "not_decidable"


@pytest.mark.postgres_only
async def test_concurrent_awards_never_go_over_the_budget(settings: Settings) -> None:
    """Ten awards of 30 at once against a budget of 100: the call's row lock lets three in."""
    world = await make_world([(70 + n,) for n in range(10)], budget_minor=100,
                             requested_minor=30)
    results = await asyncio.gather(
        *[decisions.decide(world.staff, a.id, award(30)) for a in world.apps],
        return_exceptions=True)
    done = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert all(isinstance(r, AppError) and r.code == "over_budget" for r in refused), refused
    assert len(done) == 3 and len(refused) == 7
    amounts = [d.amount_minor or 0 for d in await Decision.filter(call_id=world.call.id)]
    assert sum(amounts) == 90
    assert await decisions.committed(world.org, world.call) == 90


# --- suggestion -----------------------------------------------------------------------------

SUGGESTION_TITLES = ("Dryer", "Roaster", "Nursery", "Warehouse", "Training", "Bikes", "Lab")


async def test_the_suggestion_is_recorded_and_can_be_checked(client: httpx.AsyncClient) -> None:
    # two marks per application: the intervals are wide, so the line falls in a lottery
    world = await make_world(((96, 94), (86, 84), (81, 79), (76, 74), (61, 59), (41, 39),
                              (99, 97)), budget_minor=3_000_000, titles=SUGGESTION_TITLES)
    already, declined = world.apps[6], world.apps[5]
    await decisions.decide(world.staff, already.id, award(500_000))
    await decisions.decide(world.staff, declined.id, DecisionIn(kind=DecisionKind.DECLINE))
    await login(client, world.owner.email)

    shown = await client.get(world.path("/suggestion"))
    assert shown.status_code == 200 and "Lottery at the funding line" in shown.text
    assert "(25000.00 left)" in shown.text
    preview = await decisions.suggest(world.staff, world.call.id)
    assert preview.budget_left_minor == 2_500_000 and len(preview.suggestion.lottery) >= 2
    assert {c.application_id for c in preview.candidates} == {a.id for a in world.apps[:5]}
    expected = " ".join(str(c.application_id) for c in preview.candidates)
    assert f'name="expected" value="{expected}"' in shown.text
    assert 'name="seed"' not in shown.text   # nobody chooses the seed: the form sends none

    stale = await post_form(client, world.path("/suggestion"), {"expected": "1 2"},
                            token_from=world.path("/suggestion"))
    assert stale.status_code == 409                        # not what staff saw: nothing done
    assert not await Decision.filter(call_id=world.call.id, reason__startswith="Suggested")
    recorded = await post_form(client, world.path("/suggestion"), {"expected": expected},
                               token_from=world.path("/suggestion"))
    assert recorded.status_code == 303
    event = await AuditEvent.get(verb="call.suggest_awards")
    details = event.details
    assert details is not None and event.object_id == str(world.call.id)
    assert recorded.headers["location"].endswith(f"/ranking?suggested=1&seed={details['seed']}")
    assert details["seed"] == details["lottery_seed"]
    assert details["budget_left_minor"] == 2_500_000
    awards = await Decision.filter(call_id=world.call.id, kind=DecisionKind.AWARD,
                                   reason="Suggested by calibrated rank.")
    assert {d.application_id for d in awards} == set(details["awards"])
    assert set(preview.suggestion.sure) <= set(details["awards"])  # the sure ones, whatever
    assert set(details["lottery"]) == set(preview.suggestion.lottery)  # the same group drawn
    assert all(d.amount_minor == 1_000_000 and d.published_at is None for d in awards)
    assert await decisions.committed(world.org, world.call) <= world.call.budget_minor

    # anyone can re-run the draw from the log alone: candidates, money left and seed
    candidates = [funding_line.Candidate(*row) for row in details["candidates"]]
    rerun = funding_line.suggest(candidates, details["budget_left_minor"], details["seed"])
    assert list(rerun.awards) == details["awards"]
    assert list(rerun.lottery) == details["lottery"]
    assert rerun.line == details["line"]

    nothing = await client.get(world.path("/suggestion"))
    assert "Nothing to suggest" in nothing.text  # 5,000.00 left; every request is 10,000.00
    bad = await post_form(client, world.path("/suggestion"), {"expected": "lots"},
                          token_from=world.path("/suggestion"))
    assert bad.status_code == 400


# --- publishing -----------------------------------------------------------------------------

async def test_publishing_sends_the_letters(client: httpx.AsyncClient,
                                            settings: Settings) -> None:
    world = await make_world(((90, 88), (60, 50), (75, 70), (72, 71)),
                             titles=("Cupping lab", "Solar dryer", "Seed bank", "Warehouse"))
    funded, declined, waiting, undecided = world.apps
    blank = await Review.get(application_id=funded.id, reviewer_id=world.reviewers[1].id)
    blank.comment_applicant = "   "  # an empty comment is left out of the letter
    await blank.save()
    rosa = await make_user(email="rosa@flordelvalle.pe", name="Rosa", locale="en")
    lucho = await make_user(email="lucho@flordelvalle.pe", name="Lucho", locale="es")
    for contact in (rosa, lucho):
        await CoopContact.create(organisation=world.org, cooperative_id=funded.cooperative_id,
                                 user_id=contact.id)
    await decisions.decide(world.staff, funded.id, DecisionIn(
        kind=DecisionKind.AWARD, amount_minor=800_000, reason="Best in the call",
        message="Congratulations from the fund!"))
    await decisions.decide(world.staff, declined.id, DecisionIn(
        kind=DecisionKind.DECLINE, reason="Weak", message="Please apply again next year."))
    await decisions.decide(world.staff, waiting.id, DecisionIn(kind=DecisionKind.WAITLIST))
    await login(client, world.owner.email)

    published = await post_form(client, world.path("/publish"), {},
                                token_from=world.path("/ranking"))
    assert published.status_code == 303
    assert published.headers["location"].endswith("/ranking?published=3")
    statuses = {a.id: a.status for a in await Application.filter(call_id=world.call.id)}
    assert statuses == {funded.id: ApplicationStatus.AWARDED,
                        declined.id: ApplicationStatus.DECLINED,
                        waiting.id: ApplicationStatus.WAITLISTED,
                        undecided.id: ApplicationStatus.ELIGIBLE}
    assert not await Decision.filter(call_id=world.call.id, published_at=None).exists()
    # one application is still eligible and undecided: the call is not decided yet
    assert (await Call.get(id=world.call.id)).status is CallStatus.CLOSED

    first, second = world.reviewers
    for application, kind, body in ((funded, MessageKind.AWARDED,
                                     "Congratulations from the fund!"),
                                    (declined, MessageKind.DECLINED,
                                     "Please apply again next year."),
                                    (waiting, MessageKind.WAITLISTED, "")):
        [letter] = await ApplicationMessage.filter(application_id=application.id)
        assert (letter.kind, letter.body) == (kind, body)
        wanted = [FOR_APPLICANT.format(app=application.id, reviewer=r.id)
                  for r in (first, second) if (application, r) != (funded, second)]
        assert letter.comments == wanted
        assert "STAFF ONLY" not in str(letter.comments) and "Secret" not in str(letter.comments)

    comment = FOR_APPLICANT.format(app=funded.id, reviewer=first.id)
    for contact in (rosa, lucho):
        mail = await wait_for_mail(settings, contact.email)
        text = mail_text(mail)
        assert comment in text and "Congratulations from the fund!" in text
        assert "STAFF ONLY" not in text and "Secret Reviewer" not in text
        assert mail["Content-Language"] == contact.locale
    spanish = translations("es").ugettext("What the reviewers wrote for you:")
    english_mail = mail_text(await wait_for_mail(settings, rosa.email))
    assert "What the reviewers wrote for you:" in english_mail and "$8,000.00" in english_mail
    if spanish != "What the reviewers wrote for you:":  # once the catalog has the new strings
        assert spanish in mail_text(await wait_for_mail(settings, lucho.email))

    async with signed_in(client, lucho) as applicant:
        page = await applicant.get(f"/o/{world.org.slug}/applications/{funded.id}")
    assert page.status_code == 200
    assert "Congratulations from the fund!" in page.text and comment in page.text
    assert "STAFF ONLY" not in page.text and "Secret Reviewer" not in page.text
    assert "8.000,00" in page.text or "8,000.00" in page.text   # the amount, in the letter

    # nothing new to publish: nothing moves, nobody is mailed twice
    mails = len(outbox(settings))
    assert await decisions.publish(world.staff, world.call.id) == 0
    # an award, once published, is final
    with pytest.raises(Conflict):
        await decisions.decide(world.staff, funded.id, DecisionIn(kind=DecisionKind.DECLINE))

    await decisions.decide(world.staff, undecided.id, DecisionIn(kind=DecisionKind.DECLINE))
    assert await decisions.publish(world.staff, world.call.id) == 1
    assert (await Call.get(id=world.call.id)).status is CallStatus.DECIDED
    assert await AuditEvent.filter(verb="call.decide").count() == 1

    # money came back: the waiting list moves up, on a decided call
    await decisions.decide(world.staff, waiting.id, award(1_000_000))
    assert await decisions.publish(world.staff, world.call.id) == 1
    assert (await Application.get(id=waiting.id)).status is ApplicationStatus.AWARDED
    letters = await ApplicationMessage.filter(application_id=waiting.id)
    assert [m.kind for m in letters] == [MessageKind.WAITLISTED, MessageKind.AWARDED]
    assert (await Call.get(id=world.call.id)).status is CallStatus.DECIDED
    assert len(outbox(settings)) == mails  # the waitlisted co-op has no contact here


async def test_a_waitlisted_application_recorded_again_does_not_block_publishing(
        settings: Settings) -> None:
    world = await make_world(((80, 80), (70, 70)))
    kept, other = world.apps
    await decisions.decide(world.staff, kept.id, DecisionIn(kind=DecisionKind.WAITLIST))
    assert await decisions.publish(world.staff, world.call.id) == 1
    # staff open the decision form again and save it (a note, say), or take back an award
    # recorded for it before it was published: it is still on the waiting list
    await decisions.decide(world.staff, kept.id, award(1_000_000))
    await decisions.decide(world.staff, kept.id, DecisionIn(kind=DecisionKind.WAITLIST,
                                                            reason="Not yet"))
    await decisions.decide(world.staff, other.id, DecisionIn(kind=DecisionKind.DECLINE))
    assert await decisions.publish(world.staff, world.call.id) == 1  # only the decline
    assert (await Application.get(id=kept.id)).status is ApplicationStatus.WAITLISTED
    assert (await Application.get(id=other.id)).status is ApplicationStatus.DECLINED
    assert await ApplicationMessage.filter(application_id=kept.id).count() == 1  # not twice
    assert not await Decision.filter(published_at=None).exists()
    assert (await Call.get(id=world.call.id)).status is CallStatus.DECIDED


async def test_an_award_to_an_application_found_ineligible_is_void(
        settings: Settings) -> None:
    world = await make_world(((80, 80), (70, 70)), budget_minor=1_000_000)
    fraud, honest = world.apps
    await decisions.decide(world.staff, fraud.id, award(1_000_000))
    fraud.status = ApplicationStatus.INELIGIBLE  # screening marks it ineligible afterwards
    await fraud.save()
    # its award no longer holds the budget, and publishing the others is not blocked
    await decisions.decide(world.staff, honest.id, award(1_000_000))
    assert await decisions.publish(world.staff, world.call.id) == 1
    assert (await Application.get(id=honest.id)).status is ApplicationStatus.AWARDED
    assert (await Application.get(id=fraud.id)).status is ApplicationStatus.INELIGIBLE
    assert not await ApplicationMessage.filter(application_id=fraud.id).exists()
    assert await decisions.committed(world.org, world.call) == 1_000_000
    assert (await ranking.table(world.staff, world.call.id)).committed_minor == 1_000_000


# --- the call's promises ------------------------------------------------------------------

async def _edit_call(world: World, **changes: object) -> None:
    """Save the call as its staff page would, with some values changed."""
    values = {**_call_values(world.call, "UTC"), **changes}
    await calls.update_call(world.staff, world.call.id,
                            validate(CallIn, values, {"currency": world.call.currency}))


async def test_a_budget_never_drops_below_the_awards_and_blind_mode_stays(
        settings: Settings) -> None:
    world = await make_world(((80, 80), (70, 70)), budget_minor=2_500_000)
    await decisions.decide(world.staff, world.apps[0].id, award(1_000_000))
    await decisions.decide(world.staff, world.apps[1].id, award(800_000))
    with pytest.raises(Invalid) as lower:
        await _edit_call(world, budget_minor="17,999.99")
    assert "$18,000.00" in gettext(lower.value.fields["budget_minor"])
    assert (await Call.get(id=world.call.id)).budget_minor == 2_500_000   # nothing saved
    await _edit_call(world, budget_minor="18,000.00")                     # exactly enough
    assert (await Call.get(id=world.call.id)).budget_minor == 1_800_000
    world.call = await Call.get(id=world.call.id)
    with pytest.raises(Invalid) as blind:
        await _edit_call(world, blind="1")                # reviewers are assigned already
    assert "blind" in blind.value.fields
    assert not (await Call.get(id=world.call.id)).blind


async def test_a_review_by_a_reviewer_since_found_conflicted_does_not_count(
        settings: Settings) -> None:
    world = await make_world(((90, 30), (60, 60)))
    before = {r.application_id: r for r in (await ranking.ranking_of(world.org,
                                                                      world.call)).rows}
    lenient = world.reviewers[0]
    await ConflictRow.create(organisation=world.org, reviewer_id=lenient.id,
                          kind=ConflictKind.STAFF, application_id=world.apps[0].id,
                          reason="Her brother chairs the co-op", created_by_id=world.owner.id)
    after = {r.application_id: r for r in (await ranking.ranking_of(world.org,
                                                                     world.call)).rows}
    assert before[world.apps[0].id].reviews == 2 and after[world.apps[0].id].reviews == 1
    assert after[world.apps[0].id].mean == pytest.approx(30)
