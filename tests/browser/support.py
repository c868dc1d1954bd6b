"""What browser tests share: the server's address, a fresh 360 px page, signing in, page checks."""

from __future__ import annotations

import asyncio
import email
import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    ViewportSize,
)

from devtools.demo import DEMO_PASSWORD

VIEWPORT: ViewportSize = {"width": 360, "height": 740}
KB = 1024
LOCAL_SCHEMES = frozenset({"data", "about", "blob"})  # no network: the favicon is `data:,`
NOT_TYPED_IN = ("hidden", "submit", "button", "reset", "image")
TEXT_TYPES = frozenset({"document", "stylesheet", "script"})
# Lines for the end-of-run summary (page weights per kind of visitor), see conftest.py.
SUMMARY = pytest.StashKey[list[str]]()
SIMULATOR_TOKEN = secrets.token_urlsafe(16)  # the X simulator's controls in the served app


@dataclass(frozen=True)
class Server:
    base_url: str
    var_dir: Path
    database_url: str = ""   # the server's own database (a journey may move its clock)

    @property
    def netloc(self) -> str:
        return urlsplit(self.base_url).netloc


@dataclass(frozen=True)
class Budget:
    """What a page shown to this kind of person may cost: bytes on the wire, and scripts."""

    max_bytes: int
    scripts: frozenset[str] | None  # the script addresses a page may load; None: any


# Co-ops and supporters read on a phone over a slow line. Pages work without JavaScript; the
# one script they may load is the application editor's autosave (small, and optional).
# The auction page, which supporters may follow a link to, counts its time down with one
# more (1.6 KB, optional too).
LIGHT = Budget(max_bytes=60 * KB, scripts=frozenset({"/static/autosave.js",
                                                     "/static/auction.js"}))
# The tenant's staff and reviewers: usually a better line; still bounded.
HEAVY = Budget(max_bytes=200 * KB, scripts=None)


async def new_page(browser: Browser, server: Server, *, javascript: bool = True
                   ) -> tuple[BrowserContext, Page]:
    """A fresh context (its own cookies) at 360 px, with the HTTP cache off, so that every
    page is weighed as a first visit on a phone would be."""
    context = await browser.new_context(viewport=VIEWPORT, base_url=server.base_url,
                                        java_script_enabled=javascript)
    context.set_default_timeout(15_000)
    page = await context.new_page()
    cdp = await context.new_cdp_session(page)
    await cdp.send("Network.enable")
    await cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    return context, page


