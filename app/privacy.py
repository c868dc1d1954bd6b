"""A person's data: everything Harambee holds about them, downloaded as one ZIP (a JSON file
and their files), and their account deleted on request.

Each domain says what it holds about a user in its own `privacy` module (PRIVACY_MODULES,
named like the task modules): `export(user) -> Section`, `blocker(user)` (a reason the
account cannot go yet, or None) and `erase(user, replacement)`. What is matched by email
address (invitations, pledges) only when the address was verified.
Deleting an account erases what is personal and keeps the records the law requires — the
ledger, payments, decisions, the audit trail — which from then on point to an anonymised
user: no email, no name, no password, no phone, no sessions, no tokens. Someone who is the
only owner of an organisation hands it over first.
"""

from __future__ import annotations

import importlib
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from app import audit, timefmt
from app.accounts.models import ApiToken, User, UserSession
from app.accounts.passwords import verify_password
from app.db import atomic
from app.errors import Conflict, Invalid
from app.i18n import lazy_gettext as _l
from app.orgs.models import Invitation, Membership, Role
from app.registry import PRIVACY_MODULES
from app.storage import Storage

ERASED_NAME = "—"
UNUSABLE_PASSWORD = "!erased"          # no hash: nothing verifies against it


@dataclass(frozen=True)
class StoredFile:
    path: str               # where it goes in the ZIP, under files/
    storage_key: str


@dataclass
class Section:
    data: dict[str, Any] = field(default_factory=dict)
    files: list[StoredFile] = field(default_factory=list)




def _modules(names: Sequence[str]) -> list[Any]:
    return [importlib.import_module(name) for name in names]


def replacement_email(user: User) -> str:
    """The address an erased account keeps (unique, never deliverable)."""
    return f"erased-{user.id}@erased.invalid"


async def _account_section(user: User) -> Section:
    memberships = await Membership.filter(  # unscoped: the user's own, every organisation
        user_id=user.id).select_related("organisation")
    tokens = await ApiToken.filter(user_id=user.id).order_by("id")
    events = await audit.AuditEvent.filter(actor_id=user.id).order_by("id").values(
        "verb", "object_type", "object_id", "created_at")
    return Section(data={
        "user": {"email": user.email, "display_name": user.display_name,
                 "locale": user.locale, "timezone": user.timezone, "phone": user.phone,
                 "email_verified_at": user.email_verified_at, "created_at": user.created_at},
        "memberships": [{"organisation": m.organisation.slug, "role": str(m.role)}
                        for m in memberships],
        "api_tokens": [{"name": t.name, "prefix": t.prefix, "created_at": t.created_at,
                        "last_used_at": t.last_used_at, "revoked_at": t.revoked_at}
                       for t in tokens],
        "actions": events,
    })


def _json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


async def export_zip(user: User, storage: Storage,
                     modules: Sequence[str] = PRIVACY_MODULES) -> bytes:
    """harambee-export.json and files/…: everything held about the user, in one ZIP."""
    sections = {"account": await _account_section(user)}
    for module in _modules(modules):
        sections[module.__name__.split(".")[0]] = await module.export(user)
    document = {"exported_at": timefmt.now(), **{name: s.data for name, s in sections.items()}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("harambee-export.json",
                         json.dumps(document, default=_json, ensure_ascii=False, indent=1))
        for section in sections.values():
            for stored in section.files:
                try:
                    archive.writestr(f"files/{stored.path}", await storage.get(stored.storage_key))
                except FileNotFoundError:
                    archive.writestr(f"files/{stored.path}.missing.txt", "")
    return buffer.getvalue()


async def _keep_an_owner(user: User) -> None:
    """Refuse when the user is an organisation's only owner; the owners' rows are locked, so
    two owners leaving at once cannot both go."""
    owned = await Membership.filter(  # unscoped: the user's own, every organisation
        user_id=user.id, role=Role.OWNER).values_list("organisation_id", flat=True)
    for org_id in owned:
        owners = await Membership.filter(  # unscoped: that organisation's owners, by id
            organisation_id=org_id, role=Role.OWNER).select_for_update()
        if len(owners) == 1:
            raise Conflict(_l("You are the only owner of an organisation: make someone else "
                              "its owner first."), code="sole_owner")


async def erase_account(user: User, password: str, *, cheap: bool,
                        modules: Sequence[str] = PRIVACY_MODULES) -> None:
    """Delete the account at its owner's request (the password confirms it is them)."""
    if not await verify_password(user.password_hash, password, cheap=cheap):
        raise Invalid(fields={"password": _l("This is not your password.")})
    replacement = replacement_email(user)
    loaded = _modules(modules)
    for module in loaded:
        reason = await module.blocker(user)
        if reason is not None:
            raise Conflict(reason, code="blocked")
    async with atomic():
        await _keep_an_owner(user)
        for module in loaded:
            await module.erase(user, replacement)
        await Membership.filter(user_id=user.id).delete()  # unscoped: theirs, everywhere
        if user.email_verified_at:    # an address someone proved is theirs
            await Invitation.filter(email=user.email).delete()  # unscoped: addressed to them
        await UserSession.filter(user_id=user.id).delete()
        await ApiToken.filter(user_id=user.id).delete()
        user.email, user.display_name, user.phone = replacement, ERASED_NAME, None
        user.password_hash, user.email_verified_at = UNUSABLE_PASSWORD, None
        await user.save()
        await audit.record(verb="user.erased", obj=user, actor_id=user.id)
