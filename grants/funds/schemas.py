"""Input and output of the funds' use cases: a new fund, a contribution, a fund as shown."""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    BaseModel,
    StringConstraints,
)

from app.forms import (
    ONE_LINE,
    CurrencyCode,
    Input,
    Minor,
)
from grants.shared.schemas import LongText


class FundIn(Input):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=160),
                    ONE_LINE]
    currency: CurrencyCode
    description: LongText = ""


class CreditIn(Input):
    amount_minor: Minor
    source: str = "donation"
    reference: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                max_length=150), ONE_LINE]


class FundOut(BaseModel):
    id: int
    name: str
    currency: str
    balance_minor: int
    budgeted_minor: int
    awarded_minor: int
