"""Who is asking, and in which language: the session's user (pages) or a bearer token (API)."""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from app import i18n
from app.accounts.service import user_for_api_token, user_for_session
from app.urls import API_PREFIX


class AuthLocaleMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        session = scope.setdefault("session", {})
        if scope["path"].startswith(API_PREFIX):
            scheme, _, secret = connection.headers.get("authorization", "").partition(" ")
            user = await user_for_api_token(secret.strip()) if scheme.lower() == "bearer" else None
        else:
            sid = session.get("sid")
            user = await user_for_session(sid) if isinstance(sid, str) else None
            if user is None and sid is not None:
                session.pop("sid", None)
        scope["user"] = user
        query_lang = connection.query_params.get("lang")
        if query_lang in i18n.LOCALES and session.get("lang") != query_lang:
            session["lang"] = query_lang
        locale = i18n.negotiate(
            user_locale=user.locale if user else None,
            query_lang=query_lang,
            session_lang=session.get("lang"),
            accept_language=connection.headers.get("accept-language", ""),
        )
        i18n.set_locale(locale)
        scope.setdefault("state", {})["locale"] = locale
        await self.app(scope, receive, send)
