"""Account pages: sign-up, login, logout, verification, password reset, the account page."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.accounts import service
from app.accounts.models import User
from app.accounts.schemas import (
    LoginIn,
    PasswordResetIn,
    PasswordResetRequestIn,
    ProfileIn,
    SignUpIn,
    TokenIn,
)
from app.csrf import new_csrf_token
from app.i18n import current_locale
from app.security import client_ip
from app.templating import render
from app.timefmt import common_timezones
from app.urls import url
from app.web import form_page, redirect, require_user, safe_next, settings_of


async def _sign_in(request: Request, session_key: str) -> None:
    """Rotate the session: a fresh cookie key and CSRF token, nothing kept from before."""
    lang = request.session.get("lang")
    request.session.clear()
    request.session.update({"sid": session_key, "csrf": new_csrf_token()})
    if lang:
        request.session["lang"] = lang


async def signup(request: Request) -> Response:
    target = safe_next(request.query_params.get("next"), default=url("home", query={"welcome": 1}))

    async def act(data: SignUpIn) -> Response:
        _user, key = await service.sign_up(settings_of(request), data)
        await _sign_in(request, key)
        return redirect(target)

    return await form_page(request, "accounts/signup.html", SignUpIn, act, {
        "timezones": common_timezones(), "default_locale": current_locale(), "next": target,
    })


async def login(request: Request) -> Response:
    target = safe_next(request.query_params.get("next"))

    settings = settings_of(request)

    async def act(data: LoginIn) -> Response:
        user = await service.authenticate(settings, request.app.state.throttle,
                                          email=data.email, password=data.password,
                                          ip=client_ip(request),
                                          device=request.cookies.get(service.DEVICE_COOKIE))
        await _sign_in(request, await service.start_session(user))
        response = redirect(target)
        response.set_cookie(service.DEVICE_COOKIE, service.device_cookie(settings, user.email),
                            max_age=service.DEVICE_SECONDS, httponly=True,
                            secure=settings.production, samesite="lax")
        return response

    return await form_page(request, "accounts/login.html", LoginIn, act, {"next": target})


async def logout(request: Request) -> Response:
    if request.method != "POST":
        return render(request, "accounts/logout.html")
    sid = request.session.get("sid")
    if isinstance(sid, str):
        await service.end_session(sid)
    request.session.clear()
    request.session["csrf"] = new_csrf_token()
    return redirect(url("landing"))


async def verify_email(request: Request) -> Response:
    await service.verify_email(settings_of(request), request.query_params.get("token", ""))
    return render(request, "accounts/verified.html")


async def resend_verification(request: Request) -> Response:
    await service.resend_verification(require_user(request))
    return redirect(url("home", query={"sent": 1}))


async def password_reset(request: Request) -> Response:
    async def act(data: PasswordResetRequestIn) -> Response:
        await service.request_password_reset(str(data.email))
        return render(request, "accounts/password_reset_sent.html")

    return await form_page(request, "accounts/password_reset.html", PasswordResetRequestIn, act)


async def password_reset_confirm(request: Request) -> Response:
    settings = settings_of(request)
    token = request.query_params.get("token", "")
    if request.method != "POST":  # a dead link says so at once; a POST checks its own token
        await service.user_for_reset_token(settings, token)

    async def act(data: PasswordResetIn) -> Response:
        revoked = await service.reset_password(settings, data)
        request.session.clear()
        return redirect(url("accounts:login", query={"reset": "tokens" if revoked else 1}))

    return await form_page(request, "accounts/password_reset_confirm.html", PasswordResetIn, act,
                           {"token": token})


async def _account_context(user: User) -> dict[str, object]:
    return {"user": user, "timezones": common_timezones(),
            "tokens": await service.list_api_tokens(user)}


async def account(request: Request) -> Response:
    user = require_user(request)

    async def act(data: ProfileIn) -> Response:
        await service.update_profile(user, data)
        return redirect(url("accounts:account", query={"saved": 1}))

    return await form_page(request, "accounts/account.html", ProfileIn, act,
                           await _account_context(user))


async def create_token(request: Request) -> Response:
    user = require_user(request)

    async def act(data: TokenIn) -> Response:
        token, secret = await service.create_api_token(user, data.name)
        page = render(request, "accounts/token_created.html", {"token": token, "secret": secret})
        page.headers["cache-control"] = "no-store"  # the secret is shown once, never cached
        return page

    return await form_page(request, "accounts/account.html", TokenIn, act,
                           await _account_context(user))


async def revoke_token(request: Request) -> Response:
    await service.revoke_api_token(require_user(request), request.path_params["token_id"])
    return redirect(url("accounts:account", query={"revoked": 1}))
