"""Input and output of the grants use cases, shared by the HTML forms and the JSON API.

Amounts are ints of minor units (`*_minor`); a form may send what a person typed
("1,500.50"), which is read in the currency given in the validation context.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    EmailStr,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from app.forms import (
    ONE_LINE,
    TEXT_BLOCK,
    CurrencyCode,
    Id,
    Input,
    Minor,
    StringList,
    invalid,
    one_line,
    per_locale,
    utc_moment,
)
from app.i18n import LOCALES
from app.i18n import lazy_gettext as _l
from app.timefmt import is_timezone
from grants import vocab
from grants.eligibility import Rules
from grants.formdef import KEY_RE, FormDef
from grants.models import ApplicationStatus, CallStatus
from grants.rubric import DEFAULT_RUBRIC, Rubric

OneLine = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), ONE_LINE]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200),
                 ONE_LINE]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10000),
                     TEXT_BLOCK]
class FundIn(Input):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=160),
                    ONE_LINE]
    currency: CurrencyCode
    description: LongText = ""


class CreditIn(Input):
    amount_minor: Minor
    source: str = "donation"
    reference: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                max_length=150), ONE_LINE]


def _json_box(value: Any, problem: str) -> Any:
    """The staff form's JSON boxes arrive as text; the API sends objects."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except (ValueError, RecursionError):
            raise invalid(problem) from None
    return value


class CallIn(Input):
    fund_id: Id
    title: dict[str, str]
    description: dict[str, str] = {}
    timezone: str = "UTC"
    opens_at: datetime
    closes_at: datetime
    budget_minor: Minor
    min_request_minor: Minor
    max_request_minor: Minor
    categories: StringList = Field(default=[], max_length=20)
    custom_categories: Annotated[str, StringConstraints(max_length=2000), TEXT_BLOCK] = ""
    eligibility: Rules = Rules()
    form: FormDef
    identifying_fields: StringList = []
    indicators: StringList = Field(default=[], max_length=20)   # keys of the catalogue
    reviews_per_application: int = Field(default=3, ge=1, le=10)
    blind: bool = False
    rubric: Rubric = Rubric.model_validate(DEFAULT_RUBRIC)

    @field_validator("title", "description", mode="before")
    @classmethod
    def _per_locale(cls, value: Any) -> dict[str, str]:
        return per_locale(value)

    @field_validator("title")
    @classmethod
    def _title(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise invalid(_l("Give a title in at least one language."))
        value = {code: " ".join(text.split()) for code, text in value.items()}
        if any(len(text) > 200 for text in value.values()):
            raise invalid(_l("Use at most 200 characters."))
        return value

    @field_validator("description")
    @classmethod
    def _description(cls, value: dict[str, str]) -> dict[str, str]:
        if any(len(text) > 10000 for text in value.values()):
            raise invalid(_l("Use at most 10000 characters."))
        return value

    @field_validator("form", mode="before")
    @classmethod
    def _form_text(cls, value: Any) -> Any:
        return _json_box(value, _l("The form definition is not valid JSON."))

    @field_validator("rubric", mode="before")
    @classmethod
    def _rubric_text(cls, value: Any) -> Any:
        return _json_box(value, _l("The rubric is not valid JSON."))

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        if not is_timezone(value):
            raise invalid(_l("Choose a timezone from the list, such as Africa/Nairobi."))
        return value

    @model_validator(mode="after")
    def _categories(self) -> CallIn:
        """The standard categories ticked, and custom ones typed one per line."""
        typed = [*self.categories, *self.custom_categories.splitlines()]
        cleaned = list(dict.fromkeys(one_line(v) for v in typed if v.strip()))
        if not cleaned:
            raise invalid(_l("Choose at least one challenge category."))
        if len(cleaned) > 20 or any(len(v) > 64 for v in cleaned):
            raise invalid(_l("Use at most 20 categories of at most 64 characters."))
        self.categories, self.custom_categories = cleaned, ""
        return self

    @field_validator("identifying_fields")
    @classmethod
    def _keys(cls, value: list[str]) -> list[str]:
        if any(not KEY_RE.match(key) for key in value):
            raise invalid(_l("Use the keys of the form's fields."))
        return list(dict.fromkeys(value))

    @model_validator(mode="after")
    def _consistent(self) -> CallIn:
        zone = ZoneInfo(self.timezone)
        self.opens_at = utc_moment(self.opens_at, zone)
        self.closes_at = utc_moment(self.closes_at, zone)
        if self.closes_at <= self.opens_at:
            raise invalid(_l("The call must close after it opens."))
        if self.min_request_minor > self.max_request_minor:
            raise invalid(_l("The smallest request cannot be larger than the largest."))
        if self.max_request_minor > self.budget_minor:
            raise invalid(_l("The largest request cannot be larger than the budget."))
        if self.min_request_minor == 0:
            raise invalid(_l("The smallest request must be more than zero."))
        return self


class CertificationIn(BaseModel):
    scheme: str
    identifier: OneLine = ""


class CooperativeIn(Input):
    legal_name: Name
    country: Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True)]
    region: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120),
                      ONE_LINE] = ""
    legal_form: str
    commodities: StringList = Field(min_length=1, max_length=20)
    members_total: int = Field(ge=1, le=10_000_000)
    members_women: int = Field(default=0, ge=0, le=10_000_000)
    members_youth: int = Field(default=0, ge=0, le=10_000_000)
    certifications: list[CertificationIn] = Field(default=[], max_length=10)
    year_founded: int | None = Field(default=None, ge=1800, le=2100)
    network: Annotated[str, StringConstraints(strip_whitespace=True, max_length=160),
                       ONE_LINE] = ""

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        if not vocab.is_country(value):
            raise invalid(_l("Choose a country from the list."))
        return value

    @field_validator("legal_form")
    @classmethod
    def _legal_form(cls, value: str) -> str:
        if value not in vocab.LEGAL_FORMS:
            raise invalid(_l("Choose one of the options."))
        return value

    @field_validator("commodities")
    @classmethod
    def _commodities(cls, value: list[str]) -> list[str]:
        if any(v not in vocab.COMMODITIES for v in value):
            raise invalid(_l("Choose one of the options."))
        return list(dict.fromkeys(value))

    @field_validator("certifications", mode="before")
    @classmethod
    def _from_form(cls, value: Any) -> Any:
        """The form sends {scheme: {"held": "1", "identifier": "..."}}; JSON sends a list."""
        if isinstance(value, dict):
            return [{"scheme": scheme, "identifier": (entry or {}).get("identifier", "")}
                    for scheme, entry in value.items()
                    if isinstance(entry, dict) and entry.get("held")]
        return value

    @field_validator("certifications")
    @classmethod
    def _schemes(cls, value: list[CertificationIn]) -> list[CertificationIn]:
        if any(c.scheme not in vocab.CERTIFICATIONS for c in value):
            raise invalid(_l("Choose one of the options."))
        return list({c.scheme: c for c in value}.values())

    @model_validator(mode="after")
    def _members(self) -> CooperativeIn:
        if self.members_women > self.members_total or self.members_youth > self.members_total:
            raise invalid(_l("Women and youth members are counted within the total."))
        return self


