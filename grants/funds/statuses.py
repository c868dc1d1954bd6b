"""The kinds of a fund's ledger rows: plain values, no ORM."""

from __future__ import annotations

from enum import StrEnum


class LedgerKind(StrEnum):
    CONTRIBUTION = "contribution"
    REVERSAL = "reversal"
    TRANCHE = "tranche"
    REFUND = "refund"
