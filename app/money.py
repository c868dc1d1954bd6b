"""Money is an int of minor units plus an ISO 4217 code: parsed from what people type, shown
in their language. Never a float."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import format_currency, get_currency_precision

from app import i18n

MAX_MINOR = 10**15  # a thousand billion major units: more than any grant, far from overflow
_GROUPING = re.compile(r"[\s\u00a0\u202f_']")


def precision(currency: str) -> int:
    """Digits after the decimal point: 2 for USD, 0 for UGX and JPY."""
    return int(get_currency_precision(currency.upper()))


def parse_amount(text: str, currency: str) -> int | None:
    """'1,250.50' or '1.250,50' or '1250' in major units -> minor units; None if not money.

    The last '.' or ',' followed by at most the currency's digits is the decimal mark;
    other marks and spaces group thousands. Negative amounts are not money here, nor is a
    single mark before three digits in a currency of three decimals (ambiguous).
    """
    raw = _GROUPING.sub("", text.strip())
    if not raw or raw.startswith("-") or len(raw) > 24:
        return None
    digits = precision(currency)
    last = max(raw.rfind("."), raw.rfind(","))
    whole, fraction = raw, ""
    if last >= 0 and 0 < len(raw) - last - 1 <= max(digits, 0) and raw.count(raw[last]) == 1:
        whole, fraction = raw[:last], raw[last + 1:]
        if len(fraction) == 3:  # '10,000' in dinars: ten, or ten thousand? Ask again.
            return None
    groups = re.split(r"[.,]", whole)
    if not all(group.isdigit() for group in groups) or (fraction and not fraction.isdigit()):
        return None
    if len(groups) > 1 and (len(groups[0]) > 3 or groups[0].startswith("0")
                            or any(len(group) != 3 for group in groups[1:])):
        return None  # marks that are not thousands separators: '12.5' in a currency without cents
    whole = "".join(groups)
    try:
        value = Decimal(whole or "0") + (Decimal(f"0.{fraction}") if fraction else 0)
    except InvalidOperation:
        return None
    minor = int(value.scaleb(digits))
    return minor if minor <= MAX_MINOR else None


def to_major_text(amount_minor: int, currency: str) -> str:
    """The plain number a form field shows back: '1250.50', no grouping, no symbol."""
    digits = precision(currency)
    if digits == 0:
        return str(amount_minor)
    sign = "-" if amount_minor < 0 else ""
    whole, fraction = divmod(abs(amount_minor), 10**digits)
    return f"{sign}{whole}.{fraction:0{digits}d}"


def format_money(amount_minor: int | None, currency: str) -> str:
    """'US$1,250.50' or '1.250,50 US$' in the current language."""
    if amount_minor is None:
        return ""
    return _formatted(amount_minor, currency.upper(), i18n.current_locale())


@lru_cache(maxsize=4096)
def _formatted(amount_minor: int, currency: str, locale: str) -> str:
    """Babel formats slowly (~50 µs); a list of calls shows the same few amounts often."""
    value = Decimal(amount_minor).scaleb(-precision(currency))
    return str(format_currency(value, currency, locale=i18n.babel_locale(locale)))