class ContactIn(Input):
    email: EmailStr


def _language(value: str) -> str:
    if value not in LOCALES:
        raise invalid(_l("Choose one of the languages offered."))
    return value


Language = Annotated[str, AfterValidator(_language)]


class ApplicationIn(Input):
    call_id: Id
    cooperative_id: Id
    language: Language | None = None


class ApplicationPatch(Input):
    """A draft's changes: only what is sent is changed; an answer sent blank is cleared."""

    title: OneLine | None = None
    category: Annotated[str, StringConstraints(max_length=64), ONE_LINE] | None = None
    language: Language | None = None
    requested_minor: Minor | None = None
    answers: dict[str, Any] = Field(default={}, max_length=100)


class ReasonIn(Input):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=2000), TEXT_BLOCK]


class ChangesIn(Input):
    comments: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                               max_length=4000), TEXT_BLOCK]
    deadline: datetime
    timezone: str = "UTC"

    @model_validator(mode="after")
    def _aware_deadline(self) -> ChangesIn:
        if not is_timezone(self.timezone):
            raise invalid(_l("Choose a timezone from the list, such as Africa/Nairobi."))
        self.deadline = utc_moment(self.deadline, ZoneInfo(self.timezone))
        return self


# -- output ---------------------------------------------------------------------------------

class FundOut(BaseModel):
    id: int
    name: str
    currency: str
    balance_minor: int
    budgeted_minor: int
    awarded_minor: int


class CallOut(BaseModel):
    id: int
    fund_id: Id
    status: CallStatus
    title: dict[str, str]
    description: dict[str, str]
    opens_at: datetime
    closes_at: datetime
    currency: str
    budget_minor: int
    min_request_minor: int
    max_request_minor: int
    categories: list[str]
    eligibility: dict[str, Any]
    form: dict[str, Any]
    identifying_fields: list[str]
    reviews_per_application: int
    blind: bool
    rubric: dict[str, Any]


class CooperativeOut(BaseModel):
    id: int
    legal_name: str
    country: str
    region: str
    legal_form: str
    commodities: list[str]
    members_total: int
    members_women: int
    members_youth: int
    certifications: list[CertificationIn]
    year_founded: int | None
    network: str | None


class MessageOut(BaseModel):
    kind: str
    body: str
    created_at: datetime


class ApplicationOut(BaseModel):
    id: int
    call_id: Id
    cooperative_id: Id
    status: ApplicationStatus
    title: str
    category: str
    language: str
    currency: str
    requested_minor: int | None
    answers: dict[str, Any]
    version: int
    deadline: datetime
    submitted_at: datetime | None
    messages: list[MessageOut] = []
