"""Sign-up, verification, login, logout, password reset: the journeys and their bad inputs."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from app.accounts import service
from app.accounts.models import User, UserSession
from app.accounts.service import create_api_token
from app.settings import Settings
from tests.helpers import (
    PASSWORD,
    link_in,
    login,
    make_user,
    post_form,
    wait_for_mail,
)

SIGNUP = {"email": "Amani@Example.org", "password": PASSWORD, "display_name": "Amani",
          "locale": "sw", "timezone": "Africa/Dar_es_Salaam"}


async def test_sign_up_verify_and_log_in(client: httpx.AsyncClient, settings: Settings) -> None:
    response = await post_form(client, "/signup", SIGNUP, token_from="/signup")
    assert response.status_code == 303 and response.headers["location"] == "/home?welcome=1"
    user = await User.get(email="amani@example.org")
    assert not user.is_verified and user.locale == "sw"

    mail = await wait_for_mail(settings, "amani@example.org")
    assert mail["Content-Language"] == "sw"
    verified = await client.get(link_in(mail))
    assert verified.status_code == 200
    assert (await User.get(id=user.id)).is_verified

    await post_form(client, "/logout", {}, token_from="/home")
    client.cookies.clear()
    await login(client, "AMANI@example.org")
    home = await client.get("/home")
    assert home.status_code == 200 and "Amani" in home.text


async def test_duplicate_email_is_a_clear_error_in_the_users_language(
        client: httpx.AsyncClient) -> None:
    await make_user(email="amani@example.org")
    response = await post_form(client, "/signup?lang=es", {**SIGNUP, "locale": "es"},
                               token_from="/signup?lang=es")
    assert response.status_code == 422
    assert "Ya existe una cuenta con este correo" in response.text
    assert await User.filter(email="amani@example.org").count() == 1


async def test_signup_validation_names_each_field(client: httpx.AsyncClient) -> None:
    response = await post_form(client, "/signup", {**SIGNUP, "email": "not-an-email",
                                                    "password": "short", "timezone": "Mars/Base"},
                               token_from="/signup")
    assert response.status_code == 422
    assert 'id="e-email"' in response.text
    assert 'id="e-password"' in response.text
    assert 'id="e-timezone"' in response.text
    assert not await User.exists()


async def test_wrong_password_does_not_say_which_part_was_wrong(
        client: httpx.AsyncClient) -> None:
    await make_user(email="joseph@example.org")
    wrong = await post_form(client, "/login", {"email": "joseph@example.org", "password": "nope"})
    unknown = await post_form(client, "/login", {"email": "nobody@example.org", "password": "x"})
    assert wrong.status_code == unknown.status_code == 422
    assert "do not match an account" in wrong.text and "do not match an account" in unknown.text


async def test_login_is_throttled_per_account(client: httpx.AsyncClient,
                                              settings: Settings) -> None:
    await make_user(email="joseph@example.org")
    for _ in range(settings.login_attempts):
        await post_form(client, "/login", {"email": "joseph@example.org", "password": "bad"})
    blocked = await post_form(client, "/login",
                              {"email": "joseph@example.org", "password": PASSWORD})
    assert blocked.status_code == 429
    assert not await UserSession.exists()


async def _fail_five_times(client: httpx.AsyncClient, settings: Settings) -> None:
    for _ in range(settings.login_attempts):
        wrong = await post_form(client, "/login", {"email": "joseph@example.org",
                                                   "password": "guess"})
        assert wrong.status_code == 422


async def test_a_browser_that_signed_in_before_still_signs_in_when_strangers_lock_the_account(
        client: httpx.AsyncClient, settings: Settings, app: Starlette) -> None:
    await make_user(email="joseph@example.org")
    await login(client, "joseph@example.org")
    device = client.cookies.get(service.DEVICE_COOKIE)
    assert device
    elsewhere = httpx.ASGITransport(app=app, client=("203.0.113.9", 5555))
    stranger = httpx.AsyncClient(transport=elsewhere, base_url="http://testserver")
    async with stranger:
        await _fail_five_times(stranger, settings)
        locked = await post_form(stranger, "/login", {"email": "joseph@example.org",
                                                      "password": PASSWORD})
        assert locked.status_code == 429  # the throttle holds for unknown browsers
        forged = device[:-4] + ("AAAA" if not device.endswith("AAAA") else "BBBB")
        stranger.cookies.set(service.DEVICE_COOKIE, forged)
        assert (await post_form(stranger, "/login", {"email": "joseph@example.org",
                                                     "password": PASSWORD})).status_code == 429
    client.cookies.delete("harambee")  # signed out, the device cookie kept
    await login(client, "joseph@example.org")
    assert await UserSession.filter(user__email="joseph@example.org").count() == 2


async def test_a_known_browser_has_its_own_five_tries_and_only_for_its_account(
        client: httpx.AsyncClient, settings: Settings) -> None:
    await make_user(email="joseph@example.org")
    await make_user(email="amina@example.org", name="Amina")
    await login(client, "amina@example.org")  # this browser knows Amina, not Joseph
    await _fail_five_times(client, settings)
    refused = await post_form(client, "/login", {"email": "joseph@example.org",
                                                 "password": PASSWORD})
    assert refused.status_code == 429
    client.cookies.delete("harambee")
    await login(client, "amina@example.org")  # Joseph's lock does not touch Amina
    for _ in range(settings.login_attempts):
        await post_form(client, "/login", {"email": "amina@example.org", "password": "typo"})
    own = await post_form(client, "/login", {"email": "amina@example.org",
                                             "password": PASSWORD})
    assert own.status_code == 429  # a known browser's own failures still count


async def test_session_is_rotated_at_login_and_dropped_at_logout(
        client: httpx.AsyncClient) -> None:
    await make_user(email="joseph@example.org")
    await client.get("/login")
    before = client.cookies.get("harambee")
    await login(client, "joseph@example.org")
    after_login = client.cookies.get("harambee")
    assert after_login and after_login != before
    assert await UserSession.filter().count() == 1
    response = await post_form(client, "/logout", {}, token_from="/home")
    assert response.status_code == 303
    assert not await UserSession.exists()
    assert (await client.get("/home")).status_code == 303


async def test_password_reset_link_works_once(client: httpx.AsyncClient,
                                              settings: Settings) -> None:
    await make_user(email="lucia@example.org", locale="es")
    sent = await post_form(client, "/password-reset", {"email": "lucia@example.org"})
    assert sent.status_code == 200
    link = link_in(await wait_for_mail(settings, "lucia@example.org"))
    form = await client.get(link)
    assert form.status_code == 200
    token = link.split("token=", 1)[1]
    done = await post_form(client, link, {"token": token, "password": "a new long password"},
                           token_from=link)
    assert done.status_code == 303
    await login(client, "lucia@example.org", "a new long password")
    again = await client.get(link)
    assert again.status_code == 400
    assert "Ask for a new one" in again.text or "Pide uno nuevo" in again.text


async def test_password_reset_revokes_the_api_tokens_and_says_so(
        client: httpx.AsyncClient, settings: Settings) -> None:
    user = await make_user(email="lucia@example.org")
    _token, secret = await create_api_token(user, "made by whoever had the old password")
    bearer = {"Authorization": f"Bearer {secret}"}
    assert (await client.get("/api/v1/me", headers=bearer)).status_code == 200
    await post_form(client, "/password-reset", {"email": "lucia@example.org"})
    link = link_in(await wait_for_mail(settings, "lucia@example.org"))
    token = link.split("token=", 1)[1]
    done = await post_form(client, link, {"token": token, "password": "a new long password"},
                           token_from=link)
    assert done.headers["location"] == "/login?reset=tokens"
    told = await client.get(done.headers["location"])
    assert "Your API tokens were revoked too" in told.text
    assert (await client.get("/api/v1/me", headers=bearer)).status_code == 401


async def test_password_reset_for_unknown_email_answers_the_same(
        client: httpx.AsyncClient, settings: Settings) -> None:
    response = await post_form(client, "/password-reset", {"email": "ghost@example.org"})
    assert response.status_code == 200 and "Check your email" in response.text


async def test_forged_or_expired_links_are_refused(client: httpx.AsyncClient) -> None:
    assert (await client.get("/verify-email?token=forged")).status_code == 400
    assert (await client.get("/password-reset/confirm?token=forged")).status_code == 400


async def test_next_redirect_only_goes_to_our_own_paths(client: httpx.AsyncClient) -> None:
    await make_user(email="joseph@example.org")
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example",
                   "javascript:alert(1)"):
        token_page = "/login?next=" + httpx.QueryParams({"n": target})["n"]
        response = await post_form(client, f"/login?{httpx.QueryParams({'next': target})}",
                                   {"email": "joseph@example.org", "password": PASSWORD},
                                   token_from=token_page)
        assert response.status_code == 303
        assert response.headers["location"] == "/home", target
    response = await post_form(client, "/login?next=/account",
                               {"email": "joseph@example.org", "password": PASSWORD})
    assert response.headers["location"] == "/account"


async def test_account_page_updates_preferences_and_manages_tokens(
        client: httpx.AsyncClient) -> None:
    from app.accounts.models import ApiToken

    await make_user(email="joseph@example.org")
    await login(client, "joseph@example.org")
    saved = await post_form(client, "/account", {"display_name": "Joseph O.", "locale": "fr",
                                                 "timezone": "Africa/Kampala",
                                                 "phone": "+256 700 000000"},
                            token_from="/account")
    assert saved.status_code == 303
    user = await User.get(email="joseph@example.org")
    assert (user.display_name, user.locale, user.phone) == ("Joseph O.", "fr", "+256 700 000000")
    assert '<html lang="fr">' in (await client.get("/account")).text

    bad = await post_form(client, "/account", {"display_name": "", "locale": "xx",
                                               "timezone": "UTC"}, token_from="/account")
    assert bad.status_code == 422 and (await User.get(id=user.id)).locale == "fr"

    created = await post_form(client, "/account/tokens", {"name": "reports"},
                              token_from="/account")
    assert created.status_code == 200
    secret = created.text.split('id="token-secret" class="secret" value="', 1)[1].split('"')[0]
    assert secret.startswith("hrb_")
    assert secret not in (await client.get("/account")).text
    token = await ApiToken.get(name="reports")
    assert (await client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
            ).status_code == 200
    await post_form(client, f"/account/tokens/{token.id}/revoke", {}, token_from="/account")
    assert (await client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
            ).status_code == 401
