"""Spreading what works: a completed project marked as a practice (summaries in several
languages), shown to co-ops by crop and challenge — in the library and on a call's page — and
replicated as a new draft call with the original form and the project's indicators."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from app.errors import Conflict, Invalid
from grants.calls.models import Call
from grants.calls.statuses import CallStatus
from grants.impact.service import practices
from grants.projects.models import Project
from grants.projects.service import disbursements
from grants.projects.statuses import ProjectStatus
from tests.grants.factories import make_awarded, make_call, make_fund, make_staff
from tests.helpers import login, make_org, post_form

pytestmark = pytest.mark.usefixtures("app")
TITLE = {"en": "Shared cupping lab", "es": "Laboratorio de catación compartido"}
SUMMARY = {"en": "A lab run by the co-op raised the premium share.",
           "es": "Un laboratorio de la cooperativa subió la parte vendida con prima.", "de": "x"}


async def test_a_completed_project_becomes_a_practice_and_a_new_call(
        client: httpx.AsyncClient) -> None:
    org = await make_org()
    call = await make_call(org, await make_fund(org), categories=["quality"])
    ana = await make_staff(org, "ana@fund.example")
    application = await make_awarded(org, call, 1, 500_000)
    project = await disbursements.start_project(ana, application.id, starts_on=date(2025, 1, 1),
                                                ends_on=date(2025, 12, 31))
    await disbursements.set_agreement(ana, project.id, milestones=[],
                                      indicators=["premium_share", "yield_per_ha"])
    with pytest.raises(Conflict):          # not completed yet
        await practices.mark_practice(ana, project.id, title=TITLE, summary=SUMMARY)
    await Project.filter(id=project.id).update(status=ProjectStatus.COMPLETED)
    with pytest.raises(Conflict):          # the co-op keeps its results private
        await practices.mark_practice(ana, project.id, title=TITLE, summary=SUMMARY)
    await Project.filter(id=project.id).update(publish_outcomes=True)
    with pytest.raises(Invalid) as empty:
        await practices.mark_practice(ana, project.id, title={"en": " "}, summary={})
    assert set(empty.value.fields) == {"title", "summary"}

    practice = await practices.mark_practice(ana, project.id, title=TITLE, summary=SUMMARY)
    assert set(practice.summary) == {"en", "es"}          # only languages Harambee speaks
    assert practice.commodities == ["coffee"] and practice.categories == ["quality"]
    again = await practices.mark_practice(ana, project.id, title={"en": "Cupping lab"},
                                          summary=SUMMARY)
    assert again.id == practice.id and again.title == {"en": "Cupping lab"}

    assert [p.id for p in await practices.library(org, commodities=["coffee"])] == [practice.id]
    assert await practices.library(org, commodities=["cocoa"]) == []
    assert await practices.library(org, categories=["financing"]) == []

    # A co-op growing coffee sees it on a quality call's page and in the library.
    page = await client.get(f"/o/{org.slug}/calls/{call.id}")
    assert "Cupping lab" in page.text
    spanish = await client.get(f"/o/{org.slug}/practices?commodity=coffee",
                               headers={"Accept-Language": "es"})
    assert "Un laboratorio de la cooperativa" in spanish.text
    assert "Cupping lab" not in (await client.get(
        f"/o/{org.slug}/practices?commodity=cocoa")).text

    # Replicate: a draft call with the original form and the project's indicators.
    await login(client, "ana@fund.example")
    project_page = f"/o/{org.slug}/manage/projects/{project.id}"
    shown = (await client.get(project_page)).text
    assert 'id="f-title-es"' in shown and "Laboratorio de catación compartido" not in shown
    assert "/replicate" in shown
    made = await post_form(client, f"/o/{org.slug}/manage/practices/{practice.id}/replicate",
                           {}, token_from=project_page)
    assert made.status_code == 303 and made.headers["location"].endswith("?replicated=1")
    new_id = int(made.headers["location"].split("/")[-1].split("?")[0])
    replica = await Call.get(id=new_id)
    assert replica.status is CallStatus.DRAFT and replica.practice_id == practice.id
    assert replica.form == call.form and replica.indicators == ["premium_share", "yield_per_ha"]
    assert replica.categories == ["quality"] and replica.fund_id == call.fund_id
    assert "Cupping lab" in replica.title["en"]
    edit = await client.get(made.headers["location"])
    assert edit.status_code == 200 and "replicates the practice" in edit.text

    # Projects started from the replica commit to its indicators.
    awarded = await make_awarded(org, replica, 2, 300_000)
    second = await disbursements.start_project(ana, awarded.id, starts_on=date(2026, 1, 1),
                                               ends_on=date(2026, 12, 31))
    assert second.indicators == ["premium_share", "yield_per_ha"]
