"""Input and output of the auction's use cases: the lot's rules, bids, sponsors."""

from __future__ import annotations

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
    Input,
    Minor,
    invalid,
    utc_moment,
)
from app.i18n import lazy_gettext as _l
from app.money import parse_amount
from app.timefmt import is_timezone
from campaigns.auction.statuses import AuctionStatus


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
