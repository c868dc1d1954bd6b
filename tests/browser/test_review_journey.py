"""From closing a call to the applicants' letters, in Chromium: staff (reading Spanish) close
the call and run the reviewer assignment; Carmen reviews in Spanish with JavaScript (the
form saves as she goes), Joseph in English without it; staff read the ranking, decide within
the budget and publish; the co-op reads its letter, with the reviewer's comment for it and
nothing for staff only."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Page

from devtools.demo import DEMO_DOMAIN
from tests.browser.support import HEAVY, LIGHT, Journey, Server, Traffic, new_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only]

ORG = "/o/mlima-growers-fund"
CALL = "Pilotos de resiliencia climática 2026"   # as Lucía, who reads Spanish, sees it
FLOR = "Quality promoters for Cooperativa Agraria Flor del Valle"          # written in es
KILIMANJARO = "Quality promoters for Kilimanjaro Mountain Growers Co-operative"  # in sw
FOR_APPLICANT = "El plan de capacitación es claro; agreguen cotizaciones del equipo."
FOR_STAFF = "Conozco a la gerente: nada que declarar, pero lo anoto."


def _path(page: Page, server: Server) -> str:
    return page.url.split(server.base_url, 1)[1]


async def _as(browser: Browser, server: Server, email: str, *, javascript: bool = True
              ) -> Journey:
    _context, page = await new_page(browser, server, javascript=javascript)
    await sign_in(page, email)
    return Journey(page, server, Traffic(page))


async def _assign(journey: Journey) -> str:
    """Lucía closes the call, opens its reviewers and runs the assignment; the board's path."""
    page = journey.page
    await journey.goto(f"{ORG}/manage/calls")
    async with page.expect_navigation():
        await page.click(f"text={CALL}")
    call_page = _path(page, journey.server)
    await journey.submit("form[action$='/transition'] button[value=close]",
                         f"{call_page}?moved=1")
    async with page.expect_navigation():
        await page.click("a[href$='/assignments']")
    await journey.check(HEAVY)
    board = _path(page, journey.server)
    await journey.submit("main form[method=post] button[type=submit]", f"{board}?assigned=1")
    await journey.check(HEAVY)
    assert await page.locator("section.card li").count() == 6, "two applications x 3 reviewers"
    return board


async def _review(journey: Journey, title: str, marks: dict[str, str], comment: str) -> None:
    page = journey.page
    await journey.goto(f"{ORG}/reviews")
    await journey.check(LIGHT)
    async with page.expect_navigation():
        await page.click(f"text={title}")
    await journey.check(LIGHT)
    for key, value in marks.items():
        await page.check(f"input[name='scores.{key}'][value='{value}']")
    await page.check("input[name=recommendation][value=fund]")
    await page.check("input[name=confidence][value=high]")
    await page.fill("#f-comment-applicant", comment)
    await page.fill("#f-comment-staff", FOR_STAFF)
    review = _path(page, journey.server)
    await journey.submit("button[name=action][value=submit]", f"{review}?submitted=1")
    await journey.check(LIGHT)
    assert comment in await page.inner_text("main")


async def _carmen_saves_as_she_goes(journey: Journey) -> None:
    """With JavaScript, a mark chosen is saved without a button: reload and it is there."""
    page = journey.page
    await journey.goto(f"{ORG}/reviews")
    async with page.expect_navigation():
        await page.click(f"text={FLOR}")
    assert "Pertinencia para el desafío de la cooperativa" in await page.inner_text("main")
    await page.check("input[name='scores.relevance'][value='5']")
    await page.wait_for_selector("#autosave-status[data-state=saved]")
    await page.reload()
    assert await page.is_checked("input[name='scores.relevance'][value='5']")


async def _decide(journey: Journey, title: str, kind: str, message: str) -> None:
    page = journey.page
    async with page.expect_navigation():
        await page.click(f"text={title}")
    await journey.check(HEAVY)
    await page.check(f"input[name=kind][value={kind}]")
    await page.fill("#f-dmessage", message)
    landing = _path(page, journey.server) + "?decided=1"
    await journey.submit("form[action$='/decision'] button[type=submit]", landing)


async def test_staff_assign_reviewers_score_staff_decide_and_applicants_read_letters(
        browser: Browser, server: Server) -> None:
    journeys: list[Journey] = []
    try:
        await _journey(browser, server, journeys)
    finally:
        for journey in journeys:
            await journey.page.context.close()
    problems = [problem for journey in journeys for problem in journey.problems]
    assert not problems, "\n".join(problems)


async def _journey(browser: Browser, server: Server, journeys: list[Journey]) -> None:
    staff = await _as(browser, server, f"staff@{DEMO_DOMAIN}")
    journeys.append(staff)
    await _assign(staff)

    carmen = await _as(browser, server, f"reviewer-carmen@{DEMO_DOMAIN}")
    journeys.append(carmen)
    await _carmen_saves_as_she_goes(carmen)
    await _review(carmen, FLOR, {"relevance": "5", "feasibility": "4", "reach": "4",
                                 "sustainability": "na"}, FOR_APPLICANT)
    joseph = await _as(browser, server, f"reviewer@{DEMO_DOMAIN}", javascript=False)
    journeys.append(joseph)
    await _review(joseph, KILIMANJARO, {"relevance": "2", "feasibility": "3", "reach": "2",
                                        "sustainability": "2"}, "Please show who is trained.")

    page = staff.page
    call_base = staff.page.url.split(server.base_url, 1)[1]  # the board
    ranking = call_base.replace("/assignments?assigned=1", "/ranking")
    await staff.goto(ranking)
    await staff.check(HEAVY)
    rows = await page.locator("tbody tr").all_inner_texts()
    assert FLOR in rows[0] and KILIMANJARO in rows[1], rows   # by calibrated score
    await _decide(staff, FLOR, "award", "Enhorabuena: les esperamos en el taller de inicio.")
    await staff.goto(ranking)
    await _decide(staff, KILIMANJARO, "decline", "Les animamos a presentarse de nuevo.")
    await staff.goto(ranking)
    await staff.submit("form[action$='/publish'] button", f"{ranking}?published=2")

    rosa = await _as(browser, server, f"coop-flor@{DEMO_DOMAIN}")
    journeys.append(rosa)
    await rosa.goto(f"{ORG}/applications")
    async with rosa.page.expect_navigation():
        await rosa.page.click(f"text={FLOR}")
    await rosa.check(LIGHT)
    letter = await rosa.page.inner_text("main section.alert")
    assert FOR_APPLICANT in letter and "Enhorabuena" in letter
    assert FOR_STAFF not in await rosa.page.content()
    assert "Carmen" not in letter
