"""Review, end to end through the route table: reviewer profiles, conflicts of interest,
the assignment on a closed call, writing and submitting reviews, and who may see what."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from app.accounts.models import User
from app.accounts.service import create_api_token
from app.orgs.models import Membership, Organisation, Role
from app.settings import Settings
from app.storage import uploads
from grants.applications.models import Application, Attachment
from grants.calls.models import Call
from grants.calls.statuses import CallStatus
from grants.coops.models import CoopContact, Cooperative, Network
from grants.review.conflicts import Reason
from grants.review.models import Conflict, Review, ReviewerProfile
from grants.review.service import reviewers
from grants.review.statuses import ConflictKind, ReviewStatus
from tests.grants.factories import (
    SMALL_FORM,
    make_call,
    make_coop,
    make_eligible,
    make_reviewer,
)
from tests.helpers import login, mail_text, make_org, make_user, post_form, wait_for_mail

BLIND_FORM: dict[str, Any] = {"sections": [
    {"key": "project", "title": {"en": "The project"}, "fields": [
        {"key": "summary", "type": "long_text", "label": {"en": "Summary"}},
        {"key": "contact_person", "type": "short_text", "identifying": True,
         "label": {"en": "Who leads it"}},
        {"key": "registration", "type": "file", "identifying": True, "required": False,
         "label": {"en": "Registration certificate"}},
        {"key": "plan", "type": "file", "required": False, "label": {"en": "Work plan"}},
    ]},
]}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SUMMARY = "Un laboratorio de catación para las socias."
LEADER = "Rosa Quispe Huamán"


@dataclass
class World:
    """Mlima Fund: staff Amina; reviewers Ana, Ben (Spanish only), Chloe (acts for Flor),
    Dara (acts for Sister, in Flor's network); a closed call (k=2) with three eligible
    applications: Flor's (es), Kiambu's (es) and Valle's (en)."""

    org: Organisation
    staff: User
    ana: User
    ben: User
    chloe: User
    dara: User
    flor: Cooperative
    kiambu: Cooperative
    valle: Cooperative
    call: Call
    a_flor: Application
    a_kiambu: Application
    a_valle: Application

    @property
    def pool(self) -> list[User]:
        return [self.ana, self.ben, self.chloe, self.dara]

    @property
    def applications(self) -> list[Application]:
        return [self.a_flor, self.a_kiambu, self.a_valle]

    def path(self, rest: str) -> str:
        return f"/o/{self.org.slug}{rest}"

    def api(self, rest: str) -> str:
        return f"/api/v1/orgs/{self.org.slug}{rest}"

    @property
    def board(self) -> str:
        return self.path(f"/manage/calls/{self.call.id}/assignments")


async def setup(*, blind: bool = False, status: CallStatus = CallStatus.CLOSED) -> World:
    staff = await make_user(email="amina@mlima.example", name="Amina Staffer")
    org = await make_org(owner=staff)
    ana = await make_reviewer(org, "ana@rev.example", name="Ana Valverde",
                              countries=("PE",), categories=("quality",))
    ben = await make_reviewer(org, "ben@rev.example", name="Benedikt Oyelaran",
                              languages=("es",), countries=("KE",), categories=())
    chloe = await make_reviewer(org, "chloe@rev.example", name="Chloe Mbeki",
                                countries=("PE", "KE"))
    dara = await make_reviewer(org, "dara@rev.example", name="Dara Quinteros",
                               countries=(), commodities=())
    andes = await Network.create(organisation=org, name="Red Andina")
    flor = await make_coop(org, chloe, network=andes)
    await make_coop(org, dara, legal_name="Cooperativa Hermana", network=andes)
    kiambu = await make_coop(org, legal_name="Kiambu Highlands Coffee", country="KE")
    valle = await make_coop(org, legal_name="Valle Verde Cacao", commodities=["cocoa"])
    form = BLIND_FORM if blind else SMALL_FORM
    call = await make_call(org, status=status, reviews_per_application=2, blind=blind,
                           form=form)
    a_flor = await make_eligible(org, call, flor, title="Cupping lab at Flor")
    a_kiambu = await make_eligible(org, call, kiambu, title="Solar dryer in Kiambu")
    a_valle = await make_eligible(org, call, valle, title="Cocoa nursery in Valle",
                                  language="en", category="market_access")
    if blind:
        await Application.filter(call_id=call.id).update(
            answers={"summary": SUMMARY, "contact_person": LEADER})
    return World(org, staff, ana, ben, chloe, dara, flor, kiambu, valle, call, a_flor,
                 a_kiambu, a_valle)


async def as_user(client: httpx.AsyncClient, user: User) -> None:
    client.cookies.clear()
    await login(client, user.email)


async def bearer(user: User) -> dict[str, str]:
    _, secret = await create_api_token(user, "test")
    return {"Authorization": f"Bearer {secret}"}


async def form_post(client: httpx.AsyncClient, path: str, data: dict[str, Any],
                    page: str | None = None) -> httpx.Response:
    return await post_form(client, path, data, token_from=page or path)


async def in_force(w: World) -> dict[tuple[int, int], Reason]:
    return await reviewers.conflicted(w.org, w.applications, [u.id for u in w.pool])


async def pairs_of(call: Call) -> list[tuple[int, int]]:
    return sorted(await Review.filter(call_id=call.id).values_list("application_id",
                                                                   "reviewer_id"))


async def review_of(w: World, application: Application, user: User, **values: Any) -> Review:
    return await Review.create(organisation=w.org, call=w.call, application=application,
                               reviewer_id=user.id, **values)


def options(html: str, select_id: str) -> set[int]:
    found = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert found, select_id
    return {int(value) for value in re.findall(r'<option value="(\d+)"', found.group(1))}


async def assert_a_valid_assignment(w: World) -> list[tuple[int, int]]:
    """k distinct reviewers each, loads within the limit, no conflicted pair, languages."""
    pairs = await pairs_of(w.call)
    k = w.call.reviews_per_application
    assert len(set(pairs)) == len(pairs)
    assert Counter(a for a, _r in pairs) == {a.id: k for a in w.applications}
    profiles = {p.user_id: p for p in await ReviewerProfile.filter(organisation_id=w.org.id)}
    limit = math.ceil(len(w.applications) * k / len(profiles)) + 1
    for reviewer_id, load in Counter(r for _a, r in pairs).items():
        assert load <= min(profiles[reviewer_id].max_load, limit)
    conflicted = await in_force(w)
    language = {a.id: a.language for a in w.applications}
    for application_id, reviewer_id in pairs:
        assert (application_id, reviewer_id) not in conflicted
        assert language[application_id] in profiles[reviewer_id].languages
    return pairs


# 1. Profiles


async def test_a_reviewer_keeps_their_profile_and_staff_may_edit_it(
        client: httpx.AsyncClient) -> None:
    w = await setup()
    page = w.path("/reviewer")
    await as_user(client, w.ana)
    shown = await client.get(page)
    assert shown.status_code == 200 and "Reviewer profile" in shown.text
    saved = await form_post(client, page, {
        "languages": ["es", "fr"], "countries": "ke, pe", "regions": "Cajamarca\n\nKiambu",
        "commodities": ["coffee", "tea"], "categories": ["quality"], "max_load": "6"})
    assert saved.status_code == 303 and saved.headers["location"] == page + "?saved=1"
    profile = await ReviewerProfile.get(organisation_id=w.org.id, user_id=w.ana.id)
    assert (profile.languages, profile.countries, profile.regions) == (
        ["es", "fr"], ["KE", "PE"], ["Cajamarca", "Kiambu"])
    assert (profile.commodities, profile.max_load) == (["coffee", "tea"], 6)

    no_language = await form_post(client, page, {"countries": "KE", "max_load": "2"})
    assert no_language.status_code == 422 and "This field is required." in no_language.text
    unknown = await form_post(client, page, {"languages": "es", "countries": "KE ZZ",
                                             "max_load": "2"})
    assert unknown.status_code == 422 and "Choose a country from the list." in unknown.text
    assert 'value="KE ZZ"' in unknown.text  # what was typed is shown again
    again = await ReviewerProfile.get(id=profile.id)
    assert (again.languages, again.countries, again.max_load) == (["es", "fr"], ["KE", "PE"], 6)

    other = w.path(f"/manage/reviewers/{w.ben.id}")
    assert (await client.get(other)).status_code in (403, 404)
    refused = await form_post(client, other, {"languages": "en", "max_load": "1"}, page)
    assert refused.status_code in (403, 404)
    ben = await ReviewerProfile.get(organisation_id=w.org.id, user_id=w.ben.id)
    assert (ben.languages, ben.max_load) == (["es"], 10)

    await as_user(client, w.staff)
    staff_page = w.path(f"/manage/reviewers/{w.ana.id}")
    shown = await client.get(staff_page)
    assert shown.status_code == 200 and "Ana Valverde" in shown.text
    assert 'value="KE PE"' in shown.text
    edited = await form_post(client, staff_page, {"languages": ["es", "en"], "countries": "PE",
                                                  "max_load": "3"})
    assert edited.status_code == 303
    profile = await ReviewerProfile.get(id=profile.id)
    assert (profile.languages, profile.countries, profile.max_load) == (["es", "en"], ["PE"], 3)
    # someone who is not a reviewer has no reviewer profile here (it was the staff's own)
    applicant = await make_user(email="rosa@flor.example", name="Rosa Applicant")
    for user_id in (applicant.id, 999_999):
        path = w.path(f"/manage/reviewers/{user_id}")
        assert (await client.get(path)).status_code == 404
        posted = await form_post(client, path, {"languages": "en"}, w.path("/manage/reviewers"))
        assert posted.status_code == 404
    assert not await ReviewerProfile.filter(user_id__in=[applicant.id, w.staff.id]).exists()


# 2. Conflicts


async def test_computed_conflicts_come_from_contacts_and_networks(
        client: httpx.AsyncClient) -> None:
    w = await setup()
    assert await in_force(w) == {(w.a_flor.id, w.chloe.id): Reason.OWN_COOP,
                                 (w.a_flor.id, w.dara.id): Reason.NETWORK}
    await as_user(client, w.staff)
    board = await client.get(w.board)
    assert board.status_code == 200
    assert "acts for the applicant co-op" in board.text
    assert "acts for a co-op of the same union or network" in board.text
    # a new contact is conflicted at once
    await CoopContact.create(organisation=w.org, cooperative=w.kiambu, user_id=w.ben.id)
    assert (await in_force(w))[(w.a_kiambu.id, w.ben.id)] is Reason.OWN_COOP


async def test_reviewers_declare_conflicts_and_ties_staff_record_and_lift_them(
        client: httpx.AsyncClient) -> None:
    w = await setup()
    drafted = await review_of(w, w.a_kiambu, w.ana, scores={"relevance": 4})
    await review_of(w, w.a_valle, w.ana)
    page = w.path(f"/reviews/{drafted.id}")
    await as_user(client, w.ana)
    empty = await form_post(client, page + "/conflict", {"reason": "  "}, page)
    assert empty.status_code == 422 and await Review.exists(id=drafted.id)
    declared = await form_post(client, page + "/conflict",
                               {"reason": "My cousin chairs the co-op."}, page)
    assert declared.status_code == 303
    assert declared.headers["location"] == w.path("/reviews?declared=1")
    assert not await Review.exists(id=drafted.id)  # the draft is given back
    row = await Conflict.get(reviewer_id=w.ana.id)
    assert (row.kind, row.application_id, row.reason, row.created_by_id) == (
        ConflictKind.DECLARED, w.a_kiambu.id, "My cousin chairs the co-op.", w.ana.id)
    assert (await client.get(page)).status_code == 404
    # a reviewer declares only on what they were given
    foreign = await review_of(w, w.a_flor, w.ben)
    other = w.path(f"/reviews/{foreign.id}")
    assert (await form_post(client, other + "/conflict", {"reason": "x"},
                            w.path("/reviewer"))).status_code == 404
    assert await Review.exists(id=foreign.id)

    # a tie to a co-op covers all its applications, and gives back the drafts on them
    await as_user(client, w.ben)
    valle_draft = await review_of(w, w.a_valle, w.ben)
    tie = await form_post(client, w.path("/reviewer/ties"),
                          {"cooperative_id": str(w.valle.id), "reason": "I advise Valle."},
                          w.path("/reviewer"))
    assert tie.status_code == 303
    assert (await Conflict.get(reviewer_id=w.ben.id)).kind is ConflictKind.TIE
    assert not await Review.exists(id=valle_draft.id)
    assert await Review.exists(id=foreign.id)  # another co-op's
    assert (w.a_valle.id, w.ben.id) in await in_force(w)
    assert "I advise Valle." in (await client.get(w.path("/reviewer"))).text

    # staff record one, then lift it with a reason: the row stays, with who, when and why
    await as_user(client, w.staff)
    pool = w.path("/manage/reviewers")
    missing = await form_post(client, pool, {"reviewer_id": str(w.dara.id), "reason": "x"})
    assert missing.status_code == 422 and "Name either an application or a co-op." in (
        missing.text)
    recorded = await form_post(client, pool, {"reviewer_id": str(w.dara.id),
                                              "application_id": str(w.a_valle.id),
                                              "reason": "Dara consulted for Valle in 2025."})
    assert recorded.status_code == 303
    staff_row = await Conflict.get(reviewer_id=w.dara.id)
    assert (staff_row.kind, staff_row.created_by_id) == (ConflictKind.STAFF, w.staff.id)
    assert (w.a_valle.id, w.dara.id) in await in_force(w)
    listing = await client.get(pool)
    assert "Dara consulted for Valle in 2025." in listing.text
    lift = w.path(f"/manage/conflicts/{staff_row.id}/lift")
    lifted = await form_post(client, lift, {"reason": "The work ended in 2025."}, pool)
    assert lifted.status_code == 303
    staff_row = await Conflict.get(id=staff_row.id)
    assert staff_row.lifted_at is not None and staff_row.lifted_by_id == w.staff.id
    assert staff_row.lifted_reason == "The work ended in 2025."
    assert (w.a_valle.id, w.dara.id) not in await in_force(w)
    assert await Conflict.filter(organisation_id=w.org.id).count() == 3  # nothing deleted
    assert (await form_post(client, lift, {"reason": "again"}, pool)).status_code == 409
    assert "The work ended in 2025." in (await client.get(pool)).text


async def test_staff_waive_a_network_conflict_for_one_application_never_an_own_coop(
        client: httpx.AsyncClient) -> None:
    w = await setup()
    second = await make_call(w.org, status=CallStatus.CLOSED, title={"en": "Second call"})
    flor_again = await make_eligible(w.org, second, w.flor, title="Flor again")
    change = w.board + "/change"
    await as_user(client, w.staff)
    waived = await form_post(client, change, {
        "action": "waive", "application_id": str(w.a_flor.id), "reviewer_id": str(w.dara.id),
        "reason": "Dara's co-op left the network's board."}, w.board)
    assert waived.status_code == 303
    row = await Conflict.get(reviewer_id=w.dara.id)
    assert (row.kind, row.application_id) == (ConflictKind.WAIVED, w.a_flor.id)
    assert (w.a_flor.id, w.dara.id) not in await in_force(w)
    still = await reviewers.conflicted(w.org, [flor_again], [w.dara.id])
    assert (flor_again.id, w.dara.id) in still  # one application only
    own = await form_post(client, change, {
        "action": "waive", "application_id": str(w.a_flor.id), "reviewer_id": str(w.chloe.id),
        "reason": "Please."}, w.board)
    assert own.status_code == 409
    assert not await Conflict.filter(reviewer_id=w.chloe.id).exists()
    assert (w.a_flor.id, w.chloe.id) in await in_force(w)


# 3. Assignment


async def test_the_assignment_runs_from_the_page_and_the_api(
        client: httpx.AsyncClient, settings: Settings) -> None:
    w = await setup()
    await ReviewerProfile.filter(user_id=w.chloe.id).update(max_load=1)
    await as_user(client, w.staff)
    ran = await form_post(client, w.board, {})
    assert ran.status_code == 303 and ran.headers["location"] == w.board + "?assigned=1"
    pairs = await assert_a_valid_assignment(w)
    assert (w.a_valle.id, w.ben.id) not in pairs  # Ben reads only Spanish
    for reviewer in (w.ana, w.ben, w.chloe, w.dara):   # each is told what they have to do
        count = sum(1 for _a, r in pairs if r == reviewer.id)
        if count:
            told = mail_text(await wait_for_mail(settings, reviewer.email))
            assert f"review {count} application" in told and f"/o/{w.org.slug}/reviews" in told
    flor_reviewers = {r for a, r in pairs if a == w.a_flor.id}
    assert flor_reviewers == {w.ana.id, w.ben.id}  # the only ones free of conflicts
    board = await client.get(w.board)
    assert board.status_code == 200 and "Benedikt Oyelaran" in board.text
    assert "Run the assignment again" in board.text
    # staff are offered only reviewers the application may have and does not have yet
    assert options(board.text, f"f-add-{w.a_flor.id}") == set()
    on_valle = {r for a, r in pairs if a == w.a_valle.id}
    offered = options(board.text, f"f-add-{w.a_valle.id}")
    assert offered == {w.ana.id, w.chloe.id, w.dara.id} - on_valle  # Ben reads no English

    answer = await client.post(w.api(f"/calls/{w.call.id}/assignments"),
                               headers=await bearer(w.staff))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body) >= {"affinity", "pairs", "kept"} and body["call_id"] == w.call.id
    assert sorted(tuple(p) for p in body["pairs"]) == await pairs_of(w.call)
    assert body["kept"] == 0 and body["affinity"] > 0
    await assert_a_valid_assignment(w)
    affinities = await Review.filter(call_id=w.call.id).values_list("affinity", flat=True)
    assert sum(affinities) == pytest.approx(body["affinity"])


