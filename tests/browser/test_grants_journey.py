"""A co-op applies in Chromium at 360 px, with JavaScript off and on: sign up, create the
co-op profile, start an application, save, close the browser, come back, finish, submit,
get the receipt; staff screen it. With JavaScript, nothing is saved by a button: the editor
saves as it is typed, and a dropped connection is retried until the save goes through."""

from __future__ import annotations

import uuid

import pytest
from playwright.async_api import Browser, BrowserContext, Page

from devtools.demo import DEMO_DOMAIN
from tests.browser.support import (
    HEAVY,
    LIGHT,
    Journey,
    Server,
    Traffic,
    new_page,
    sign_in,
    wait_for_link,
)

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only]

ORG = "/o/mlima-growers-fund"
PASSWORD = "mavuno-ya-mwaka"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def _open(browser: Browser, server: Server, javascript: bool
                ) -> tuple[BrowserContext, Page, Journey]:
    context, page = await new_page(browser, server, javascript=javascript)
    return context, page, Journey(page, server, Traffic(page))


async def _sign_up(journey: Journey, address: str) -> None:
    page = journey.page
    await journey.goto("/signup")
    await page.fill("#f-display_name", "Wanjiku Muthoni")
    await page.fill("#f-email", address)
    await page.fill("#f-password", PASSWORD)
    await page.select_option("#f-locale", "en")
    await page.fill("#f-timezone", "Africa/Nairobi")
    await journey.submit("main form button[type=submit]", "/home?welcome=1")


async def _profile_and_start(journey: Journey, coop: str) -> tuple[str, str]:
    """From the open calls to a new application's editor: the call's id, the editor's path."""
    page = journey.page
    await journey.goto(f"{ORG}/calls")
    await journey.check(LIGHT)
    async with page.expect_navigation():
        await page.click("text=Quality and market access 2027")
    call_path = page.url.split(journey.server.base_url, 1)[1]
    await journey.check(LIGHT)
    async with page.expect_navigation():
        await page.click("text=Create your organisation's profile")
    await journey.check(LIGHT)
    await page.fill("#f-legal_name", coop)
    await page.select_option("#f-country", "KE")
    await page.fill("#f-region", "Murang'a")
    await page.check("input[name=commodities][value=coffee]")
    await page.fill("#f-members_total", "420")
    await page.fill("#f-members_women", "180")
    await page.check("input[name='certifications.fairtrade.held']")
    await page.fill("#f-cert-fairtrade", "FLO 30871")
    await journey.submit("main form button[type=submit]", call_path)
    async with page.expect_navigation():
        await page.click("text=Start or continue the application")
    await journey.check(LIGHT)
    return call_path.rsplit("/", 1)[1], page.url.split(journey.server.base_url, 1)[1]


async def _first_half(page: Page) -> None:
    await page.fill("#f-title", "Cupping lab for Murang'a growers")
    await page.check("input[name=category][value=quality]")
    await page.fill("#f-requested", "12,000")
    await page.fill("#f-challenge", "Our coffee is sold ungraded, at the lowest price.")
    await page.fill("#f-activities", "Train ten quality promoters and equip a cupping lab.")
    await page.fill("[name='a.budget.0.description']", "Quality promoters' course")
    await page.fill("[name='a.budget.0.amount']", "7000")


async def _second_half(page: Page) -> None:
    await page.fill("#f-participants", "180")
    await page.fill("#f-start_date", "2027-04-01")
    await page.fill("#f-results", "Half of the harvest sold with a quality premium.")
    await page.select_option("[name='a.budget.1.category']", "equipment")
    await page.fill("[name='a.budget.1.description']", "Sample roaster and cupping table")
    await page.fill("[name='a.budget.1.amount']", "5,000")


async def _come_back(browser: Browser, server: Server, address: str, editor: str,
                     javascript: bool) -> tuple[BrowserContext, Page, Journey]:
    context, page, journey = await _open(browser, server, javascript)
    await sign_in(page, address, PASSWORD)
    await journey.goto(f"{ORG}/applications")
    await journey.check(LIGHT)
    async with page.expect_navigation():
        await page.click("text=Cupping lab for Murang'a growers")
    assert page.url.endswith(editor)
    assert await page.input_value("#f-challenge") == ("Our coffee is sold ungraded, at the "
                                                      "lowest price.")
    assert await page.input_value("[name='a.budget.0.amount']") == "7000.00"
    assert await page.input_value("#f-requested") == "12000.00"
    return context, page, journey


