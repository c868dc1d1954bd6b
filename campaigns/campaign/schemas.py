"""Input and output of the campaign's own use cases (staff forms and the JSON API)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

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
    Id,
    Input,
    StringList,
    invalid,
    per_locale,
    utc_moment,
)
from app.i18n import lazy_gettext as _l
from app.timefmt import is_timezone
from campaigns.campaign.statuses import CampaignStatus
from campaigns.networks.registry import NETWORKS

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,62}[a-z0-9])$")


def _texts(value: Any) -> dict[str, str]:
    texts = per_locale(value)
    if any(len(text) > 10000 for text in texts.values()):
        raise invalid(_l("Use at most 10000 characters."))
    return texts


class CampaignIn(Input):
    slug: Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True)]
    title: dict[str, str]
    story: dict[str, str] = {}
    fund_id: Id
    reach_goal: int = Field(ge=1, le=10**12)
    pledge_opens_at: datetime
    pledge_closes_at: datetime
    broadcast_at: datetime
    networks: StringList = ["x"]
    timezone: str = "UTC"  # of times given without an offset (the staff form's)

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG_RE.match(value):
            raise invalid(_l("Use lower-case letters, digits and dashes only."))
        return value

    @field_validator("title", "story", mode="before")
    @classmethod
    def _per_locale(cls, value: Any) -> dict[str, str]:
        return _texts(value) if value else {}

    @field_validator("networks")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        if not value or any(network not in NETWORKS for network in value):
            raise invalid(_l("Choose the networks from the list."))
        return list(dict.fromkeys(value))

    @model_validator(mode="after")
    def _order(self) -> CampaignIn:
        if not self.title:
            raise invalid(_l("Give a title in at least one language."))
        if not is_timezone(self.timezone):
            raise invalid(_l("Choose a timezone from the list, such as Africa/Nairobi."))
        zone = ZoneInfo(self.timezone)
        self.pledge_opens_at, self.pledge_closes_at, self.broadcast_at = (
            utc_moment(m, zone) for m in (self.pledge_opens_at, self.pledge_closes_at,
                                          self.broadcast_at))
        if not self.pledge_opens_at < self.pledge_closes_at <= self.broadcast_at:
            raise invalid(_l("Pledges open, then close, no later than the broadcast."))
        return self


class ApprovalIn(Input):
    network: str
    approved: bool = False
    reference: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200),
                         ONE_LINE] = ""

    @field_validator("network")
    @classmethod
    def _network(cls, value: str) -> str:
        if value not in NETWORKS:
            raise invalid(_l("Choose the networks from the list."))
        return value


class EmailIn(Input):
    email: EmailStr


class ActionIn(Input):
    action: Annotated[str, StringConstraints(max_length=32)]


class CampaignOut(BaseModel):
    slug: str
    status: CampaignStatus
    title: dict[str, str]
    pledges: int
    reach: int
    quality_reach: int
    goal: int
    ends_at: datetime
    broadcast_at: datetime
    networks: list[str]