async def test_an_open_or_infeasible_call_is_refused_and_nothing_changes(
        client: httpx.AsyncClient) -> None:
    w = await setup(status=CallStatus.OPEN)
    staff = await bearer(w.staff)
    api = w.api(f"/calls/{w.call.id}/assignments")
    await as_user(client, w.staff)
    page = await form_post(client, w.board, {})
    assert page.status_code == 409 and "once the call is closed" in page.text
    refused = await client.post(api, headers=staff)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "call_not_closed"
    assert await pairs_of(w.call) == []

    await Call.filter(id=w.call.id).update(status=CallStatus.CLOSED)
    assert (await client.post(api, headers=staff)).status_code == 200
    before = await pairs_of(w.call)
    # recorded straight in the table, so Ben keeps his draft on Flor's application: only
    # Ana is left for it
    await Conflict.create(organisation=w.org, reviewer_id=w.ben.id, kind=ConflictKind.STAFF,
                          application_id=w.a_flor.id, reason="Audit", created_by_id=w.staff.id)
    infeasible = await client.post(api, headers=staff)
    assert infeasible.status_code == 409
    error = infeasible.json()["error"]
    assert error["code"] == "infeasible" and error["reasons"]
    named = [int(found) for reason in error["reasons"]
             for found in re.findall(r"Application (\d+) has", reason)]
    assert named == [w.a_flor.id]  # only the one short of reviewers
    assert any(f"Application {w.a_flor.id} has 1 eligible reviewer; it needs 2" in reason
               for reason in error["reasons"])
    assert await pairs_of(w.call) == before
    shown = await form_post(client, w.board, {})
    assert shown.status_code == 409 and f"Application {w.a_flor.id} has 1" in shown.text
    assert await pairs_of(w.call) == before


