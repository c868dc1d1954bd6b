"""Input and output of the organisation use cases (forms and the JSON API)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, EmailStr, StringConstraints, field_validator

from app.forms import ONE_LINE, CurrencyCode, Input, invalid
from app.i18n import LOCALES
from app.i18n import lazy_gettext as _l
from app.orgs.models import Role
from app.timefmt import is_timezone

Slug = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=3,
                                        max_length=48)]
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])$")
RESERVED_SLUGS = frozenset({"new", "api", "admin", "static", "login", "signup"})


class OrganisationIn(Input):
    slug: Slug
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=160),
                    ONE_LINE]
    default_currency: CurrencyCode = "USD"
    locales: list[str] = ["en"]
    timezone: str = "UTC"

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG_RE.match(value):
            raise invalid(_l("Use lower-case letters, digits and dashes only."))
        if value in RESERVED_SLUGS:
            raise invalid(_l("This address is reserved. Choose another."))
        return value

    @field_validator("locales", mode="before")
    @classmethod
    def _locales(cls, value: object) -> list[str]:
        chosen = [value] if isinstance(value, str) else value
        if not isinstance(chosen, list) or not chosen or any(c not in LOCALES for c in chosen):
            raise invalid(_l("Choose at least one of the languages offered."))
        return list(dict.fromkeys(str(code) for code in chosen))

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        if not is_timezone(value):
            raise invalid(_l("Choose a timezone from the list, such as Africa/Nairobi."))
        return value


class InvitationIn(Input):
    email: EmailStr
    role: Role


class RoleIn(Input):
    role: Role


class OrganisationOut(BaseModel):
    slug: str
    name: str
    default_currency: str
    locales: list[str]
    timezone: str
    role: Role | None = None


class MemberOut(BaseModel):
    id: int
    user_id: int
    display_name: str
    role: Role


class InvitationOut(BaseModel):
    id: int
    email: str
    role: Role
