"""Plain async factories and helpers shared by the tests."""

from __future__ import annotations

import asyncio
import email
import inspect
import re
from collections.abc import Callable
from email.message import Message
from pathlib import Path
from typing import Any

import httpx

from app.accounts.models import User
from app.accounts.passwords import hash_password_now
from app.orgs.models import Membership, Organisation, Role
from app.settings import Settings
from app.timefmt import now

PASSWORD = "correct horse battery"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


async def make_user(*, email: str = "wanjiru@example.org", password: str = PASSWORD,
                    name: str = "Wanjiru", locale: str = "en", verified: bool = True) -> User:
    return await User.create(email=email, display_name=name, locale=locale,
                             password_hash=hash_password_now(password, cheap=True),
                             email_verified_at=now() if verified else None)


async def make_org(*, slug: str = "mlima-fund", name: str = "Mlima Fund",
                   owner: User | None = None, locales: list[str] | None = None) -> Organisation:
    org = await Organisation.create(slug=slug, name=name, locales=locales or ["en", "es"])
    if owner is not None:
        await Membership.create(organisation=org, user=owner, role=Role.OWNER)
    return org


async def add_member(org: Organisation, user: User, role: Role) -> Membership:
    return await Membership.create(organisation=org, user=user, role=role)


async def csrf_token(client: httpx.AsyncClient, path: str = "/login") -> str:
    response = await client.get(path)
    match = CSRF_RE.search(response.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


async def post_form(client: httpx.AsyncClient, path: str, data: dict[str, Any],
                    *, token_from: str = "/login") -> httpx.Response:
    token = await csrf_token(client, token_from)
    return await client.post(path, data={**data, "csrf_token": token})


async def login(client: httpx.AsyncClient, user_email: str, password: str = PASSWORD) -> None:
    response = await post_form(client, "/login", {"email": user_email, "password": password})
    assert response.status_code == 303, response.text


async def eventually(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Poll `check` (sync or async) until it returns something truthy (jobs run elsewhere)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


def outbox(settings: Settings) -> list[Message]:
    folder: Path = settings.outbox_dir
    if not folder.exists():
        return []
    return [email.message_from_bytes(path.read_bytes()) for path in sorted(folder.glob("*.eml"))]


def mail_text(message: Message) -> str:
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    return body.decode()


def mail_texts(settings: Settings, to: str) -> list[str]:
    """The bodies of every mail sent to `to` (the outbox is not in sending order)."""
    return [mail_text(m) for m in outbox(settings) if m["To"] == to]


async def wait_for_mail(settings: Settings, to: str, count: int = 1) -> Message:
    async def found() -> list[Message]:
        messages = [m for m in outbox(settings) if m["To"] == to]
        return messages if len(messages) >= count else []

    return (await eventually(found))[-1]


def link_in(message: Message, base_url: str = "http://testserver") -> str:
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    match = re.search(re.escape(base_url) + r"(/\S+)", body.decode())
    assert match, "no link in the mail"
    return match.group(1)