async def test_running_again_keeps_submitted_started_and_pinned_reviews(
        client: httpx.AsyncClient) -> None:
    w = await setup()
    staff = await bearer(w.staff)
    api = w.api(f"/calls/{w.call.id}/assignments")
    assert (await client.post(api, headers=staff)).status_code == 200
    rows = {(r.application_id, r.reviewer_id): r for r in await Review.filter(call_id=w.call.id)}
    submitted = rows[(w.a_flor.id, w.ana.id)]
    await Review.filter(id=submitted.id).update(status=ReviewStatus.SUBMITTED, score=75.0,
                                                scores={"relevance": 4})
    started = rows[(w.a_flor.id, w.ben.id)]
    await Review.filter(id=started.id).update(comment_staff="Reading the budget.")
    pinned = next(r for (a, _r), r in rows.items() if a == w.a_valle.id)
    await as_user(client, w.staff)
    pin = await form_post(client, w.board + "/change", {
        "action": "pin", "application_id": str(w.a_valle.id),
        "reviewer_id": str(pinned.reviewer_id)}, w.board)
    assert pin.status_code == 303 and (await Review.get(id=pinned.id)).pinned
    # everyone now knows nothing; a newcomer knows everything: the solver would move all
    await ReviewerProfile.filter(organisation_id=w.org.id).update(
        countries=[], commodities=[], categories=[])
    esi = await make_reviewer(w.org, "esi@rev.example", name="Esi Newcomer",
                              countries=("PE", "KE"), commodities=("coffee", "cocoa"),
                              categories=("quality", "market_access"))
    again = await client.post(api, headers=staff)
    assert again.status_code == 200 and again.json()["kept"] == 3
    kept = {r.id: r for r in await Review.filter(id__in=[submitted.id, started.id, pinned.id])}
    assert len(kept) == 3
    assert kept[submitted.id].status is ReviewStatus.SUBMITTED
    assert kept[submitted.id].scores == {"relevance": 4}
    assert kept[started.id].comment_staff == "Reading the budget."
    assert kept[pinned.id].pinned
    pairs = await assert_a_valid_assignment(w)
    assert Counter(r for _a, r in pairs)[esi.id] >= 2  # the rest did move


