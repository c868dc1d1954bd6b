"""Health probes, the landing page, languages, and the audit log's promises."""

from __future__ import annotations

import httpx
import pytest

from app.audit import AuditEvent, record
from app.orgs.models import Organisation
from app.settings import Settings
from tests.helpers import login, make_user


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).text == "ok"
    ready = await client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"]["database"] == "ok"


async def test_landing_page_in_the_language_asked_for(client: httpx.AsyncClient) -> None:
    english = await client.get("/")
    assert english.status_code == 200 and '<html lang="en">' in english.text
    spanish = await client.get("/", headers={"Accept-Language": "es-PE,es;q=0.9,en;q=0.5"})
    assert '<html lang="es">' in spanish.text
    swahili = await client.get("/?lang=sw")
    assert '<html lang="sw">' in swahili.text
    remembered = await client.get("/login")
    assert '<html lang="sw">' in remembered.text


async def test_a_users_own_language_comes_first(client: httpx.AsyncClient) -> None:
    await make_user(email="lucia@example.org", locale="es")
    await login(client, "lucia@example.org")
    home = await client.get("/home?lang=fr")
    assert '<html lang="es">' in home.text


async def test_unknown_pages_are_a_friendly_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/nowhere", headers={"Accept-Language": "es"})
    assert response.status_code == 404 and "No encontramos" in response.text


async def test_audit_events_are_append_only_and_hold_no_personal_data(
        client: httpx.AsyncClient) -> None:
    user = await make_user(email="lucia@example.org", name="Lucía Quispe")
    org = await Organisation.create(slug="x-fund", name="X")
    event = await record(verb="organisation.updated", obj=org, actor_id=user.id,
                         organisation_id=org.id, changed=["name", "timezone"])
    assert event.changed_fields == ["name", "timezone"]
    with pytest.raises(TypeError):
        await event.save()
    with pytest.raises(TypeError):
        await event.delete()
    stored = await AuditEvent.get(id=event.id)
    text = " ".join(str(value) for value in stored.__dict__.values())
    assert "lucia" not in text.lower() and "Quispe" not in text


async def test_signed_in_people_change_language_on_their_account_page(
        client: httpx.AsyncClient) -> None:
    assert "?lang=es" in (await client.get("/")).text
    await make_user(email="lucia@example.org", locale="es")
    await login(client, "lucia@example.org")
    page = (await client.get("/home")).text
    assert "?lang=" not in page and 'href="/account#f-locale"' in page and "Español" in page


async def test_an_unexpected_failure_is_a_friendly_500_page_or_json(settings: Settings) -> None:
    from starlette.requests import Request
    from starlette.routing import Route

    from app.main import create_app

    async def boom(request: Request) -> None:
        raise RuntimeError("secret-token-abc must not leak")

    application = create_app(settings)
    application.router.routes.insert(0, Route("/boom", boom))
    application.router.routes.insert(0, Route("/api/v1/boom", boom))
    transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        page = await http.get("/boom", headers={"Accept-Language": "es"})
        api = await http.get("/api/v1/boom")
    assert page.status_code == 500 and "secret-token-abc" not in page.text
    assert '<html lang="es">' in page.text
    assert api.status_code == 500 and api.json()["error"]["code"] == "server_error"
    assert "secret-token-abc" not in api.text
