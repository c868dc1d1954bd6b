"""From an award to a practice spread, in Chromium: staff start Nyeri's project and write its
agreement; the co-op (reading Swahili, on a phone) accepts it and lets its name and results
be shown; Wanjiru approves a tranche and may not pay it, Lucía pays it; the co-op submits its
baseline and final reports, Wanjiru accepts them; the second tranche, conditional on the
final report, is approved and paid; the project is completed, marked as a practice and
replicated as a new call; the dashboard and the public directory show the results."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.async_api import Browser, Page

from app.timefmt import now
from devtools.demo import DEMO_DOMAIN
from tests.browser.support import HEAVY, LIGHT, Journey, Server, Traffic, new_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only]

ORG = "/o/mlima-growers-fund"
NYERI = "Nyeri Hills Tea Growers Co-operative"
TITLE = f"Productivity for {NYERI}"


def _path(page: Page, server: Server) -> str:
    return page.url.split(server.base_url, 1)[1]


async def _as(browser: Browser, server: Server, email: str) -> Journey:
    _context, page = await new_page(browser, server)
    await sign_in(page, email)
    return Journey(page, server, Traffic(page))


def _form(name: str) -> str:
    return f"main form:has(input[name=form][value={name}])"


async def _start(owner: Journey) -> str:
    """Wanjiru starts the project from the award and writes its agreement; its page's path."""
    page = owner.page
    await owner.goto(f"{ORG}/manage/projects")
    await owner.check(HEAVY)
    async with page.expect_navigation():
        await page.click(f"text={TITLE}")
    today = now().date()
    await page.fill("#f-starts_on", today.isoformat())
    await page.fill("#f-ends_on", (today + timedelta(days=365)).isoformat())
    async with page.expect_navigation():
        await page.click("main form button[type=submit]")
    project = _path(page, owner.server)
    assert "/manage/projects/" in project, project
    await owner.check(HEAVY)
    await page.select_option("#f-kind", "training")
    boxes = page.locator("input[name=indicators]")
    for index in range(await boxes.count()):         # the call's indicators come checked
        await boxes.nth(index).uncheck()
    for key in ("yield_per_ha", "premium_share"):
        await page.check(f"input[name=indicators][value={key}]")
    await page.fill("#f-milestones", f"{(today + timedelta(days=90)).isoformat()} "
                                     "Ten leaf-quality promoters trained")
    await owner.submit(f"{_form('agreement')} button[type=submit]", f"{project}?done=agreement")
    for amount, due, condition in (("5,000", today, ""),
                                   ("5,000", today + timedelta(days=300), "final")):
        await page.fill(f"{_form('tranche')} #f-amount", amount)
        await page.fill(f"{_form('tranche')} #f-due_on", due.isoformat())
        await page.select_option(f"{_form('tranche')} #f-condition", condition)
        await owner.submit(f"{_form('tranche')} button[type=submit]", f"{project}?done=tranche")
    return project


async def _coop_accepts(coop: Journey) -> str:
    page = coop.page
    await coop.goto(f"{ORG}/my-projects")
    await coop.check(LIGHT)
    async with page.expect_navigation():
        await page.click(f"text={TITLE}")
    mine = _path(page, coop.server)
    assert "Ten leaf-quality promoters trained" in await page.inner_text("main")
    await coop.check(LIGHT)
    await page.check("input[name=publish_name]")
    await page.check("input[name=publish_outcomes]")
    await page.fill("#f-summary", "Promota kumi wa ubora wa majani wamefunzwa.")
    await coop.submit("main form button[type=submit]", f"{mine}?accepted=1")
    return mine


async def _pay(owner: Journey, lucia: Journey, project: str, row: int) -> None:
    """Wanjiru approves the row's tranche and may not pay it; Lucía pays it."""
    tranche = f"main table tbody tr:nth-child({row})"
    await owner.goto(project)
    await owner.submit(f"{tranche} form:has(input[value=approve]) button", f"{project}?done=move")
    page = owner.page
    await page.fill(f"{tranche} input[name=reference]", "KCB-0001")
    async with page.expect_navigation():
        await page.click(f"{tranche} form:has(input[value=pay]) button")
    assert "someone else must mark it paid" in await page.inner_text("main")
    await lucia.goto(project)
    await lucia.page.fill(f"{tranche} input[name=reference]", f"KCB-000{row}")
    await lucia.submit(f"{tranche} form:has(input[value=pay]) button", f"{project}?done=move")
    await lucia.check(HEAVY)


