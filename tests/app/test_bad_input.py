"""Odd and hostile input gets a clear 4xx, never a 500, and changes nothing."""

from __future__ import annotations

import asyncio

import httpx

from app.accounts.models import UserSession
from app.orgs.models import Organisation
from app.settings import Settings
from tests.helpers import csrf_token, login, make_org, make_user, post_form


async def test_parallel_wrong_passwords_still_hit_the_limit(client: httpx.AsyncClient,
                                                            settings: Settings) -> None:
    await make_user(email="joseph@example.org")
    token = await csrf_token(client)
    attempts = [client.post("/login", data={"email": "joseph@example.org", "password": "bad",
                                            "csrf_token": token}) for _ in range(12)]
    statuses = [response.status_code for response in await asyncio.gather(*attempts)]
    assert statuses.count(422) == settings.login_attempts and statuses.count(429) == 7
    assert not await UserSession.exists()


async def test_malformed_csrf_tokens_and_bodies_are_refused_not_crashed(
        client: httpx.AsyncClient) -> None:
    await client.get("/login")
    for data in ({"csrf_token": "é"}, {"csrf_token": "%%%"}, {"csrf_token": ""}):
        assert (await client.post("/login", data=data)).status_code == 403
    no_boundary = await client.post("/login", content=b"--x\r\n",
                                    headers={"content-type": "multipart/form-data"})
    assert no_boundary.status_code == 403


async def test_each_page_carries_a_fresh_mask_of_the_same_token(
        client: httpx.AsyncClient) -> None:
    await make_user(email="joseph@example.org")
    first, second = await csrf_token(client), await csrf_token(client)
    assert first != second
    response = await client.post("/login", data={"email": "joseph@example.org",
                                                 "password": "correct horse battery",
                                                 "csrf_token": first})
    assert response.status_code == 303


async def test_the_api_and_probes_set_no_cookie(client: httpx.AsyncClient) -> None:
    for path in ("/api/v1/me", "/api/v1/openapi.json", "/healthz", "/static/app.css"):
        assert "set-cookie" not in (await client.get(path)).headers, path


async def test_odd_ids_and_page_numbers(client: httpx.AsyncClient) -> None:
    owner = await make_user()
    org = await make_org(owner=owner)
    await login(client, owner.email)
    huge = "9" * 25
    for path in (f"/account/tokens/{huge}/revoke", f"/o/{org.slug}/members/{huge}/role"):
        assert (await post_form(client, path, {"role": "staff"}, token_from="/home")
                ).status_code == 404
    for page in ("²", "-1", "99999999999", "x"):
        assert (await client.get(f"/o/{org.slug}/members?page={page}")).status_code == 200


async def test_odd_json_is_a_422_with_the_field_named(client: httpx.AsyncClient) -> None:
    from app.accounts.service import create_api_token

    _, secret = await create_api_token(await make_user(), "t")
    headers = {"Authorization": f"Bearer {secret}"}
    for locales in (5, True, {"en": 1}, []):
        response = await client.post("/api/v1/orgs", headers=headers, json={
            "slug": "kivu-tea", "name": "Kivu", "locales": locales})
        assert response.status_code == 422, locales
        assert "locales" in response.json()["error"]["fields"]
    line_break = await client.post("/api/v1/orgs", headers=headers, json={
        "slug": "kivu-tea", "name": "Kivu\r\nBcc: x@example.org", "locales": ["en"]})
    assert line_break.status_code == 422 and "name" in line_break.json()["error"]["fields"]
    assert not await Organisation.exists()


async def test_deeply_nested_json_is_malformed_not_a_crash(client: httpx.AsyncClient) -> None:
    from app.accounts.service import create_api_token

    _, secret = await create_api_token(await make_user(), "t")
    nested = b"[" * 100_000
    api = await client.post("/api/v1/orgs", content=nested, headers={
        "Authorization": f"Bearer {secret}", "content-type": "application/json"})
    assert api.status_code == 400 and api.json()["error"]["code"] == "malformed_json"
    await client.get("/login")
    page = await client.post("/login", content=nested,
                             headers={"content-type": "application/json"})
    assert page.status_code == 403


async def test_nul_bytes_and_odd_slugs_never_reach_a_query(client: httpx.AsyncClient) -> None:
    owner = await make_user()
    await make_org(owner=owner)
    nul = await post_form(client, "/login", {"email": "a\x00b@example.org", "password": "x"})
    assert nul.status_code == 422
    await login(client, owner.email)
    for path in ("/o/a%00b/", "/o/A-B/members", "/o/-x-/", "/api/v1/orgs/a%00b"):
        assert (await client.get(path)).status_code in (401, 404), path


async def test_names_cannot_hide_direction_controls(client: httpx.AsyncClient) -> None:
    from app.accounts.service import create_api_token

    _, secret = await create_api_token(await make_user(), "t")
    headers = {"Authorization": f"Bearer {secret}"}
    spoof = await client.post("/api/v1/me/tokens", headers=headers,
                              json={"name": "invoice\u202efdp.exe"})
    assert spoof.status_code == 422 and "name" in spoof.json()["error"]["fields"]
    created = await client.post("/api/v1/orgs", headers=headers, json={
        "slug": "kivu-tea", "name": "Kivu  Tea", "locales": ["en", "en", "sw"]})
    body = created.json()
    assert (body["name"], body["locales"], body["role"]) == ("Kivu Tea", ["en", "sw"], "owner")


async def test_the_reset_form_keeps_its_token_out_of_addresses(
        client: httpx.AsyncClient, settings: Settings) -> None:
    from tests.helpers import link_in, wait_for_mail

    await make_user(email="lucia@example.org")
    await post_form(client, "/password-reset", {"email": "lucia@example.org"})
    link = link_in(await wait_for_mail(settings, "lucia@example.org"))
    form = await client.get(link)
    token = link.split("token=", 1)[1]
    assert 'action="/password-reset/confirm"' in form.text and f'value="{token}"' in form.text
    short = await post_form(client, "/password-reset/confirm", {"token": token, "password": "x"},
                            token_from=link)
    assert short.status_code == 422 and f'value="{token}"' in short.text


async def test_successful_sign_ins_from_one_office_do_not_lock_it_out(
        client: httpx.AsyncClient, settings: Settings) -> None:
    await make_user(email="joseph@example.org")
    for _ in range(settings.login_attempts * 10 + 2):
        await login(client, "joseph@example.org")
