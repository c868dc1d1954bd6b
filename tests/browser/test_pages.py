"""Every page a person can reach by links, in Chromium at 360 px; and sign-up to API token."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit, urlunsplit

import httpx
import pytest
from playwright.async_api import Browser, Page
from starlette.routing import BaseRoute, Mount, Route

from app.routing import routes
from devtools.demo import DEMO_DOMAIN
from tests.browser.support import (
    HEAVY,
    KB,
    LIGHT,
    SUMMARY,
    Budget,
    Journey,
    Server,
    Traffic,
    check_page,
    new_page,
    sign_in,
    wait_for_link,
)

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only]

MAX_PAGES = 80
SEEDS = ("/", "/home")
NOT_CRAWLED = ("/static/", "/api/")

# GET routes without path parameters that no link leads to, each with why. Every other one
# must be reached by the crawl, so a new page is covered as soon as something links to it.
UNLINKED_ROUTES: dict[str, str] = {
    "/healthz": "a plain-text probe for the load balancer, not a page",
    "/readyz": "a JSON probe for the load balancer, not a page",
    "/verify-email": "needs the signed token from the mail (test_sign_up_to_api_token)",
    "/password-reset/confirm": "needs the signed token from the reset mail",
    "/logout": "signing out is a POST form in the header; GET only shows a confirm form to "
               "someone who types the address, and no page links it",
    "/api/v1": "the JSON API for programs, not pages",
    "/static": "files, loaded by the pages as subresources (and weighed with them)",
    "/account/export.zip": "a download (the account page links it with `download`, which the "
                           "crawl leaves alone); tests/app/test_privacy.py reads it",
}


@dataclass(frozen=True)
class Visitor:
    name: str
    email: str | None
    budget: Budget


VISITORS = (
    Visitor("anonymous", None, LIGHT),
    Visitor("coop", f"coop@{DEMO_DOMAIN}", LIGHT),  # an applicant: signed in, no membership
    Visitor("reviewer", f"reviewer@{DEMO_DOMAIN}", HEAVY),
    Visitor("staff", f"staff@{DEMO_DOMAIN}", HEAVY),
    Visitor("owner", f"owner@{DEMO_DOMAIN}", HEAVY),
)


@dataclass
class Crawl:
    visitor: Visitor
    weights: dict[str, int] = field(default_factory=dict)
    paths: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    left: int = 0
    seconds: float = 0.0


def _crawlable(href: str, server: Server) -> str | None:
    """The link as a page address to visit, or None: another site, a file, the JSON API."""
    parts = urlsplit(href)
    if parts.scheme not in ("http", "https") or parts.netloc != server.netloc:
        return None
    if parts.path.startswith(NOT_CRAWLED):
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


async def _visit(page: Page, traffic: Traffic, server: Server, visitor: Visitor,
                 url: str) -> tuple[int, list[str], list[str]]:
    """Weight, problems, and the links of one page."""
    traffic.restart()
    response = await page.goto(url)
    status = response.status if response else 0
    problems = [] if 0 < status < 400 else [f"answered {status}"]
    checked = await check_page(page, traffic, server, visitor.budget)
    chosen = parse_qs(urlsplit(url).query).get("lang")
    if chosen and not visitor.email and checked.lang != chosen[0]:
        problems.append(f"is in {checked.lang!r} although the visitor chose {chosen[0]!r}")
    return checked.weight, problems + checked.problems, checked.links


async def crawl(browser: Browser, server: Server, visitor: Visitor) -> Crawl:
    """Breadth first from SEEDS along same-origin links, GET only, never submitting a form."""
    started = time.monotonic()
    result = Crawl(visitor)
    context, page = await new_page(browser, server)
    try:
        if visitor.email:
            await sign_in(page, visitor.email)
        traffic = Traffic(page)
        queue = deque(server.base_url + seed for seed in SEEDS)
        seen = set(queue)
        while queue and len(result.weights) < MAX_PAGES:
            url = queue.popleft()
            weight, problems, links = await _visit(page, traffic, server, visitor, url)
            result.weights[url] = weight
            result.paths |= {urlsplit(url).path, urlsplit(page.url).path}
            result.problems += [f"{url} {problem}" for problem in problems]
            seen.add(page.url)
            for link in filter(None, (_crawlable(href, server) for href in links)):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
        result.left = len(queue)
    finally:
        await context.close()
    result.seconds = time.monotonic() - started
    return result


def _summary(crawl: Crawl) -> str:
    heaviest = max(crawl.weights, key=crawl.weights.__getitem__)
    return (f"{crawl.visitor.name:>9}: {len(crawl.weights)} pages ({crawl.left} left at the cap) "
            f"in {crawl.seconds:.1f} s, heaviest {crawl.weights[heaviest] / KB:.1f} KB "
            f"({urlsplit(heaviest).path}), budget {crawl.visitor.budget.max_bytes // KB} KB")


@pytest.fixture(scope="module")
async def crawls(browser: Browser, server: Server,
                 request: pytest.FixtureRequest) -> dict[str, Crawl]:
    """All kinds of visitor crawl at once, each in its own browser context."""
    done = await asyncio.gather(*(crawl(browser, server, visitor) for visitor in VISITORS))
    request.config.stash.setdefault(SUMMARY, []).extend(_summary(c) for c in done)
    return {c.visitor.name: c for c in done}


@pytest.mark.parametrize("visitor", VISITORS, ids=lambda visitor: visitor.name)
async def test_every_linked_page_works_on_a_phone(crawls: dict[str, Crawl],
                                                  visitor: Visitor) -> None:
    crawl = crawls[visitor.name]
    assert crawl.weights, f"{visitor.name} visited nothing"
    assert not crawl.problems, (f"{len(crawl.problems)} problems for {visitor.name}:\n"
                                + "\n".join(crawl.problems))


def _page_routes(table: list[BaseRoute], prefix: str = "") -> dict[str, Route | Mount]:
    """GET routes without path parameters, and mounts, by their full path."""
    found: dict[str, Route | Mount] = {}
    for route in table:
        if isinstance(route, Mount):
            path = prefix + route.path
            found[path] = route
            found |= _page_routes(route.routes, path)
        elif (isinstance(route, Route) and "GET" in (route.methods or ())
              and not route.param_convertors):
            found[prefix + route.path] = route
    return found


def _excluded(path: str) -> bool:
    return any(path == skip or path.startswith(skip + "/") for skip in UNLINKED_ROUTES)


async def test_the_crawl_reaches_every_page_route(crawls: dict[str, Crawl]) -> None:
    table = _page_routes(routes())
    stale = sorted(set(UNLINKED_ROUTES) - set(table))
    assert not stale, f"UNLINKED_ROUTES names routes that no longer exist: {stale}"
    reached = set().union(*(c.paths for c in crawls.values()))
    expected = {path for path, route in table.items()
                if isinstance(route, Route) and not _excluded(path)}
    missing = sorted(expected - reached)
    assert not missing, (f"no link leads to {missing}: link them from a page, or add them to "
                         f"UNLINKED_ROUTES with the reason")


async def test_sign_up_to_api_token(browser: Browser, server: Server) -> None:
    """Sign up, confirm by mail, create an organisation, invite, create a token, call the API."""
    handle = uuid.uuid4().hex[:8]
    address, slug = f"amina-{handle}@example.org", f"amina-fund-{handle}"
    invitee = f"reviewer@{DEMO_DOMAIN}"
    context, page = await new_page(browser, server)
    journey = Journey(page, server, Traffic(page))
    try:
        await journey.goto("/signup")
        await journey.check(LIGHT)
        await page.fill("#f-display_name", "Amina Njeri")
        await page.fill("#f-email", address)
        await page.fill("#f-password", "mavuno-ya-mwaka")
        await page.select_option("#f-locale", "en")
        await page.fill("#f-timezone", "Africa/Nairobi")
        await journey.submit("main form button[type=submit]", "/home?welcome=1")
        await journey.check(LIGHT)
        assert await page.locator("form[action='/verify-email/resend']").count() == 1

        await journey.goto(await wait_for_link(server, address))
        assert await page.locator("h1").inner_text() == "Email confirmed"
        await journey.check(LIGHT)

        await journey.goto("/orgs/new")
        await page.fill("#f-name", "Amina Growers Fund")
        await page.fill("#f-slug", slug)
        await page.fill("#f-timezone", "Africa/Nairobi")
        await journey.submit("main form button[type=submit]", f"/o/{slug}/")
        await journey.check(HEAVY)

        await journey.goto(f"/o/{slug}/members")
        await page.fill("#f-email", invitee)
        await page.select_option("#f-role", "reviewer")
        await journey.submit(f"form[action='/o/{slug}/members'] button[type=submit]",
                             f"/o/{slug}/members?invited=1")
        await journey.check(HEAVY)
        assert await page.locator("main li", has_text=invitee).count() == 1
        assert "/invitations/" in await wait_for_link(server, invitee)

        await journey.goto("/account")
        await page.fill("#f-name", "reporting script")
        await journey.submit("form[action='/account/tokens'] button[type=submit]",
                             "/account/tokens")
        secret = await page.input_value("#token-secret")
        assert secret.startswith("hrb_")
        await journey.check(HEAVY)
        await journey.goto("/account")
        assert secret not in await page.content(), "the secret is shown more than once"
        assert await page.locator("main li", has_text="reporting script").count() == 1
    finally:
        await context.close()

    async with httpx.AsyncClient(base_url=server.base_url) as http:
        me = await http.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200, me.text
    assert me.json()["email"] == address and me.json()["verified"] is True
    assert not journey.problems, "\n".join(journey.problems)
