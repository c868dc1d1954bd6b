"""What the `harambee` admin commands do, on a database opened for the command."""

from __future__ import annotations

import sys

from app import audit
from app.accounts import service as accounts
from app.accounts.models import User
from app.accounts.passwords import MIN_LENGTH, hash_password
from app.db import atomic, close_db, init_db
from app.orgs.models import Membership, Organisation, Role
from app.settings import Settings
from app.timefmt import now


async def _open(settings: Settings) -> None:
    await init_db(settings.database_url)


async def create_org(settings: Settings, slug: str, name: str) -> int:
    await _open(settings)
    try:
        if await Organisation.exists(slug=slug):
            print(f"An organisation with slug {slug!r} already exists.", file=sys.stderr)
            return 1
        async with atomic():
            org = await Organisation.create(slug=slug, name=name, locales=["en", "es"])
            await audit.record(verb="organisation.created", obj=org, actor_id=None,
                               organisation_id=org.id)
        print(f"Created organisation {slug}.")
        return 0
    finally:
        await close_db()


async def ensure_user(settings: Settings, email: str, password: str, name: str,
                      locale: str = "en", timezone: str = "UTC") -> User:
    """A verified user with this email, created if missing (used by the CLI and the demo).
    An existing person keeps their password: a script must not take over an account."""
    email = accounts.normalise_email(email)
    user = await User.get_or_none(email=email)
    if user is None:
        user = await User.create(
            email=email, display_name=name, locale=locale, timezone=timezone,
            password_hash=await hash_password(password, cheap=settings.argon2_cheap),
            email_verified_at=now(),
        )
        await audit.record(verb="user.created", obj=user, actor_id=None)
    return user


async def add_member(org: Organisation, user: User, role: Role) -> Membership:
    """The user's membership of `org`: created with `role` if missing, left alone if not."""
    membership, created = await Membership.get_or_create(
        organisation=org, user=user, defaults={"role": role})
    if created:
        await audit.record(verb="membership.created", obj=membership, actor_id=None,
                           organisation_id=org.id)
    return membership


async def create_user(settings: Settings, email: str, password: str, slug: str, role: str,
                      name: str | None) -> int:
    if len(password) < MIN_LENGTH:
        print(f"The password (read from stdin) needs at least {MIN_LENGTH} characters.",
              file=sys.stderr)
        return 2
    await _open(settings)
    try:
        org = await Organisation.get_or_none(slug=slug)
        if org is None:
            print(f"No organisation with slug {slug!r}.", file=sys.stderr)
            return 1
        async with atomic():
            existed = await User.exists(email=accounts.normalise_email(email))
            user = await ensure_user(settings, email, password, name or email.split("@")[0])
            membership = await add_member(org, user, Role(role))
        if existed:
            print(f"{user.email} already had an account: its password is unchanged.")
        print(f"{user.email} is {membership.role} of {slug}.")
        return 0
    finally:
        await close_db()


async def create_token(settings: Settings, email: str, name: str) -> int:
    await _open(settings)
    try:
        user = await User.get_or_none(email=accounts.normalise_email(email))
        if user is None:
            print(f"No user with email {email!r}.", file=sys.stderr)
            return 1
        _, secret = await accounts.create_api_token(user, name)
        print(secret)
        return 0
    finally:
        await close_db()

