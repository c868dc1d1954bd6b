"""Babel gettext catalogs, locale negotiation, and the gettext that Jinja2 and mail use."""

from __future__ import annotations

import contextvars
import io
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LOCALES: tuple[str, ...] = ("en", "es", "fr", "pt", "sw")
COMPLETE_LOCALES: tuple[str, ...] = ("en", "es")
DEFAULT_LOCALE = "en"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("locale", default=DEFAULT_LOCALE)


def lazy_gettext(message: str) -> str:
    """Mark a message for extraction; it is translated when shown, in the viewer's language."""
    return message


@cache
def translations(locale: str) -> Translations:
    """The catalog for `locale`, compiled in memory from its .po file (no build step)."""
    po_path = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if locale == DEFAULT_LOCALE or not po_path.exists():
        return Translations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


class Msg(str):
    """A message marked for translation whose values are filled in after translating:
    `Msg(_l("Page %(n)s."), n=2)` reads "Página 2." in Spanish. One with a plural (made by
    `lazy_ngettext`) picks the form for its count in the viewer's language."""

    params: dict[str, object]
    plural: str | None = None
    n: int = 1

    def __new__(cls, message: str, **params: object) -> Msg:
        made = super().__new__(cls, message)
        made.params = params
        return made


def lazy_ngettext(singular: str, plural: str, n: int, /, **params: object) -> Msg:
    """Mark a message with plural forms; it is translated when shown, in the form for `n`:
    `lazy_ngettext("At most %(n)s line.", "At most %(n)s lines.", 20, n=20)`."""
    made = Msg(singular, **params)
    made.plural, made.n = plural, n
    return made


def gettext(message: str) -> str:
    catalog = translations(_current.get())
    if isinstance(message, Msg) and message.plural is not None:
        translated = str(catalog.ungettext(str.__str__(message), message.plural, message.n))
    else:
        translated = str(catalog.ugettext(str.__str__(message)))
    if isinstance(message, Msg) and message.params:
        return translated % message.params
    return translated


def localised(texts: dict[str, str], fallbacks: list[str] | tuple[str, ...] = ()) -> str:
    """A text given per language ({"en": ..., "es": ...}) in the current language, else the
    first of `fallbacks` (the organisation's languages), else English, else any."""
    for code in (_current.get(), *fallbacks, DEFAULT_LOCALE):
        if texts.get(code):
            return texts[code]
    return next(iter(texts.values()), "")


def ngettext(singular: str, plural: str, n: int) -> str:
    return str(translations(_current.get()).ungettext(singular, plural, n))


def format_number(value: float) -> str:
    """A count or a figure as the reader writes it: 1,200 in English, 1.200 in Spanish."""
    return str(format_decimal(value, locale=babel_locale(current_locale())))


def current_locale() -> str:
    return _current.get()


@cache
def babel_locale(code: str) -> Locale:
    """The parsed Babel locale, once per code: formatting numbers and dates with a code
    string parses it again on every call."""
    return Locale.parse(code)


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    token = _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)
    try:
        yield
    finally:
        _current.reset(token)


def set_locale(locale: str) -> None:
    """Set the locale for the rest of this request's task."""
    _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)


def parse_accept_language(header: str) -> list[str]:
    """Language codes from an Accept-Language header, best first."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        pieces = part.strip().split(";")
        code = pieces[0].strip().lower()
        if not code or code == "*":
            continue
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        weighted.append((-quality, index, code.split("-")[0]))
    return [code for quality, _, code in sorted(weighted) if quality < 0]


def negotiate(
    *,
    user_locale: str | None,
    query_lang: str | None,
    session_lang: str | None,
    accept_language: str,
    available: tuple[str, ...] = LOCALES,
) -> str:
    """The user's preference, then ?lang=, then the remembered choice, then Accept-Language."""
    for candidate in (user_locale, query_lang, session_lang):
        if candidate in available:
            return candidate
    for code in parse_accept_language(accept_language):
        if code in available:
            return code
    return DEFAULT_LOCALE


@cache
def language_name(locale: str) -> str:
    return str(Locale.parse(locale).get_display_name(locale)).capitalize()


@cache
def language_choices() -> list[tuple[str, str]]:
    """(code, name in its own language) for every locale, for pickers and the footer."""
    return [(code, language_name(code)) for code in LOCALES]
