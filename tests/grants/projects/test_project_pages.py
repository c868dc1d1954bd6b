"""The project pages over HTTP: staff start a project from the award and write its agreement,
the co-op accepts it (choosing what the public may see), tranches are approved by one staff
member and paid by another (the page says why the approver cannot pay), the co-op writes and
submits its baseline report, staff return it and then accept it."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from app.accounts.models import User
from app.timefmt import now
from grants.funds.models import LedgerEntry
from grants.projects.models import OutcomeReport, Project, Tranche
from grants.projects.service import disbursements
from grants.projects.statuses import ProjectStatus, ReportKind, ReportStatus, TrancheStatus
from tests.grants.factories import make_awarded, make_call, make_fund, make_staff
from tests.helpers import csrf_token, login, make_org, post_form

pytestmark = pytest.mark.usefixtures("app")
COOP = "coop1@coops.example"


async def _as(client: httpx.AsyncClient, email: str) -> None:
    client.cookies.clear()
    await login(client, email)


async def _post(client: httpx.AsyncClient, path: str, data: dict[str, str]) -> httpx.Response:
    return await post_form(client, path, data, token_from=path)


async def test_award_to_accepted_report_through_the_pages(client: httpx.AsyncClient) -> None:
    org = await make_org()
    fund = await make_fund(org)
    call = await make_call(org, fund)
    await make_staff(org, "ana@fund.example")
    await make_staff(org, "ben@fund.example")
    application = await make_awarded(org, call, 1, 1_000_000)
    await LedgerEntry.create(organisation=org, fund=fund, kind="contribution",
                             amount_minor=5_000_000, currency="USD", source="donation",
                             reference="gift-1")
    manage = f"/o/{org.slug}/manage"
    today = now().date()

    await _as(client, "ana@fund.example")
    start = f"{manage}/applications/{application.id}/project"
    waiting = (await client.get(f"{manage}/projects")).text
    assert "Awarded, not a project yet" in waiting and start in waiting
    bad = await _post(client, start, {"starts_on": "2027-02-30", "ends_on": "2028-01-01"})
    assert bad.status_code == 422 and "Give a date." in bad.text
    made = await _post(client, start, {"starts_on": today.isoformat(),
                                       "ends_on": (today + timedelta(days=365)).isoformat()})
    assert made.status_code == 303
    project = await Project.get(application_id=application.id)
    page = f"{manage}/projects/{project.id}"
    assert made.headers["location"] == page
    assert (await client.get(start)).headers["location"] == page      # once

    wrong = await _post(client, page, {"form": "agreement", "milestones": "June: a lab"})
    assert wrong.status_code == 422 and "its own line" in wrong.text
    saved = await client.post(page, data={
        "csrf_token": await csrf_token(client, page), "form": "agreement", "kind": "equipment",
        "indicators": ["members_trained_women", "premium_share"],
        "milestones": f"{(today + timedelta(days=90)).isoformat()} Cupping lab built"})
    assert saved.status_code == 303
    project = await Project.get(id=project.id)
    assert project.indicators == ["members_trained_women", "premium_share"]
    assert project.kind == "equipment" and project.milestones[0]["title"] == "Cupping lab built"
    over = await _post(client, page, {"form": "tranche", "amount": "10,000.01",
                                      "due_on": today.isoformat(), "condition": ""})
    assert over.status_code == 422 and "more than the award" in over.text
    for amount, condition in (("6,000", ""), ("4,000", "baseline")):
        scheduled = await _post(client, page, {"form": "tranche", "amount": amount,
                                               "due_on": today.isoformat(),
                                               "condition": condition})
        assert scheduled.status_code == 303, scheduled.text
    first, second = await Tranche.filter(project_id=project.id).order_by("id")
    assert (first.amount_minor, second.condition) == (600_000, "baseline")

    # The co-op reads its agreement and accepts it, its name kept out of the directory.
    await _as(client, COOP)
    mine = f"/o/{org.slug}/my-projects/{project.id}"
    shown = await client.get(mine)
    assert "Cupping lab built" in shown.text and "Accept the agreement" in shown.text
    accepted = await _post(client, mine, {"publish_outcomes": "yes",
                                          "public_summary": "A cupping lab for 300 members."})
    assert accepted.status_code == 303
    project = await Project.get(id=project.id)
    assert project.status is ProjectStatus.ACTIVE and not project.publish_name
    assert project.publish_outcomes and project.accepted_by_id == (await User.get(
        email=COOP)).id
    assert (await client.get(page)).status_code == 404        # staff pages: not theirs

    # Four eyes: Ana approves, cannot pay; Ben pays.
    await _as(client, "ana@fund.example")
    for odd in ("abc", "99999"):                         # not one of this page's tranches
        lost = await _post(client, page, {"form": "move", "tranche_id": odd,
                                          "action": "approve"})
        assert lost.status_code == 422
    assert (await Tranche.get(id=first.id)).status is TrancheStatus.SCHEDULED
    move = {"form": "move", "tranche_id": str(first.id)}
    assert (await _post(client, page, {**move, "action": "approve"})).status_code == 303
    refused = await _post(client, page, {**move, "action": "pay", "reference": "BANK-1"})
    assert refused.status_code == 422 and "someone else must mark it paid" in refused.text
    waiting = await _post(client, page, {"form": "move", "tranche_id": str(second.id),
                                         "action": "approve"})
    assert "waits for the baseline report" in waiting.text
    await _as(client, "ben@fund.example")
    paid = await _post(client, page, {**move, "action": "pay", "reference": "BANK-1",
                                      "paid_on": today.isoformat()})
    assert paid.status_code == 303
    assert (await Tranche.get(id=first.id)).status is TrancheStatus.PAID
    assert await LedgerEntry.filter(reference=f"tranche:{first.id}",
                                    amount_minor=-600_000).exists()

    # The co-op writes its baseline: a draft, a mistyped value, then submitted.
    baseline = await OutcomeReport.get(project_id=project.id, kind=ReportKind.BASELINE)
    await _as(client, COOP)
    form = f"{mine}/reports/{baseline.id}"
    typo = await _post(client, form, {"narrative.progress": "Lab ordered.",
                                      "values.members_trained_women": "muchas",
                                      "values.premium_share": "12,5", "submit": "1"})
    assert typo.status_code == 422 and "Type a number" in typo.text
    assert "muchas" in typo.text                       # what was typed stays
    assert (await OutcomeReport.get(id=baseline.id)).values == {"premium_share": 12.5}
    sent = await _post(client, form, {"narrative.progress": "Lab ordered.",
                                      "values.members_trained_women": "40",
                                      "values.premium_share": "12,5", "submit": "1"})
    assert sent.status_code == 303
    assert (await OutcomeReport.get(id=baseline.id)).status is ReportStatus.SUBMITTED

    await _as(client, "ana@fund.example")
    review = f"{manage}/reports/{baseline.id}"
    assert "Lab ordered." in (await client.get(review)).text
    no_comment = await _post(client, review, {"action": "return", "comment": ""})
    assert no_comment.status_code == 422 and "what to change" in no_comment.text
    await _post(client, review, {"action": "return", "comment": "Count youth too."})
    await _as(client, COOP)
    assert "Count youth too." in (await client.get(form)).text
    await _post(client, form, {"narrative.progress": "Lab ordered; 40 women trained.",
                               "values.members_trained_women": "40",
                               "values.premium_share": "12.5", "submit": "1"})
    await _as(client, "ana@fund.example")
    assert (await _post(client, review, {"action": "accept"})).status_code == 303
    assert (await OutcomeReport.get(id=baseline.id)).status is ReportStatus.ACCEPTED
    approved = await _post(client, page, {"form": "move", "tranche_id": str(second.id),
                                          "action": "approve"})
    assert approved.status_code == 303
    listing = await client.get(f"{manage}/projects")
    assert "Project 1" in listing.text and "Cooperativa 1" in listing.text
    assert "Awarded, not a project yet" not in listing.text

    # The co-op changes its mind about what the public sees.
    await _as(client, COOP)
    changed = await _post(client, mine, {"form": "publication", "publish_name": "yes",
                                         "public_summary": ""})
    assert changed.status_code == 303 and changed.headers["location"].endswith("?published=1")
    project = await Project.get(id=project.id)
    assert project.publish_name and not project.publish_outcomes
    assert project.public_summary == {}                 # emptied: taken down

    # Staff stop the project: what was paid stays paid, the rest is cancelled.
    await _as(client, "ana@fund.example")
    why = await _post(client, page, {"form": "cancel", "reason": " "})
    assert why.status_code == 422 and "Say why." in why.text
    stopped = await _post(client, page, {"form": "cancel", "reason": "The co-op dissolved."})
    assert stopped.status_code == 303
    assert (await Project.get(id=project.id)).status is ProjectStatus.CANCELLED
    assert [t.status for t in await Tranche.filter(project_id=project.id).order_by("id")] == [
        TrancheStatus.PAID, TrancheStatus.CANCELLED]
    assert await disbursements.committed_minor(org, fund.id) == 0
