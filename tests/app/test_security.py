"""CSRF on every unsafe HTML route, security headers, and body-size limits."""

from __future__ import annotations

import re

import httpx
from starlette.applications import Starlette
from starlette.routing import BaseRoute

from app.route_table import walk_routes
from app.security import CSRF_EXEMPT, UNSAFE_METHODS, csrf_exempt
from tests.helpers import csrf_token, login, make_org, make_user


def unsafe_routes(routes: list[BaseRoute]) -> list[tuple[str, str]]:
    return [(method, path) for path, route in walk_routes(routes)
            for method in sorted((route.methods or set()) & UNSAFE_METHODS)]


def concrete(path: str) -> str:
    """Fill path parameters with values that exist in the test's data."""
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: {"org": "mlima-fund"}.get(m.group(1), "1"),
                  path)


async def test_every_unsafe_html_route_rejects_a_missing_or_wrong_csrf_token(
        app: Starlette, client: httpx.AsyncClient) -> None:
    owner = await make_user()
    await make_org(owner=owner)
    await login(client, owner.email)
    routes = [(m, p) for m, p in unsafe_routes(app.routes) if not csrf_exempt(p)]
    assert len(routes) >= 10, routes  # the walk found the app's forms
    for method, path in routes:
        url = concrete(path)
        missing = await client.request(method, url, data={"email": "x@example.org"})
        wrong = await client.request(method, url, data={"csrf_token": "forged"})
        for response in (missing, wrong):
            assert response.status_code == 403, (method, path, response.status_code)
            assert "csrf_failed" in response.text or "expired" in response.text


async def test_every_exemption_says_why() -> None:
    assert CSRF_EXEMPT and all(len(exemption.reason) > 20 for exemption in CSRF_EXEMPT)
    assert csrf_exempt("/api/v1/orgs") and not csrf_exempt("/login")


async def test_csrf_failure_is_explained_in_the_users_language(
        client: httpx.AsyncClient) -> None:
    response = await client.post("/login?lang=es", data={"email": "a@b.c", "password": "x"})
    assert response.status_code == 403
    assert "Tu formulario caducó" in response.text


async def test_a_csrf_header_works_for_scripts_on_our_pages(client: httpx.AsyncClient) -> None:
    await make_user(email="joseph@example.org")
    token = await csrf_token(client)
    response = await client.post("/login", data={"email": "joseph@example.org",
                                                 "password": "correct horse battery"},
                                 headers={"X-CSRF-Token": token})
    assert response.status_code == 303


async def test_security_headers_on_every_page(client: httpx.AsyncClient) -> None:
    for path in ("/", "/login", "/no-such-page", "/api/v1/openapi.json"):
        response = await client.get(path)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "http" not in policy
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"


async def test_session_cookie_is_httponly_and_lax(client: httpx.AsyncClient) -> None:
    response = await client.get("/login")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


async def test_an_oversized_body_is_refused_before_it_is_read(
        client: httpx.AsyncClient) -> None:
    token = await csrf_token(client)
    huge = "x" * (300 * 1024)
    response = await client.post("/login", data={"csrf_token": token, "email": huge})
    assert response.status_code == 413
    assert "too large" in response.text
    api = await client.post("/api/v1/orgs", content=b"{" + b" " * 300_000 + b"}",
                            headers={"content-type": "application/json"})
    assert api.status_code == 413 and api.json()["error"]["code"] == "too_large"


async def test_templates_escape_what_people_type(client: httpx.AsyncClient) -> None:
    await make_user(email="joseph@example.org", name="<script>alert(1)</script>")
    await login(client, "joseph@example.org")
    home = await client.get("/home")
    assert "<script>alert" not in home.text and "&lt;script&gt;" in home.text
