"""Input of the account use cases, shared by the HTML forms and the JSON API."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, EmailStr, Field, StringConstraints, field_validator

from app.accounts.passwords import MIN_LENGTH
from app.forms import ONE_LINE, Input, invalid
from app.i18n import LOCALES
from app.i18n import lazy_gettext as _l
from app.timefmt import is_timezone

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
                 ONE_LINE]
Password = Annotated[str, Field(min_length=MIN_LENGTH, max_length=256)]


def _check_locale(value: str) -> str:
    if value not in LOCALES:
        raise invalid(_l("Choose one of the languages offered."))
    return value


def _check_timezone(value: str) -> str:
    if not is_timezone(value):
        raise invalid(_l("Choose a timezone from the list, such as Africa/Nairobi."))
    return value


class SignUpIn(Input):
    email: EmailStr
    password: Password
    display_name: Name
    locale: str = "en"
    timezone: str = "UTC"

    _locale = field_validator("locale")(_check_locale)
    _timezone = field_validator("timezone")(_check_timezone)


class LoginIn(Input):
    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=254),
                     ONE_LINE]
    password: Annotated[str, Field(min_length=1, max_length=256)]


class PasswordResetRequestIn(Input):
    email: EmailStr


class PasswordResetIn(Input):
    token: str
    password: Password


class ProfileIn(Input):
    display_name: Name
    locale: str
    timezone: str
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=32,
                                            pattern=r"^\+?[0-9 ()-]{6,32}$")] | None = None

    _locale = field_validator("locale")(_check_locale)
    _timezone = field_validator("timezone")(_check_timezone)


class TokenIn(Input):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80),
                    ONE_LINE]


class UserOut(BaseModel):
    id: int
    email: str
    display_name: str
    locale: str
    timezone: str
    verified: bool


class TokenOut(BaseModel):
    id: int
    name: str
    prefix: str
    token: str | None = Field(default=None, description="The secret, present only when created")