async def test_running_again_drops_a_started_draft_its_reviewer_is_now_conflicted_with(
        client: httpx.AsyncClient) -> None:
    """The reviewer can no longer open it (404): kept, it would give the application a dead
    review and one reviewer too many. A submitted one stays for staff to decide."""
    w = await setup()
    staff = await bearer(w.staff)
    api = w.api(f"/calls/{w.call.id}/assignments")
    assert (await client.post(api, headers=staff)).status_code == 200
    drafts = await Review.filter(application_id=w.a_kiambu.id).order_by("reviewer_id")
    started, submitted = drafts
    await Review.filter(id=started.id).update(comment_staff="Half read.", pinned=True)
    await Review.filter(id=submitted.id).update(status=ReviewStatus.SUBMITTED, score=60.0)
    for review in drafts:  # both reviewers become contacts of Kiambu after the assignment
        await CoopContact.create(organisation=w.org, cooperative=w.kiambu,
                                 user_id=review.reviewer_id)
    again = await client.post(api, headers=staff)
    assert again.status_code == 200, again.text
    assert not await Review.exists(id=started.id)
    assert await Review.exists(id=submitted.id, status=ReviewStatus.SUBMITTED)
    kiambu = [r for a, r in await pairs_of(w.call)
              if a == w.a_kiambu.id and r != submitted.reviewer_id]
    assert len(kiambu) == w.call.reviews_per_application  # the submitted one does not count
    assert started.reviewer_id not in kiambu


