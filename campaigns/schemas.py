"""Input and output of the campaign use cases (staff forms and the JSON API)."""

from __future__ import annotations

import re
from datetime import datetime
from itertools import pairwise
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from babel import Locale
from pydantic import (
    BaseModel,
    BeforeValidator,
    EmailStr,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from app.forms import (
    ONE_LINE,
    Id,
    Input,
    Minor,
    StringList,
    invalid,
    per_locale,
    text_block,
    utc_moment,
)
from app.i18n import lazy_gettext as _l
from app.money import parse_amount
from app.timefmt import is_timezone
from campaigns import post_text
from campaigns.models import AuctionStatus, BroadcastStatus, CampaignStatus
from campaigns.providers import NETWORKS

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


class BidIn(Input):
    max_amount_minor: Minor = Field(description="the most you will pay, in minor units")


class BidOut(BaseModel):
    outcome: str = Field(description="leading or outbid")
    price_minor: int
    currency: str
    ends_at: datetime


class AuctionOut(BaseModel):
    status: AuctionStatus
    currency: str
    starting_minor: int
    price_minor: int | None = Field(description="null until the first bid")
    minimum_next_minor: int = Field(description="the least maximum a new bid may state")
    leading_bidder: str | None = Field(description='"Bidder 1", "Bidder 2", ...')
    you_lead: bool
    reserve_met: bool
    bids: int
    starts_at: datetime
    ends_at: datetime


def _bands(value: Any, info: ValidationInfo) -> Any:
    """The staff form types the increment table one band per line, "from step" in major
    units ("0 1" then "500 5"); the API sends [[from_minor, step_minor], ...]."""
    if not isinstance(value, str):
        return value
    currency = (info.context or {}).get("currency", "USD")
    bands = []
    for line in value.replace(",", " ").splitlines():
        if not line.strip():
            continue
        parts = line.split()
        amounts = [parse_amount(part, currency) for part in parts]
        if len(parts) != 2 or any(a is None for a in amounts):
            raise invalid(_l("Write one band per line: the price it starts at, then the "
                             "step, such as 500 5."))
        bands.append(amounts)
    return bands


class AuctionIn(Input):
    """A campaign's lot, set by staff: amounts in minor units (a form types them as text, read
    in the fund's currency), times in `timezone` when they carry no offset."""

    starting_minor: Minor
    reserve_minor: Minor | None = None
    price_per_thousand_minor: Minor | None = Field(
        default=None, description="suggests the reserve from the quality reach when no "
                                  "reserve is given")
    buy_now_minor: Minor | None = None
    increments: Annotated[list[tuple[int, int]], BeforeValidator(_bands)] = Field(
        min_length=1, max_length=20)
    starts_at: datetime
    ends_at: datetime
    timezone: str = "UTC"
    soft_close_minutes: int = Field(default=5, ge=1, le=120)

    @model_validator(mode="after")
    def _consistent(self) -> AuctionIn:
        if not is_timezone(self.timezone):
            raise invalid(_l("Choose a timezone from the list, such as Africa/Nairobi."))
        zone = ZoneInfo(self.timezone)
        self.starts_at, self.ends_at = (utc_moment(self.starts_at, zone),
                                        utc_moment(self.ends_at, zone))
        if self.ends_at <= self.starts_at:
            raise invalid(_l("The auction must end after it starts."))
        if self.starting_minor < 1:
            raise invalid(_l("The starting price must be more than zero."))
        bands = self.increments
        if (bands[0][0] != 0 or any(step < 1 for _, step in bands)
                or any(a[0] >= b[0] or a[1] > b[1] for a, b in pairwise(bands))):
            raise invalid(_l("The increment table starts at 0, its prices rise and its steps "
                             "never get smaller."))
        if self.buy_now_minor is not None and self.buy_now_minor <= max(
                self.starting_minor, self.reserve_minor or 0):
            raise invalid(_l("The buy-now price must be above the starting price and the "
                             "reserve."))
        return self


COUNTRIES = frozenset(str(code) for code in Locale("en").territories
                      if len(str(code)) == 2 and str(code) not in ("ZZ", "EU", "EZ", "UN", "QO"))


class SponsorIn(Input):
    company_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2,
                                                   max_length=160), ONE_LINE]
    contact_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2,
                                                   max_length=120), ONE_LINE]
    billing_email: EmailStr
    country: Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True)]
    tax_id: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40),
                      ONE_LINE] = ""

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        if value not in COUNTRIES:
            raise invalid(_l("Choose a country from the list."))
        return value


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
