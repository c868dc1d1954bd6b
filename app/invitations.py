"""Invitations sent by mail (to an organisation, to act for a co-op): the signed link, the
check that the person accepting is the one invited, and accepting only once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from tortoise.models import Model

from app.accounts import tokens
from app.accounts.models import User
from app.accounts.service import normalise_email
from app.errors import AppError, Forbidden
from app.i18n import lazy_gettext as _l
from app.settings import Settings
from app.timefmt import now

T = TypeVar("T")
INVITATION_DEAD = _l("This invitation is invalid, expired or already used. Ask for a new one.")
WRONG_ADDRESS = _l("This invitation was sent to another email address. "
                   "Sign in with that address to accept it.")


def dead_invitation() -> AppError:
    return AppError(INVITATION_DEAD, code="invitation_invalid", status_code=400)


async def from_token(settings: Settings, purpose: str, token: str, key: str,
                     fetch: Callable[[Any], Awaitable[T | None]]) -> T:
    """The live invitation a signed link names (`fetch` finds it by the id under `key`)."""
    payload = tokens.unsign(settings, purpose, token)
    found = await fetch(payload.get(key)) if payload is not None else None
    if found is None:
        raise dead_invitation()
    return found


def check_addressee(user: User, email: str) -> None:
    if normalise_email(user.email) != email:
        raise Forbidden(WRONG_ADDRESS)


async def claim(model: type[Model], invitation_id: int) -> None:
    """Mark it accepted, once: a second, concurrent acceptance finds it taken."""
    unclaimed = model.filter(id=invitation_id, accepted_at=None)  # unscoped: by its own id
    if not await unclaimed.update(accepted_at=now()):
        raise dead_invitation()
