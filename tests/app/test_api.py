"""The JSON API: bearer tokens, error shapes, tenant isolation, and the generated OpenAPI."""

from __future__ import annotations

import httpx

from app.accounts.models import ApiToken, User
from app.accounts.service import create_api_token, user_for_api_token
from app.orgs.models import Membership, Role
from tests.helpers import add_member, make_org, make_user


async def bearer(email: str = "wanjiru@example.org") -> dict[str, str]:
    user = await make_user(email=email)
    _, secret = await create_api_token(user, "test")
    return {"Authorization": f"Bearer {secret}"}


async def test_token_is_stored_hashed_and_works_until_revoked(client: httpx.AsyncClient) -> None:
    headers = await bearer()
    secret = headers["Authorization"].split()[1]
    stored = await ApiToken.get()
    assert secret not in (stored.token_hash, stored.prefix) and secret.startswith(stored.prefix)
    me = await client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200 and me.json()["email"] == "wanjiru@example.org"
    assert "password_hash" not in me.text
    used = await ApiToken.get(id=stored.id)
    assert stored.last_used_at is None and used.last_used_at is not None     # noted, once
    await client.get("/api/v1/me", headers=headers)
    assert (await ApiToken.get(id=stored.id)).last_used_at == used.last_used_at  # a minute
    user = await user_for_api_token(secret)              # the user, as the ORM reads it
    assert user == await User.get(email="wanjiru@example.org")
    assert user is not None and user.is_verified and user.created_at.tzinfo is not None
    assert await user_for_api_token("not-a-token") is None
    revoked = await client.delete(f"/api/v1/me/tokens/{stored.id}", headers=headers)
    assert revoked.status_code == 204
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 401


async def test_errors_have_one_shape(client: httpx.AsyncClient) -> None:
    unauthenticated = await client.get("/api/v1/me")
    assert unauthenticated.status_code == 401
    assert set(unauthenticated.json()["error"]) == {"code", "message", "fields"}
    headers = await bearer()
    malformed = await client.post("/api/v1/orgs", content=b"{not json",
                                  headers={**headers, "content-type": "application/json"})
    assert malformed.status_code == 400 and malformed.json()["error"]["code"] == "malformed_json"
    invalid = await client.post("/api/v1/orgs", json={"slug": "A", "name": ""}, headers=headers)
    assert invalid.status_code == 422
    assert {"slug", "name"} <= set(invalid.json()["error"]["fields"])
    missing = await client.get("/api/v1/nothing-here", headers=headers)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


async def test_api_messages_follow_accept_language(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/me", headers={"Accept-Language": "es-PE,es;q=0.9"})
    assert response.status_code == 401
    assert response.json()["error"]["message"] == (
        "Envía un token de API válido como 'Authorization: Bearer <token>'.")


async def test_session_cookies_do_not_authenticate_the_api(client: httpx.AsyncClient) -> None:
    from tests.helpers import login

    await make_user()
    await login(client, "wanjiru@example.org")
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_create_org_and_invite_through_the_api(client: httpx.AsyncClient) -> None:
    headers = await bearer()
    created = await client.post("/api/v1/orgs", headers=headers, json={
        "slug": "kivu-tea", "name": "Kivu Tea Fund", "default_currency": "USD",
        "locales": ["en", "fr", "sw"], "timezone": "Africa/Kigali"})
    assert created.status_code == 201 and created.json()["slug"] == "kivu-tea"
    listed = await client.get("/api/v1/orgs", headers=headers)
    assert [o["role"] for o in listed.json()] == ["owner"]
    invited = await client.post("/api/v1/orgs/kivu-tea/invitations", headers=headers,
                                json={"email": "amani@example.org", "role": "reviewer"})
    assert invited.status_code == 201
    members = await client.get("/api/v1/orgs/kivu-tea/members", headers=headers)
    assert [m["role"] for m in members.json()] == ["owner"]
    conflict = await client.post("/api/v1/orgs", headers=headers, json={
        "slug": "kivu-tea", "name": "Again", "locales": ["en"]})
    assert conflict.status_code == 422 and "slug" in conflict.json()["error"]["fields"]


async def test_another_tenant_is_404_through_the_api(client: httpx.AsyncClient) -> None:
    other = await make_user(email="other@example.org")
    await make_org(slug="other-fund", owner=other)
    headers = await bearer()
    for path in ("/api/v1/orgs/other-fund", "/api/v1/orgs/other-fund/members"):
        assert (await client.get(path, headers=headers)).status_code == 404
    response = await client.post("/api/v1/orgs/other-fund/invitations", headers=headers,
                                 json={"email": "x@example.org", "role": "owner"})
    assert response.status_code == 404


async def test_a_reviewer_cannot_invite(client: httpx.AsyncClient) -> None:
    org = await make_org(owner=await make_user(email="owner@example.org"))
    reviewer = await make_user(email="reviewer@example.org")
    await add_member(org, reviewer, Role.REVIEWER)
    _, secret = await create_api_token(reviewer, "r")
    response = await client.post(f"/api/v1/orgs/{org.slug}/invitations",
                                 headers={"Authorization": f"Bearer {secret}"},
                                 json={"email": "x@example.org", "role": "owner"})
    assert response.status_code == 403
    assert response.json()["error"]["message"].startswith("Only owners")
    assert await Membership.filter(organisation=org).count() == 2


async def test_openapi_document_is_generated_from_routes_and_schemas(
        client: httpx.AsyncClient) -> None:
    document = (await client.get("/api/v1/openapi.json")).json()
    assert document["openapi"].startswith("3.1")
    paths = document["paths"]
    assert {"/api/v1/me", "/api/v1/orgs", "/api/v1/orgs/{org}/invitations"} <= set(paths)
    create = paths["/api/v1/orgs"]["post"]
    ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert {"slug", "name"} <= set(schema["required"])
    assert "201" in create["responses"] and "422" in create["responses"]
    assert create["security"] == [{"bearer": []}]


async def test_member_lists_are_paged_with_a_total_and_a_next_link(
        client: httpx.AsyncClient) -> None:
    owner = await make_user(email="owner@example.org")
    org = await make_org(owner=owner)
    for index in range(51):
        await add_member(org, await make_user(email=f"r{index}@example.org"), Role.REVIEWER)
    _, secret = await create_api_token(owner, "t")
    headers = {"Authorization": f"Bearer {secret}"}
    first = await client.get(f"/api/v1/orgs/{org.slug}/members", headers=headers)
    assert len(first.json()) == 50 and first.headers["x-total-count"] == "52"
    assert 'page=2>; rel="next"' in first.headers["link"]
    second = await client.get(f"/api/v1/orgs/{org.slug}/members?page=2", headers=headers)
    assert len(second.json()) == 2 and "link" not in second.headers