async def test_staff_pin_remove_swap_and_add_single_pairs(client: httpx.AsyncClient) -> None:
    w = await setup()
    change = w.board + "/change"
    kiambu_ana = await review_of(w, w.a_kiambu, w.ana)
    kiambu_ben = await review_of(w, w.a_kiambu, w.ben, status=ReviewStatus.SUBMITTED)
    await as_user(client, w.staff)

    async def act(action: str, application: Application, reviewer: User,
                  **extra: str) -> httpx.Response:
        return await form_post(client, change, {
            "action": action, "application_id": str(application.id),
            "reviewer_id": str(reviewer.id), **extra}, w.board)

    assert (await act("pin", w.a_kiambu, w.ana)).status_code == 303
    assert (await Review.get(id=kiambu_ana.id)).pinned
    assert (await act("unpin", w.a_kiambu, w.ana)).status_code == 303
    assert not (await Review.get(id=kiambu_ana.id)).pinned
    assert (await act("remove", w.a_kiambu, w.ben)).status_code == 409  # submitted
    assert await Review.exists(id=kiambu_ben.id)
    assert (await act("swap", w.a_kiambu, w.ben,
                      new_reviewer_id=str(w.dara.id))).status_code == 409
    assert (await act("remove", w.a_kiambu, w.dara)).status_code == 404  # not assigned

    swapped = await act("swap", w.a_kiambu, w.ana, new_reviewer_id=str(w.chloe.id))
    assert swapped.status_code == 303
    assert not await Review.exists(id=kiambu_ana.id)
    chloe = await Review.get(application_id=w.a_kiambu.id, reviewer_id=w.chloe.id)
    assert chloe.pinned
    assert (await act("swap", w.a_kiambu, w.chloe,
                      new_reviewer_id=str(w.ben.id))).status_code == 409  # Ben has it
    assert (await act("remove", w.a_kiambu, w.chloe)).status_code == 303
    assert not await Review.exists(application_id=w.a_kiambu.id, reviewer_id=w.chloe.id)

    conflicted = await act("add", w.a_flor, w.chloe)
    assert conflicted.status_code == 409 and "conflict of interest" in conflicted.text
    network = await act("add", w.a_flor, w.dara)
    assert network.status_code == 409
    language = await act("add", w.a_valle, w.ben)
    assert language.status_code == 409 and "language" in language.text
    assert not await Review.filter(application_id__in=[w.a_flor.id, w.a_valle.id]).exists()
    added = await act("add", w.a_valle, w.ana)
    assert added.status_code == 303
    review = await Review.get(application_id=w.a_valle.id, reviewer_id=w.ana.id)
    assert review.pinned and review.affinity > 0
    assert (await act("add", w.a_valle, w.ana)).status_code == 409  # already there
    flor_ana = await review_of(w, w.a_flor, w.ana)
    to_conflicted = await act("swap", w.a_flor, w.ana, new_reviewer_id=str(w.dara.id))
    assert to_conflicted.status_code == 409  # Dara's network conflict: Ana stays
    assert await Review.exists(id=flor_ana.id)
    assert not await Review.exists(application_id=w.a_flor.id, reviewer_id=w.dara.id)