async def _report(coop: Journey, mine: str, row: int, values: tuple[str, str]) -> None:
    """The co-op writes the row's report (in its list) and submits it."""
    page = coop.page
    await coop.goto(mine)
    async with page.expect_navigation():
        await page.click(f"main ul.list >> nth=-1 >> li:nth-child({row}) a")
    form = _path(page, coop.server)
    await coop.check(LIGHT)
    await page.fill("#f-progress", "Tulifunza promota kumi; wanachama 300 walihudhuria.")
    await page.fill("#f-v-yield_per_ha", values[0])
    await page.fill("#f-v-premium_share", values[1])
    await coop.submit("button[name=submit][value='1']", f"{form}?submitted=1")


async def _accept_reports(owner: Journey, project: str) -> None:
    page = owner.page
    for row in (1, 3):                                    # baseline, final (by due date)
        await owner.goto(project)
        async with page.expect_navigation():
            await page.click(f"#reports + div table tbody tr:nth-child({row}) a")
        review = _path(page, owner.server)
        await owner.check(HEAVY)
        await owner.submit("button[name=action][value=accept]", f"{review}?done=1")


async def _spread(owner: Journey, project: str) -> None:
    page = owner.page
    await owner.goto(project)
    await owner.submit(f"{_form('complete')} button", f"{project}?done=complete")
    await page.fill("#f-title-en", "Leaf-quality promoters")
    await page.fill("#f-summary-en", "Ten promoters trained by the co-op raised its yield.")
    await page.fill("#f-title-sw", "Promota wa ubora wa majani")
    await page.fill("#f-summary-sw", "Promota kumi waliofunzwa waliongeza mavuno.")
    await owner.submit(f"{_form('practice')} button", f"{project}?done=practice")
    async with page.expect_navigation():
        await page.click("form[action$='/replicate'] button")
    assert page.url.endswith("?replicated=1"), page.url
    assert "Replicate: Leaf-quality promoters" in await page.input_value("#f-title-en")
    await owner.check(HEAVY)


async def _results(owner: Journey, visitor: Journey) -> None:
    await owner.goto(f"{ORG}/manage/impact")
    text = await owner.page.inner_text("main")
    assert "What works" in text and "Overdue reports" in text
    await owner.check(HEAVY)
    await visitor.goto(f"{ORG}/projects?q=Nyeri")
    text = await visitor.page.inner_text("main")
    assert NYERI in text and "completed" in text.lower()
    async with visitor.page.expect_navigation():
        await visitor.page.click(f"text={TITLE}")
    text = await visitor.page.inner_text("main")
    assert "1,000 → 1,400" in text and "Tulifunza" not in text          # figures, no narrative
    await visitor.check(LIGHT)


async def test_award_to_practice_spread(browser: Browser, server: Server) -> None:
    journeys: list[Journey] = []
    try:
        owner = await _as(browser, server, f"owner@{DEMO_DOMAIN}")
        lucia = await _as(browser, server, f"staff@{DEMO_DOMAIN}")
        coop = await _as(browser, server, f"coop@{DEMO_DOMAIN}")
        _context, page = await new_page(browser, server)
        visitor = Journey(page, server, Traffic(page))
        journeys += [owner, lucia, coop, visitor]
        project = await _start(owner)
        mine = await _coop_accepts(coop)
        await _pay(owner, lucia, project, 1)
        await _report(coop, mine, 1, ("1000", "20"))
        await _report(coop, mine, 3, ("1.400", "35,5"))
        await _accept_reports(owner, project)
        await _pay(owner, lucia, project, 2)
        await _spread(owner, project)
        await _results(owner, visitor)
    finally:
        for journey in journeys:
            await journey.page.context.close()
    problems = [problem for journey in journeys for problem in journey.problems]
    assert not problems, "\n".join(problems)
