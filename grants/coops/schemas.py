"""Input and output of the co-ops' use cases: a profile, its certifications, a contact."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    EmailStr,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from app.forms import (
    ONE_LINE,
    Input,
    StringList,
    invalid,
)
from app.i18n import lazy_gettext as _l
from grants.shared import vocab
from grants.shared.schemas import Name, OneLine


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
