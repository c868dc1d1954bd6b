"""A call's eligibility rules checked against a co-op's profile: one finding per rule, each
with the reason, so staff see why and applicants can be told in their language.

Rules (all optional; an empty list means "any"):
- countries: the co-op's country is one of them
- commodities: the co-op grows at least one of them
- certifications: the co-op holds at least one of them
- min_members: the co-op has at least this many members
- legal_forms: the co-op's legal form is one of them
Pure functions: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator

from app.forms import Input, invalid
from app.i18n import Msg
from app.i18n import lazy_gettext as _l
from grants.shared import vocab


def _words(value: Any) -> Any:
    """A form sends one ticked box as a string, and countries as "KE, UG TZ"."""
    if isinstance(value, str):
        return [word.upper() if len(word) == 2 else word
                for word in value.replace(",", " ").split()]
    return value


Words = Annotated[list[str], BeforeValidator(_words)]


class Rules(Input):
    countries: Words = Field(default=[], max_length=300)
    commodities: Words = Field(default=[], max_length=50)
    certifications: Words = Field(default=[], max_length=20)
    min_members: int | None = Field(default=None, ge=1, le=10_000_000)
    legal_forms: Words = Field(default=[], max_length=20)

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: list[str]) -> list[str]:
        unknown = [code for code in value if not vocab.is_country(code.upper())]
        if unknown:
            raise invalid(Msg(_l("Use two-letter country codes, such as KE or PE; not: "
                                 "%(codes)s."), codes=", ".join(unknown[:5])))
        return list(dict.fromkeys(code.upper() for code in value))

    @field_validator("commodities", "certifications", "legal_forms")
    @classmethod
    def _known(cls, value: list[str], info: ValidationInfo) -> list[str]:
        known = {"commodities": vocab.COMMODITIES, "certifications": vocab.CERTIFICATIONS,
                 "legal_forms": vocab.LEGAL_FORMS}[str(info.field_name)]
        if any(word not in known for word in value):
            raise invalid(_l("Choose one of the options."))
        return list(dict.fromkeys(value))


@dataclass(frozen=True)
class Profile:
    country: str
    commodities: frozenset[str]
    certifications: frozenset[str]
    members_total: int
    legal_form: str


# Worded without "%(minimum)s members": a finding is stored as one message and its values,
# with no room for plural forms.
TOO_FEW_MEMBERS = _l("This call asks for a membership of at least %(minimum)s; the profile "
                     "gives %(members)s.")
# Findings are stored with their message: a reworded one keeps its translation when read back.
REWORDED = {
    "This call asks for at least %(minimum)s members; the profile gives %(members)s.":
        TOO_FEW_MEMBERS,
}


@dataclass(frozen=True)
class Finding:
    rule: str
    passed: bool
    message: str
    params: dict[str, Any]

    def text(self) -> Msg:
        return Msg(self.message, **self.params)

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "passed": self.passed, "message": self.message,
                "params": self.params}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        message = REWORDED.get(data["message"], data["message"])
        return cls(rule=data["rule"], passed=data["passed"], message=message,
                   params=data.get("params", {}))


def _finding(rule: str, passed: bool, ok: str, failed: str, **params: Any) -> Finding:
    return Finding(rule, passed, ok if passed else failed, params)


def check(rules: Rules, profile: Profile) -> list[Finding]:
    found: list[Finding] = []
    if rules.countries:
        found.append(_finding(
            "countries", profile.country in rules.countries,
            _l("The co-op is in a country this call covers."),
            _l("This call is not open to co-ops in the country given in the profile.")))
    if rules.commodities:
        found.append(_finding(
            "commodities", bool(profile.commodities & set(rules.commodities)),
            _l("The co-op produces a commodity this call covers."),
            _l("The co-op does not produce any of the commodities this call covers.")))
    if rules.certifications:
        found.append(_finding(
            "certifications", bool(profile.certifications & set(rules.certifications)),
            _l("The co-op holds a certification this call asks for."),
            _l("The co-op holds none of the certifications this call asks for.")))
    if rules.min_members is not None:
        found.append(_finding(
            "min_members", profile.members_total >= rules.min_members,
            _l("The co-op has enough members."),
            TOO_FEW_MEMBERS,
            minimum=rules.min_members, members=profile.members_total))
    if rules.legal_forms:
        found.append(_finding(
            "legal_forms", profile.legal_form in rules.legal_forms,
            _l("The co-op's legal form is accepted."),
            _l("This call is not open to organisations of this legal form.")))
    return found


def passes(findings: list[Finding]) -> bool:
    return all(finding.passed for finding in findings)