async def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Through the real form, as a person would."""
    await page.goto("/login")
    await page.fill("#f-email", email)
    await page.fill("#f-password", password)
    async with page.expect_navigation():
        await page.click("main form button[type=submit]")
    if urlsplit(page.url).path != "/home":
        said = await page.locator("main .alert, main .error").all_inner_texts()
        raise AssertionError(f"signing in as {email} led to {page.url}: {said}")


@dataclass
class Traffic:
    """Every request the page made since the last `restart` (a navigation's document and
    subresources, redirects included), and the errors the browser logged: a resource the
    Content-Security-Policy refused (so no request is seen) shows up only there."""

    page: Page
    requests: list[Request] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("request", self._request)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _request(self, request: Request) -> None:
        self.requests.append(request)

    def _console(self, message: ConsoleMessage) -> None:
        # A resource that failed to load is reported with its status by `weigh`.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)

    def restart(self) -> None:
        self.requests, self.errors = [], []

    def outside(self, server: Server) -> list[str]:
        return [request.url for request in self.requests
                if urlsplit(request.url).scheme not in LOCAL_SCHEMES
                and urlsplit(request.url).netloc != server.netloc]

    async def weigh(self) -> tuple[int, list[str]]:
        """Bytes as transferred (headers plus the body as sent, i.e. compressed), and what
        went wrong: a subresource that failed or answered an error (the page's own status is
        the caller's to judge), text of more than 1 KB sent without compression."""
        total, failures = 0, []
        for request in self.requests:
            if urlsplit(request.url).scheme in LOCAL_SCHEMES:
                continue
            response = await request.response()
            if response is None:
                if (request.resource_type in ("fetch", "xhr")
                        and "ERR_ABORTED" in str(request.failure)):
                    continue      # a script's poll cut short by leaving its page
                failures.append(f"{request.url} got no response ({request.failure})")
                continue
            if response.status >= 400 and request.resource_type != "document":
                failures.append(f"{request.url} answered {response.status}")
            sizes = await request.sizes()
            total += sizes["responseHeadersSize"] + sizes["responseBodySize"]
            if (request.resource_type in TEXT_TYPES and sizes["responseBodySize"] > KB
                    and "content-encoding" not in response.headers):
                failures.append(f"{request.url} sent {sizes['responseBodySize']} bytes "
                                "uncompressed")
        return total, failures


# One round trip for what the checks and the crawl read from a page.
SURVEY_JS = """(skip) => {
  const text = (node) => (node && node.textContent || '').trim();
  const labelled = (el) => Boolean((el.getAttribute('aria-label') || '').trim()
    || (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
         .map((id) => text(document.getElementById(id))).join('')
    || Array.from(el.labels || []).some((label) => text(label)));
  const fields = Array.from(document.querySelectorAll('input, select, textarea'))
    .filter((el) => !skip.includes((el.getAttribute('type') || '').toLowerCase()))
    .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden');
  return {
    width: document.documentElement.scrollWidth,
    unlabelled: fields.filter((el) => !labelled(el)).map((el) => el.outerHTML.slice(0, 100)),
    scripts: Array.from(document.querySelectorAll('script'),
                        (s) => s.getAttribute('src') || 'an inline script'),
    links: Array.from(document.querySelectorAll('a[href]:not([download])'), (a) => a.href),
    lang: document.documentElement.lang,
  };
}"""

FOCUSED_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {html: el.outerHTML.slice(0, 80), outline: style.outlineStyle,
          width: parseFloat(style.outlineWidth) || 0,
          onScreen: box.right > 0 && box.bottom > 0
            && box.left < innerWidth && box.top < innerHeight};
}"""


@dataclass(frozen=True)
class Checked:
    weight: int
    problems: list[str]
    links: list[str]  # absolute, as the browser resolved them
    lang: str


async def check_page(page: Page, traffic: Traffic, server: Server, budget: Budget) -> Checked:
    """What is wrong with the page now shown, for a phone at 360 px and a keyboard user.

    Presses Tab once, so it comes last on a page."""
    problems = [f"requested another host: {url}" for url in traffic.outside(server)]
    weight, failures = await traffic.weigh()
    problems += failures
    problems += [f"the browser logged an error: {error}" for error in traffic.errors]
    if weight > budget.max_bytes:
        problems.append(f"weighs {weight / KB:.1f} KB on the wire, "
                        f"over {budget.max_bytes // KB} KB")
    survey = await page.evaluate(SURVEY_JS, list(NOT_TYPED_IN))
    if survey["width"] > VIEWPORT["width"]:
        problems.append(f"is {survey['width']} px wide, wider than the "
                        f"{VIEWPORT['width']} px screen")
    problems += [f"field without a label: {html}" for html in survey["unlabelled"]]
    if budget.scripts is not None:
        fetched = [r.url for r in traffic.requests if r.resource_type == "script"
                   and urlsplit(r.url).path not in budget.scripts]
        tags = [src for src in survey["scripts"] if src not in budget.scripts]
        if tags or fetched:
            problems.append(f"loads JavaScript ({tags} <script>, fetched {fetched})")
    problems += await _focus_problems(page)
    return Checked(weight, problems, survey["links"], survey["lang"])


async def _focus_problems(page: Page) -> list[str]:
    await page.keyboard.press("Tab")
    focused = await page.evaluate(FOCUSED_JS)
    if focused is None:
        return ["Tab focuses nothing"]
    if focused["outline"] == "none" or focused["width"] == 0:
        return [f"focus is invisible (no outline) on {focused['html']}"]
    if not focused["onScreen"]:
        return [f"the first focused element is off screen: {focused['html']}"]
    return []


MAIL_SECONDS = 15.0


def links_to(server: Server, to: str) -> list[str]:
    """Links to the server in the mails to `to`; a link needs whitespace after it, so a mail
    caught half-written is not read."""
    links: list[str] = []
    for path in sorted((server.var_dir / "outbox").glob("*.eml")):
        mail = email.message_from_bytes(path.read_bytes())
        body = mail.get_payload(decode=True)
        if mail["To"] == to and isinstance(body, bytes):
            links += re.findall(re.escape(server.base_url) + r"/\S+(?=\s)", body.decode())
    return links


async def wait_for_link(server: Server, to: str, containing: str = "") -> str:
    """The arq worker process writes the mail: wait for it, a little. The last link to `to`
    that contains `containing` (mails may arrive in any order)."""
    deadline = time.monotonic() + MAIL_SECONDS
    while not (links := [link for link in links_to(server, to) if containing in link]):
        assert time.monotonic() < deadline, (f"no mail to {to} with a link containing "
                                             f"{containing!r} within {MAIL_SECONDS:.0f} s")
        await asyncio.sleep(0.1)
    return links[-1]


@dataclass
class Journey:
    """One person's tab, checking every page it lands on like the crawl does."""

    page: Page
    server: Server
    traffic: Traffic
    problems: list[str] = field(default_factory=list)

    async def goto(self, path: str) -> None:
        self.traffic.restart()
        response = await self.page.goto(path)
        assert response is not None and response.status == 200, f"{path}: {response}"

    async def submit(self, button: str, landing: str) -> None:
        """Click, wait for the next page, and say what the form answered if it is not
        `landing` (a path and query)."""
        self.traffic.restart()
        async with self.page.expect_navigation():
            await self.page.click(button)
        shown = urlsplit(self.page.url)
        where = shown.path + (f"?{shown.query}" if shown.query else "")
        if where != landing:
            said = await self.page.locator("main .alert, main .error").all_inner_texts()
            raise AssertionError(f"expected {landing} after {button}, got {where}: {said}")

    async def check(self, budget: Budget) -> None:
        checked = await check_page(self.page, self.traffic, self.server, budget)
        self.problems += [f"{self.page.url} {problem}" for problem in checked.problems]
