"""Input and output of review, ranking and decisions, shared by the HTML forms and the API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints, field_validator, model_validator

from app.forms import TEXT_BLOCK, Id, Input, Minor, StringList, invalid, one_line
from app.i18n import LOCALES
from app.i18n import lazy_gettext as _l
from grants.review.statuses import Confidence, DecisionKind, Recommendation, ReviewStatus
from grants.shared import vocab

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000),
                   TEXT_BLOCK]
Comment = Annotated[str, StringConstraints(strip_whitespace=True, max_length=8000), TEXT_BLOCK]


class ReviewerProfileIn(Input):
    languages: StringList = Field(min_length=1, max_length=len(LOCALES))
    countries: StringList = Field(default=[], max_length=60)
    regions: Annotated[str, StringConstraints(max_length=2000), TEXT_BLOCK] = ""
    commodities: StringList = Field(default=[], max_length=20)
    categories: StringList = Field(default=[], max_length=30)
    max_load: int = Field(default=10, ge=1, le=200)

    @field_validator("countries", mode="before")
    @classmethod
    def _typed(cls, value: Any) -> Any:
        """A form types the countries on one line: "KE UG TZ"."""
        return value.replace(",", " ").split() if isinstance(value, str) else value

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        if any(code not in LOCALES for code in value):
            raise invalid(_l("Choose one of the languages offered."))
        return list(dict.fromkeys(value))

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: list[str]) -> list[str]:
        value = [code.upper() for code in value]
        if any(not vocab.is_country(code) for code in value):
            raise invalid(_l("Choose a country from the list."))
        return list(dict.fromkeys(value))

    @field_validator("commodities")
    @classmethod
    def _commodities(cls, value: list[str]) -> list[str]:
        if any(v not in vocab.COMMODITIES for v in value):
            raise invalid(_l("Choose one of the options."))
        return list(dict.fromkeys(value))

    @field_validator("categories")
    @classmethod
    def _categories(cls, value: list[str]) -> list[str]:
        cleaned = [one_line(v) for v in value if v.strip()]
        if any(len(v) > 64 for v in cleaned):
            raise invalid(_l("Use at most 64 characters."))
        return list(dict.fromkeys(cleaned))

    def region_list(self) -> list[str]:
        return list(dict.fromkeys(one_line(line)[:120] for line in self.regions.splitlines()
                                  if line.strip()))[:30]


class ConflictIn(Input):
    """A conflict declared by a reviewer or recorded by staff: with an application, or (a
    tie) with a co-op and so all its applications."""

    reason: Reason
    application_id: Id | None = None
    cooperative_id: Id | None = None
    reviewer_id: Id | None = None   # staff only: whose conflict it is

    @model_validator(mode="after")
    def _one_target(self) -> ConflictIn:
        if (self.application_id is None) == (self.cooperative_id is None):
            raise invalid(_l("Name either an application or a co-op."))
        return self


class LiftIn(Input):
    reason: Reason


class WaiveIn(LiftIn):
    """Staff lift a same-network conflict for one application of the call."""

    application_id: Id
    reviewer_id: Id


class AssignIn(Input):
    """Staff's change to one assignment: add a reviewer, swap one for another, remove one,
    pin or unpin one."""

    action: Annotated[str, StringConstraints(pattern="^(add|swap|remove|pin|unpin)$")]
    application_id: Id
    reviewer_id: Id
    new_reviewer_id: Id | None = None


class ReviewIn(Input):
    """A review's content. Criterion marks are whole numbers or "na"; a draft may leave
    anything blank, a submission may not. Only what is sent is changed."""

    scores: dict[str, Any] | None = Field(default=None, max_length=40)
    comment_applicant: Comment | None = None
    comment_staff: Comment | None = None
    recommendation: Recommendation | None = None
    confidence: Confidence | None = None
    submit: bool = False

    @field_validator("recommendation", "confidence", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return None if value == "" else value


class DecisionIn(Input):
    kind: DecisionKind
    amount_minor: Minor | None = None
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000),
                      TEXT_BLOCK] = ""
    message: Annotated[str, StringConstraints(strip_whitespace=True, max_length=8000),
                       TEXT_BLOCK] = ""

    @model_validator(mode="after")
    def _amount(self) -> DecisionIn:
        if self.kind is DecisionKind.AWARD and not self.amount_minor:
            raise invalid(_l("Give the amount awarded."))
        if self.kind is not DecisionKind.AWARD:
            self.amount_minor = None
        return self


class ReviewOut(BaseModel):
    id: int
    call_id: int
    application_id: int
    status: ReviewStatus
    scores: dict[str, Any]
    comment_applicant: str
    comment_staff: str
    recommendation: Recommendation | None
    confidence: Confidence | None
    score: float | None
    submitted_at: datetime | None
    application_title: str = ""


class AssignmentOut(BaseModel):
    call_id: int
    affinity: float
    pairs: list[tuple[int, int]] = Field(description="(application id, reviewer id)")
    kept: int = Field(description="reviews kept because submitted, started or pinned")


class RankedOut(BaseModel):
    """One row of a call's ranking; the scores are null until a review is submitted."""

    rank: int | None
    application_id: int
    title: str
    cooperative: str
    requested_minor: int | None
    currency: str
    reviews: int = 0
    mean: float | None = None
    spread: float | None = None
    disagreement: bool = False
    calibrated: float | None = None
    low: float | None = None
    high: float | None = None
    decision: DecisionKind | None = None
    awarded_minor: int | None = None


class DecisionOut(BaseModel):
    application_id: int
    kind: DecisionKind
    amount_minor: int | None
    currency: str
    reason: str
    message: str
    published_at: datetime | None
    committed_minor: int = Field(description="the call's awards so far, this one included")
    budget_minor: int

