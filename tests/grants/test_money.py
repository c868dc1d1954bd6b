"""Amounts typed by people become minor units; never a float."""

from __future__ import annotations

import pytest

from app.i18n import use_locale
from app.money import format_money, parse_amount, to_major_text


@pytest.mark.parametrize(("text", "currency", "minor"), [
    ("1500", "USD", 150000), ("1,500.50", "USD", 150050), ("1.500,50", "EUR", 150050),
    ("1 500", "KES", 150000), ("12.5", "USD", 1250), ("2500000", "UGX", 2500000),
    ("2,500,000", "UGX", 2500000), ("0.1", "USD", 10),
])
def test_what_people_type(text: str, currency: str, minor: int) -> None:
    assert parse_amount(text, currency) == minor


@pytest.mark.parametrize("text", ["", "abc", "-5", "12.5.5", "1,2,3", "12.50", "1e5",
                                  "9" * 30])
def test_what_is_not_money_in_uganda_shillings(text: str) -> None:
    assert parse_amount(text, "UGX") is None


def test_three_decimal_currencies_refuse_the_ambiguous() -> None:
    assert parse_amount("10,000", "TND") is None  # ten dinars, or ten thousand?
    assert parse_amount("10,000,000", "TND") == 10_000_000_000
    assert parse_amount("10.5", "TND") == 10_500 and parse_amount("10000", "TND") == 10_000_000


def test_shown_back_and_formatted() -> None:
    assert to_major_text(150050, "USD") == "1500.50" and to_major_text(2500, "UGX") == "2500"
    with use_locale("es"):
        assert "1500,50" in format_money(150050, "USD").replace(".", "").replace("\xa0", "")
