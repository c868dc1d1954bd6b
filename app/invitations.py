"""Invitations sent by mail (to an organisation, to act for a co-op): the signed link, the
check that the person accepting is the one invited, and accepting only once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from tortoise.models import Model

from app.accounts import tokens
from app.accounts.models import User
from app.accounts.service import email_digest, normalise_email
from app.errors import AppError, Forbidden, TooManyRequests
from app.i18n import lazy_gettext as _l
from app.settings import Settings
from app.throttle import Throttle
from app.timefmt import now

T = TypeVar("T")
INVITATION_DEAD = _l("This invitation is invalid, expired or already used. Ask for a new one.")
WRONG_ADDRESS = _l("This invitation was sent to another email address. "
                   "Sign in with that address to accept it.")


UNVERIFIED_INVITER = _l("Confirm your email address before you invite anyone: open the link "
                        "we sent you, or ask for a new one on your home page.")
TOO_MANY_INVITATIONS = _l("You have sent many invitations in a short time. "
                          "Please wait an hour and try again.")
TOO_MANY_TO_ONE = _l("This address has been invited several times today. "
                     "Please wait until tomorrow, or ask the person to check their spam folder.")
# Each invitation mails a stranger text that the inviter chose (a co-op's or an
# organisation's name): a verified sender, and a few a day, keep Harambee from relaying spam.
INVITATIONS_PER_HOUR = 20
INVITATIONS_PER_ADDRESS_PER_DAY = 3


async def may_invite(throttle: Throttle, inviter: User, email: str) -> None:
    """Refuse an unverified inviter, or one who has invited too often, or too often one person."""
    if not inviter.is_verified:
        raise Forbidden(UNVERIFIED_INVITER, code="email_unverified",
                        fields={"email": UNVERIFIED_INVITER})
    if await throttle.hit(f"invite:by:{inviter.id}", 3600) > INVITATIONS_PER_HOUR:
        raise TooManyRequests(TOO_MANY_INVITATIONS, fields={"email": TOO_MANY_INVITATIONS})
    to_one = await throttle.hit(f"invite:to:{email_digest(email)}", 24 * 3600)
    if to_one > INVITATIONS_PER_ADDRESS_PER_DAY:
        raise TooManyRequests(TOO_MANY_TO_ONE, fields={"email": TOO_MANY_TO_ONE})


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
