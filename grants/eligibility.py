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
from typing import Any

from pydantic import Field

from app.forms import Input
from app.i18n import Msg
from app.i18n import lazy_gettext as _l


class Rules(Input):
    countries: list[str] = Field(default=[], max_length=300)
    commodities: list[str] = Field(default=[], max_length=50)
    certifications: list[str] = Field(default=[], max_length=20)
    min_members: int | None = Field(default=None, ge=1, le=10_000_000)
    legal_forms: list[str] = Field(default=[], max_length=20)


@dataclass(frozen=True)
class Profile:
    country: str
    commodities: frozenset[str]
    certifications: frozenset[str]
    members_total: int
    legal_form: str


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
        return cls(rule=data["rule"], passed=data["passed"], message=data["message"],
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
            _l("This call asks for at least %(minimum)s members; the profile gives %(members)s."),
            minimum=rules.min_members, members=profile.members_total))
    if rules.legal_forms:
        found.append(_finding(
            "legal_forms", profile.legal_form in rules.legal_forms,
            _l("The co-op's legal form is accepted."),
            _l("This call is not open to organisations of this legal form.")))
    return found


def passes(findings: list[Finding]) -> bool:
    return all(finding.passed for finding in findings)