async def _staff_screen(browser: Browser, server: Server, coop: str, call_id: str,
                        editor: str) -> None:
    """Lucía reads Spanish: she is found by addresses, not by English words."""
    context, page, journey = await _open(browser, server, True)
    try:
        await sign_in(page, f"staff@{DEMO_DOMAIN}")
        await journey.goto(f"{ORG}/manage/calls")
        async with page.expect_navigation():
            await page.click(f"a[href='{ORG}/manage/calls/{call_id}/applications']")
        await journey.check(HEAVY)
        application_id = editor.rsplit("/", 1)[1]
        async with page.expect_navigation():
            await page.click(f"a[href='{ORG}/manage/applications/{application_id}']")
        await journey.check(HEAVY)
        assert await page.locator(".finding-ok").count() >= 2, "the automatic checks"
        assert coop in await page.inner_text("main")
        await journey.submit("form:has(input[value=eligible]) button",
                             page.url.split(server.base_url, 1)[1] + "?decided=1")
        assert await page.locator("form:has(input[value=eligible])").count() == 0
    finally:
        await context.close()
    assert not journey.problems, "\n".join(journey.problems)


async def _receipt_then_screening(browser: Browser, server: Server, address: str, coop: str,
                                  call_id: str, editor: str, problems: list[str]) -> None:
    assert editor in await wait_for_link(server, address, containing=editor)  # the receipt
    await _staff_screen(browser, server, coop, call_id, editor)
    assert not problems, "\n".join(problems)


async def test_a_coop_applies_without_javascript(browser: Browser, server: Server) -> None:
    handle = uuid.uuid4().hex[:8]
    address, coop = f"wanjiku-{handle}@example.org", f"Gikanda Farmers {handle}"
    context, page, journey = await _open(browser, server, False)
    try:
        await _sign_up(journey, address)
        call_id, editor = await _profile_and_start(journey, coop)
        await _first_half(page)
        await page.set_input_files("#f-registration", files=[{
            "name": "registration.pdf", "mimeType": "application/pdf", "buffer": PDF}])
        await journey.submit("button.secondary[value=save]", editor + "?saved=1")
        await journey.check(LIGHT)
    finally:
        await context.close()  # the browser is closed; the draft must be all there

    context, page, journey2 = await _come_back(browser, server, address, editor, False)
    try:
        assert await page.locator("a", has_text="registration.pdf").count() == 1
        await _second_half(page)
        await journey2.submit("button[value=submit]", editor + "?submitted=1")
        await journey2.check(LIGHT)
        assert "Withdraw the application" in await page.inner_text("main")
    finally:
        await context.close()
    await _receipt_then_screening(browser, server, address, coop, call_id, editor,
                                  journey.problems + journey2.problems)


async def test_a_coop_applies_with_javascript_and_a_dropped_connection(
        browser: Browser, server: Server) -> None:
    handle = uuid.uuid4().hex[:8]
    address, coop = f"wanjiku-{handle}@example.org", f"Gikanda Farmers {handle}"
    context, page, journey = await _open(browser, server, True)
    try:
        await _sign_up(journey, address)
        call_id, editor = await _profile_and_start(journey, coop)
        await _first_half(page)
        await page.wait_for_selector("#autosave-status[data-state=saved]")
        await page.set_input_files("#f-registration", files=[{
            "name": "registration.pdf", "mimeType": "application/pdf", "buffer": PDF}])
        # files go with the "Save draft" button: the autosave sends text only
        await journey.submit("button.secondary[value=save]", editor + "?saved=1")
    finally:
        await context.close()

    context, page, journey2 = await _come_back(browser, server, address, editor, True)
    status = page.locator("#autosave-status")
    try:
        await context.set_offline(True)
        await page.fill("#f-participants", "180")
        await page.wait_for_selector("#autosave-status[data-state=retrying]")
        assert "Trying again" in await status.inner_text()
        await context.set_offline(False)
        await page.wait_for_selector("#autosave-status[data-state=saved]", timeout=30_000)
        await page.reload()
        assert await page.input_value("#f-participants") == "180", "the retried save landed"
        await _second_half(page)
        await page.wait_for_selector("#autosave-status[data-state=saved]")
        await journey2.submit("button[value=submit]", editor + "?submitted=1")
        await journey2.check(LIGHT)
    finally:
        await context.close()
    await _receipt_then_screening(browser, server, address, coop, call_id, editor,
                                  journey.problems + journey2.problems)