# 4. Reviewing


async def test_a_reviewer_drafts_autosaves_submits_and_staff_reopen(
        client: httpx.AsyncClient) -> None:
    w = await setup()
    mine = await review_of(w, w.a_kiambu, w.ana)
    await review_of(w, w.a_flor, w.ana)
    theirs = await review_of(w, w.a_valle, w.chloe)
    headers = await bearer(w.ana)
    page = w.path(f"/reviews/{mine.id}")
    api = w.api(f"/reviews/{mine.id}")

    await as_user(client, w.ana)
    queue = await client.get(w.path("/reviews"))
    assert queue.status_code == 200
    assert "Solar dryer in Kiambu" in queue.text and "Cupping lab at Flor" in queue.text
    assert "Cocoa nursery in Valle" not in queue.text
    listed = await client.get(w.api("/reviews"), headers=headers)
    assert listed.status_code == 200
    assert {r["application_id"] for r in listed.json()} == {w.a_kiambu.id, w.a_flor.id}
    assert theirs.id not in {r["id"] for r in listed.json()}

    shown = await client.get(page)
    assert shown.status_code == 200
    for text in ("Relevance to the co-op&#39;s challenge", "Feasibility of the plan",
                 "Lasting after the grant", 'name="scores.sustainability" value="na"',
                 "Un laboratorio de catación."):
        assert text in shown.text, text

    draft = await form_post(client, page, {
        "action": "save", "scores.relevance": "4", "scores.feasibility": "9",
        "comment_staff": "Strong members' base."})
    assert draft.status_code == 422
    assert "Give a whole number from 1 to 5." in draft.text
    assert draft.text.count('class="error"') == 1
    mine = await Review.get(id=mine.id)
    assert mine.scores == {"relevance": 4} and mine.comment_staff == "Strong members' base."
    assert mine.status is ReviewStatus.DRAFT

    token_page = await client.get(page)
    token = token_page.text.split('name="csrf_token" value="')[1].split('"')[0]
    autosaved = await client.post(page + "/autosave", data={
        "csrf_token": token, "present": ["scores.feasibility", "comment_applicant"],
        "scores.feasibility": "3", "scores.reach": "5", "comment_applicant": "A clear plan.",
        "comment_staff": "overwritten?"})
    assert autosaved.status_code == 200
    assert autosaved.json() == {"saved": True, "errors": {}}
    mine = await Review.get(id=mine.id)
    assert mine.scores == {"relevance": 4, "feasibility": 3}
    assert mine.comment_applicant == "A clear plan."
    assert mine.comment_staff == "Strong members' base."
    bad = await client.post(page + "/autosave", data={
        "csrf_token": token, "present": ["scores.reach"], "scores.reach": "0"})
    assert bad.status_code == 200 and set(bad.json()["errors"]) == {"scores.reach"}

    incomplete = await client.put(api, headers=headers, json={
        "recommendation": "fund", "confidence": "high", "submit": True})
    assert incomplete.status_code == 422
    assert set(incomplete.json()["error"]["fields"]) == {"scores.reach",
                                                         "scores.sustainability"}
    assert (await Review.get(id=mine.id)).status is ReviewStatus.DRAFT

    done = await client.put(api, headers=headers, json={
        "scores": {"reach": 1, "sustainability": "na"}, "submit": True})
    assert done.status_code == 200, done.text
    # weights 3, 2, 2 (sustainability not applicable, left out): (3·¾ + 2·½ + 2·0) / 7
    expected = round(100 * (3 * 0.75 + 2 * 0.5 + 2 * 0) / 7, 4)
    assert done.json()["status"] == "submitted"
    assert done.json()["score"] == pytest.approx(expected) == pytest.approx(46.4286)
    mine = await Review.get(id=mine.id)
    assert mine.status is ReviewStatus.SUBMITTED and mine.submitted_at is not None
    assert mine.score == pytest.approx(expected)
    assert mine.recommendation == "fund" and mine.confidence == "high"

    late = await client.put(api, headers=headers, json={"comment_staff": "changed"})
    assert late.status_code == 409 and late.json()["error"]["code"] == "review_locked"
    late_page = await form_post(client, page, {"action": "save", "comment_staff": "changed"},
                                w.path("/reviews"))
    assert late_page.status_code == 409
    late_auto = await client.post(page + "/autosave", data={
        "csrf_token": token, "present": ["comment_staff"], "comment_staff": "changed"})
    assert late_auto.status_code == 409 and late_auto.json()["saved"] is False
    assert (await Review.get(id=mine.id)).comment_staff == "Strong members' base."
    locked = await client.get(page)
    assert "It is locked" in locked.text and 'id="review-form"' not in locked.text

    reopen = w.path(f"/manage/reviews/{mine.id}/reopen")
    assert (await form_post(client, reopen, {}, w.path("/reviews"))).status_code == 403
    await as_user(client, w.staff)
    reopened = await form_post(client, reopen, {}, w.path("/manage/reviewers"))
    assert reopened.status_code == 303
    mine = await Review.get(id=mine.id)
    assert mine.status is ReviewStatus.DRAFT and mine.score is None
    assert mine.submitted_at is None and mine.scores["reach"] == 1
    again = await client.put(api, headers=headers, json={"comment_staff": "Reopened."})
    assert again.status_code == 200 and again.json()["status"] == "draft"


