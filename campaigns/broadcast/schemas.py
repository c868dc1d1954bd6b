"""Input and output of the broadcast's use cases: the sponsor's post, its review, moving
and controlling the broadcast."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from app.forms import (
    Input,
    invalid,
    text_block,
    utc_moment,
)
from app.i18n import lazy_gettext as _l
from app.timefmt import is_timezone
from campaigns.broadcast import post_text
from campaigns.broadcast.statuses import BroadcastStatus


class MessageIn(Input):
    """The sponsor's post: their text and the paid-partnership disclosure that ends it."""

    disclosure: str
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                           max_length=2000)]

    @field_validator("disclosure")
    @classmethod
    def _disclosure(cls, value: str) -> str:
        if value not in post_text.DISCLOSURES:
            raise invalid(_l("Choose how the post says it is a paid partnership."))
        return value

    @field_validator("text")
    @classmethod
    def _fits(cls, value: str, info: ValidationInfo) -> str:
        value = text_block(value)
        disclosure = info.data.get("disclosure", post_text.DISCLOSURES[0])
        if not post_text.measure(value, disclosure).fits:
            raise invalid(_l("The post is longer than X allows: at most 280, the disclosure "
                             "included, each link counting 23. Shorten it."))
        return value


class MessageReviewIn(Input):
    action: Annotated[str, StringConstraints(pattern="^(approve|return)$")]
    revision: int = Field(ge=1, le=1_000_000, description="the version the reviewer read")
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] = Field(
        default="", validate_default=True)

    @field_validator("comment")
    @classmethod
    def _explained(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("action") == "return" and not value:
            raise invalid(_l("Say what the sponsor should change."))
        return text_block(value)


class BroadcastMoveIn(Input):
    broadcast_at: datetime
    timezone: str = "UTC"

    @model_validator(mode="after")
    def _in_utc(self) -> BroadcastMoveIn:
        if not is_timezone(self.timezone):
            raise invalid(_l("Choose a timezone from the list, such as Africa/Nairobi."))
        self.broadcast_at = utc_moment(self.broadcast_at, ZoneInfo(self.timezone))
        return self


class BroadcastActionIn(Input):
    action: Annotated[str, StringConstraints(pattern="^(start|pause|resume|abort)$")] = Field(
        description="start (now, instead of at the moment), pause, resume or abort")


class BroadcastOut(BaseModel):
    status: BroadcastStatus
    network: str
    assisted: bool = Field(description="no approval of automated posting: one-tap links")
    post_id: str | None
    scheduled_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    duration_seconds: float | None
    counts: dict[str, int] = Field(description="deliveries by state")
    reasons: dict[str, dict[str, int]] = Field(
        description="failed, skipped, cancelled and offered (assisted mode: mailed or "
                    "no_email) deliveries by reason")
    delivered_followers: int
    per_second: float = Field(description="deliveries ended over the last minute, per second")
    seconds_left: float | None
    links_opened: int
    stop_reason: str
