"""Input and output of the applications' use cases, shared by the editor, screening and the
JSON API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    Field,
    StringConstraints,
    model_validator,
)

from app.forms import (
    ONE_LINE,
    TEXT_BLOCK,
    Id,
    Input,
    Minor,
    invalid,
    utc_moment,
)
from app.i18n import lazy_gettext as _l
from app.timefmt import is_timezone
from grants.applications.statuses import ApplicationStatus
from grants.shared.schemas import Language, OneLine


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