async def test_submitting_a_form_with_an_unreadable_answer_does_not_submit(
        client: httpx.AsyncClient) -> None:
    """A comment over the limit is named and the review stays a draft: it must never be
    locked with the old comment while the new one is lost."""
    w = await setup()
    mine = await review_of(w, w.a_kiambu, w.ana, comment_applicant="First thoughts.")
    page = w.path(f"/reviews/{mine.id}")
    await as_user(client, w.ana)
    complete = {"scores.relevance": "4", "scores.feasibility": "4", "scores.reach": "3",
                "scores.sustainability": "na", "recommendation": "fund",
                "confidence": "high"}
    long = await form_post(client, page, {**complete, "action": "submit",
                                          "comment_applicant": "Well argued. " * 700})
    assert long.status_code == 422 and "This is too long." in long.text
    assert "Some fields need your attention." in long.text
    mine = await Review.get(id=mine.id)
    assert mine.status is ReviewStatus.DRAFT and mine.score is None
    assert mine.comment_applicant == "First thoughts."
    assert mine.scores["reach"] == 3  # the readable answers are kept
    assert 'id="review-form"' in long.text
    done = await form_post(client, page, {**complete, "action": "submit",
                                          "comment_applicant": "Well argued."})
    assert done.status_code == 303 and done.headers["location"] == page + "?submitted=1"
    mine = await Review.get(id=mine.id)
    assert mine.status is ReviewStatus.SUBMITTED and mine.comment_applicant == "Well argued."


# 5. Access


async def test_a_reviewer_reaches_only_their_own_unconflicted_reviews(
        client: httpx.AsyncClient) -> None:
    w = await setup()
    mine = await review_of(w, w.a_kiambu, w.ana)
    submitted = await review_of(w, w.a_valle, w.ana, status=ReviewStatus.SUBMITTED,
                                scores={"relevance": 3}, score=50.0)
    later = await review_of(w, w.a_flor, w.ana)
    bens = await review_of(w, w.a_kiambu, w.ben)
    other_org = await make_org(slug="otra-fundacion", name="Otra Fundación")
    other_call = await make_call(other_org, status=CallStatus.CLOSED)
    elsewhere_coop = await make_coop(other_org, legal_name="Cooperativa Lejana")
    elsewhere_app = await make_eligible(other_org, other_call, elsewhere_coop)
    await Membership.create(organisation=other_org, user=w.ana, role=Role.REVIEWER)
    elsewhere = await Review.create(organisation=other_org, call=other_call,
                                    application=elsewhere_app, reviewer_id=w.ana.id)
    headers = await bearer(w.ana)
    await as_user(client, w.ana)
    assert (await client.get(w.path(f"/reviews/{mine.id}"))).status_code == 200
    assert (await client.get(w.path(f"/reviews/{later.id}"))).status_code == 200

    async def refused(review_id: int, slug: str | None = None) -> None:
        base = f"/o/{slug or w.org.slug}/reviews/{review_id}"
        assert (await client.get(base)).status_code == 404, base
        token = await client.get(w.path(f"/reviews/{mine.id}"))
        csrf = token.text.split('name="csrf_token" value="')[1].split('"')[0]
        auto = await client.post(base + "/autosave", data={
            "csrf_token": csrf, "present": ["comment_staff"], "comment_staff": "x"})
        assert auto.status_code == 404, base
        put = await client.put(f"/api/v1/orgs/{slug or w.org.slug}/reviews/{review_id}",
                               headers=headers, json={"comment_staff": "x"})
        assert put.status_code == 404, base

    await refused(bens.id)                          # another reviewer's
    await refused(elsewhere.id)                     # another organisation's, by this one
    assert (await client.get(f"/o/{other_org.slug}/reviews/{elsewhere.id}")).status_code == 200
    assert (await client.get(f"/o/{other_org.slug}/reviews/{mine.id}")).status_code == 404

    # conflicted after the assignment: Ana now acts for Flor; staff record one on Valle
    await CoopContact.create(organisation=w.org, cooperative=w.flor, user_id=w.ana.id)
    await Conflict.create(organisation=w.org, reviewer_id=w.ana.id, kind=ConflictKind.STAFF,
                          application_id=w.a_valle.id, reason="Audit",
                          created_by_id=w.staff.id)
    await refused(later.id)
    await refused(submitted.id)
    listed = await client.get(w.api("/reviews"), headers=headers)
    assert [r["id"] for r in listed.json()] == [mine.id]
    queue = await client.get(w.path("/reviews"))
    assert "Solar dryer in Kiambu" in queue.text and "Cupping lab at Flor" not in queue.text
    assert (await Review.get(id=bens.id)).comment_staff == ""

    for path in ("/manage/reviewers", f"/manage/reviewers/{w.ben.id}", "/manage/calls",
                 f"/manage/calls/{w.call.id}/assignments",
                 f"/manage/calls/{w.call.id}/ranking",
                 f"/manage/applications/{w.a_kiambu.id}"):
        assert (await client.get(w.path(path))).status_code in (403, 404), path
    count = await Review.filter(call_id=w.call.id).count()
    run = await form_post(client, w.board, {}, w.path("/reviews"))
    assert run.status_code in (403, 404)
    api_run = await client.post(w.api(f"/calls/{w.call.id}/assignments"), headers=headers)
    assert api_run.status_code in (403, 404)
    assert await Review.filter(call_id=w.call.id).count() == count

    # no longer a reviewer: their assigned applications are out of reach too
    await Membership.filter(organisation_id=w.org.id, user_id=w.ana.id).update(
        role=Role.STAFF)
    assert (await client.get(w.path(f"/reviews/{mine.id}"))).status_code == 404


