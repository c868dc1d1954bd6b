"""Input and output of the calls' use cases, shared by the call form and the JSON API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from app.forms import (
    TEXT_BLOCK,
    Id,
    Input,
    Minor,
    StringList,
    invalid,
    one_line,
    per_locale,
    utc_moment,
)
from app.i18n import lazy_gettext as _l
from app.timefmt import is_timezone
from grants.calls.eligibility import Rules
from grants.calls.formdef import KEY_RE, FormDef
from grants.calls.statuses import CallStatus
from grants.review.rubric import DEFAULT_RUBRIC, Rubric
from grants.shared.schemas import _json_box


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
