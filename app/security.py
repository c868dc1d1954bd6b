"""CSRF, security headers, body-size limits and who is asking (session or API token)."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from python_multipart.exceptions import MultipartParseError
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.csrf import unmask
from app.errors import AppError, Forbidden, TooLarge
from app.i18n import lazy_gettext as _l

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


@dataclass(frozen=True)
class Exemption:
    pattern: str
    reason: str

    def matches(self, path: str) -> bool:
        return re.fullmatch(self.pattern, path) is not None


# Every request that may skip the CSRF check, with why. Nothing else may.
CSRF_EXEMPT: tuple[Exemption, ...] = (
    Exemption(r"/api/.*", "the JSON API authenticates by bearer token only, never by cookie"),
    Exemption(r"/webhooks/stripe", "Stripe signs each webhook: verified on the raw body with "
              "the signing secret, never by cookie"),
    Exemption(r"/x-sim/.*", "development only: the X simulator stands for another site, "
                            "whose forms and token endpoint carry no token of ours"),
)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)

# Routes that need a looser policy, each with why. Only where an issue names one.
STRIPE_CARD_PAGE_CSP = (
    "default-src 'self'; script-src 'self' https://js.stripe.com; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self' https://api.stripe.com; "
    "frame-src https://js.stripe.com https://hooks.stripe.com; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
CSP_EXCEPTIONS: tuple[tuple[Exemption, str], ...] = (
    (Exemption(r"/o/[a-z0-9-]+/sponsor/(card|payments/[0-9]+)", "the card and payment "
               "pages: Stripe's Elements (script and frames) collect the card and confirm the "
               "payment with the cardholder, so the card never touches our server; Stripe's "
               "hosts only"),
     STRIPE_CARD_PAGE_CSP),
)

CSRF_FAILED = _l("Your form expired or came from another site. Reload the page and try again.")

def csrf_exempt(path: str) -> bool:
    return any(exemption.matches(path) for exemption in CSRF_EXEMPT)


def content_security_policy(path: str) -> str:
    for exemption, policy in CSP_EXCEPTIONS:
        if exemption.matches(path):
            return policy
    return CSP


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = content_security_policy(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("content-security-policy", policy)
                headers.setdefault("x-content-type-options", "nosniff")
                headers.setdefault("referrer-policy", "same-origin")
                headers.setdefault("x-frame-options", "DENY")
                headers.setdefault("cross-origin-opener-policy", "same-origin")
                headers.setdefault("permissions-policy", "camera=(), microphone=(), geolocation=()")
                if self.hsts:
                    headers.setdefault("strict-transport-security", "max-age=31536000")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """Refuse bodies over the limit (a larger one for file uploads) before reading them all."""

    def __init__(self, app: ASGIApp, *, max_body: int, max_upload: int,
                 on_error: Callable[[Scope, AppError], Awaitable[ASGIApp]]) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload
        self.on_error = on_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        is_upload = request.headers.get("content-type", "").startswith("multipart/form-data")
        limit = self.max_upload if is_upload else self.max_body
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await (await self.on_error(scope, TooLarge()))(scope, receive, send)
            return
        try:
            body = await read_body(receive, limit)
        except BodyTooLarge:
            await (await self.on_error(scope, TooLarge()))(scope, receive, send)
            return
        if body is not None:  # None: the client has gone
            await self.app(scope, _replay(body), send)


class BodyTooLarge(Exception):
    pass


async def read_body(receive: Receive, limit: int | None = None) -> bytes | None:
    """The whole request body, None if the client left; BodyTooLarge past `limit`."""
    body = bytearray()
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        body += message.get("body", b"")
        more = message.get("more_body", False)
        if limit is not None and len(body) > limit:
            raise BodyTooLarge()
    return bytes(body)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


class CSRFMiddleware:
    """Every unsafe request not on CSRF_EXEMPT must echo the session's token.

    Runs after BodyLimitMiddleware, so the body is already in memory and is replayed.
    """

    def __init__(self, app: ASGIApp, *,
                 on_error: Callable[[Scope, AppError], Awaitable[ASGIApp]]) -> None:
        self.app = app
        self.on_error = on_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] not in UNSAFE_METHODS or csrf_exempt(scope["path"]):
            await self.app(scope, receive, send)
            return
        body = await read_body(receive) or b""
        secret = scope.get("session", {}).get("csrf")
        if not isinstance(secret, str) or not await _token_matches(scope, body, secret):
            await (await self.on_error(scope, Forbidden(CSRF_FAILED, code="csrf_failed")))(
                scope, receive, send)
            return
        await self.app(scope, _replay(body), send)


async def _token_matches(scope: Scope, body: bytes, expected: str) -> bool:
    request = Request(scope, _replay(body))
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            try:
                form = await request.form()
            except (HTTPException, MultiPartException, MultipartParseError):
                # A malformed body carries no token.
                return False
            value = form.get(CSRF_FIELD, "")
            sent = value if isinstance(value, str) else ""
            await form.close()
        elif content_type.startswith("application/json"):
            try:
                data = json.loads(body or b"{}")
            except (ValueError, RecursionError):  # RecursionError: deeply nested arrays
                data = {}
            sent = str(data.get(CSRF_FIELD, "")) if isinstance(data, dict) else ""
    return bool(sent) and secrets.compare_digest(unmask(sent), expected.encode())


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"
