"""The shared words of the programme: challenge categories, commodities, certifications and
legal forms, as stable keys with labels translated when shown, and countries by ISO code."""

from __future__ import annotations

from functools import cache

from babel import Locale

from app import i18n
from app.i18n import lazy_gettext as _l

CATEGORIES: dict[str, str] = {
    "market_access": _l("Market access"),
    "financing": _l("Financing"),
    "quality": _l("Quality"),
    "productivity": _l("Productivity"),
}
COMMODITIES: dict[str, str] = {
    "coffee": _l("Coffee"),
    "tea": _l("Tea"),
    "cocoa": _l("Cocoa"),
    "banana": _l("Bananas"),
    "sugar_cane": _l("Sugar cane"),
    "honey": _l("Honey"),
    "quinoa": _l("Quinoa"),
    "cotton": _l("Cotton"),
}
CERTIFICATIONS: dict[str, str] = {
    "fairtrade": _l("Fairtrade"),
    "organic": _l("Organic"),
    "rainforest_alliance": _l("Rainforest Alliance"),
    "spp": _l("Small Producers' Symbol (SPP)"),
}
LEGAL_FORMS: dict[str, str] = {
    "cooperative": _l("Cooperative"),
    "second_level_cooperative": _l("Second-level cooperative or union"),
    "association": _l("Producer association"),
    "company": _l("Company owned by producers"),
    "informal_group": _l("Informal producer group"),
}


def label(vocabulary: dict[str, str], key: str) -> str:
    """The translated label of a known key; a custom key (a call's own category) as it is."""
    return i18n.gettext(vocabulary[key]) if key in vocabulary else key


def choices(vocabulary: dict[str, str]) -> list[tuple[str, str]]:
    return [(key, i18n.gettext(text)) for key, text in vocabulary.items()]


@cache
def _country_names(locale: str) -> dict[str, str]:
    territories = Locale.parse(locale).territories
    return {code: str(name) for code, name in territories.items()
            if len(code) == 2 and code.isalpha() and code not in {"ZZ", "EU", "EZ", "UN", "QO"}}


def is_country(code: str) -> bool:
    return code in _country_names("en")


def country_name(code: str) -> str:
    return _country_names(i18n.current_locale()).get(code, code)


def country_choices() -> list[tuple[str, str]]:
    names = _country_names(i18n.current_locale())
    return sorted(names.items(), key=lambda item: item[1])


def names(vocabulary: dict[str, str], keys: list[str]) -> str:
    """Keys shown as a list of labels: 'Coffee, Cocoa'."""
    return ", ".join(label(vocabulary, key) for key in keys)


def country_names(codes: list[str]) -> str:
    return ", ".join(country_name(code) for code in codes)


PROJECT_TYPES: dict[str, str] = {      # what a funded project mainly does
    "training": _l("Training and extension"),
    "equipment": _l("Equipment and processing"),
    "certification": _l("Certification"),
    "credit": _l("Credit and savings"),
    "market_linkage": _l("Buyers and market links"),
    "infrastructure": _l("Storage and infrastructure"),
    "digital": _l("Digital tools and mapping"),
}