async def submit_review(w: World, review: Review, comment: str) -> None:
    await Review.filter(id=review.id).update(
        status=ReviewStatus.SUBMITTED, scores={"relevance": 4, "feasibility": 4, "reach": 4,
                                               "sustainability": "na"},
        recommendation="fund", confidence="medium", comment_applicant=comment, score=75.0)


@pytest.mark.parametrize("blind", [False, True])
async def test_others_reviews_show_after_ones_own_and_blind_calls_hide_names(
        client: httpx.AsyncClient, blind: bool) -> None:
    w = await setup(blind=blind)
    mine = await review_of(w, w.a_flor, w.ana)
    await submit_review(w, await review_of(w, w.a_flor, w.ben), "Ben: the lab is well costed.")
    await submit_review(w, await review_of(w, w.a_flor, w.dara), "Dara: members want it.")
    await review_of(w, w.a_flor, w.chloe, comment_applicant="Chloe: unfinished draft.")
    page = w.path(f"/reviews/{mine.id}")
    await as_user(client, w.ana)
    before = await client.get(page)
    assert before.status_code == 200
    for secret in ("Ben: the lab", "Dara: members", "Chloe: unfinished", "The other reviews",
                   "Benedikt Oyelaran", "Dara Quinteros"):
        assert secret not in before.text, secret
    legal_name = "Cooperativa Agraria Flor del Valle"
    if blind:
        assert legal_name not in before.text and LEADER not in before.text
        assert SUMMARY in before.text and "Blind review" in before.text
    else:
        assert legal_name in before.text

    done = await client.put(w.api(f"/reviews/{mine.id}"), headers=await bearer(w.ana), json={
        "scores": {"relevance": 2, "feasibility": 2, "reach": 2, "sustainability": 2},
        "recommendation": "decline", "confidence": "low", "submit": True})
    assert done.status_code == 200, done.text
    after = await client.get(page)
    assert "The other reviews" in after.text
    assert "Ben: the lab is well costed." in after.text and "Dara: members want it." in after.text
    assert "Chloe: unfinished" not in after.text  # a draft is nobody's to read
    if blind:
        assert "Reviewer 1" in after.text and "Reviewer 2" in after.text
        for name in ("Benedikt Oyelaran", "Dara Quinteros", "Chloe Mbeki", legal_name,
                     LEADER):
            assert name not in after.text, name
    else:
        assert "Benedikt Oyelaran" in after.text and "Dara Quinteros" in after.text
        assert "Reviewer 1" not in after.text


async def test_a_blind_reviewer_cannot_download_an_identifying_file(
        client: httpx.AsyncClient, settings: Settings) -> None:
    w = await setup(blind=True)
    files = {}
    for key, name in (("registration", "registro-flor.pdf"), ("plan", "plan.pdf")):
        stored = await uploads(settings).put(PDF, "pdf")
        files[key] = await Attachment.create(
            organisation=w.org, application=w.a_flor, field_key=key, filename=name,
            content_type="application/pdf", size=len(PDF), sha256="0" * 64,
            storage_key=stored, uploaded_by_id=w.chloe.id)
    await Application.filter(id=w.a_flor.id).update(answers={
        "summary": SUMMARY, "contact_person": LEADER,
        "registration": [files["registration"].id], "plan": [files["plan"].id]})
    mine = await review_of(w, w.a_flor, w.ana)
    page = w.path(f"/reviews/{mine.id}")
    await as_user(client, w.ana)
    shown = await client.get(page)
    assert "plan.pdf" in shown.text and "registro-flor.pdf" not in shown.text
    plan = await client.get(f"{page}/files/{files['plan'].id}")
    assert plan.status_code == 200 and plan.content == PDF
    hidden = await client.get(f"{page}/files/{files['registration'].id}")
    assert hidden.status_code == 404
