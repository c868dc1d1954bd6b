"""The length of a post as X counts it, and the sponsor's post as it goes out.

X counts a post's length by weight, not by characters (twitter-text, configuration v3):

- the text is first normalised (Unicode NFC);
- every link counts as 23, however long it is (X shortens it to a t.co link): a link is
  http:// or https:// and a domain with a top-level label of letters, or a bare domain such
  as www.example.org or example.com/path whose last label is a common generic domain
  (.com, .org, .net, .coop, ...), then a path of the characters URLs are made of (ASCII):
  what follows (Chinese, emoji, ...) is text again. X recognises more bare domains than
  these; the form's help asks for the scheme, and a bare domain we miss counts as its
  characters, more than 23 — on the safe side;
- a code point in Latin, Greek, Cyrillic, Hebrew, Arabic, Devanagari, Thai, ... (U+0000 to
  U+10FF) and the general punctuation X lists (U+2000–U+200D, U+2010–U+201F, U+2032–U+2037)
  counts 1; any other code point (Chinese, Japanese, Korean, most symbols) counts 2;
- an emoji counts 2, however many code points it is made of, for the sequences emoji are
  made of: one skin tone and one presentation selector per part, up to four parts joined
  (families), a flag of two letters naming a country, a keycap on 0-9, # or *, a
  subdivision flag's tags; anything more (a run of selectors or tags, two letters that
  name no country) counts as its own code points, as X counts what it cannot draw;
- at most 280.

The sponsor's post is their text, a blank line and the paid-partnership disclosure they
chose; the whole post, disclosure included, must fit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from babel import Locale

MAX_LENGTH = 280
URL_LENGTH = 23
DISCLOSURES = ("#ad", "#sponsored", "#publicidad", "#patrocinado", "#sponsorisé", "#tangazo")

_LIGHT = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_TLDS = "com|org|net|edu|gov|info|coop|africa|shop|store|news|online|app|dev"
_PATH = r"(?::\d{1,5})?(?:[/?#][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?"
_URL = re.compile(
    r"(?:https?://(?:[a-z0-9-]+\.)+[a-z]{2,63}\b" + _PATH
    + r"|(?<![\w@.-])(?:www\.)?(?:[a-z0-9-]+\.)+(?:" + _TLDS + r")\b" + _PATH + ")",
    re.IGNORECASE | re.ASCII)
_TRAILING = ".,;:!?)]}'\"…"

_ZWJ, _VS16, _KEYCAP = 0x200D, 0xFE0F, 0x20E3
_SKIN = range(0x1F3FB, 0x1F400)
_TAGS, _CANCEL_TAG, _BLACK_FLAG = range(0xE0020, 0xE007F), 0xE007F, 0x1F3F4
_KEYCAP_BASES = frozenset(map(ord, "0123456789#*"))
MAX_JOINED = 4          # a family of four is the longest sequence X draws
MAX_TAGS = 6            # a subdivision flag: gbeng, gbsct, usca...
_COUNTRIES = frozenset(str(code) for code in Locale("en").territories
                       if len(str(code)) == 2 and str(code).isalpha())


def _emoji(cp: int) -> bool:
    return (0x1F000 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF or 0x2B00 <= cp <= 0x2BFF
            or cp in (0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122, 0x2139, 0x3030, 0x303D))


def _regional(cp: int) -> bool:
    return 0x1F1E6 <= cp <= 0x1F1FF


def _weight(cp: int) -> int:
    return 1 if any(low <= cp <= high for low, high in _LIGHT) else 2


def _part(points: list[int], i: int) -> int:
    """Past one emoji part at `i`: the base, then at most one skin tone and one presentation
    selector."""
    i += 1
    if i < len(points) and points[i] in _SKIN and points[i - 1] not in _SKIN:
        i += 1
    if i < len(points) and points[i] == _VS16:
        i += 1
    return i


def _emoji_end(points: list[int], i: int) -> int | None:
    """Where the emoji sequence starting at `i` ends, or None when none starts there."""
    cp, after = points[i], points[i + 1] if i + 1 < len(points) else None
    if _regional(cp) and after is not None and _regional(after):
        code = chr(cp - 0x1F1E6 + 65) + chr(after - 0x1F1E6 + 65)
        return i + 2 if code in _COUNTRIES else None
    if cp in _KEYCAP_BASES:
        j = i + 1 + (after == _VS16)
        return j + 1 if j < len(points) and points[j] == _KEYCAP else None
    if not _emoji(cp):
        return None
    if cp == _BLACK_FLAG:                                   # a subdivision flag's tags
        j = i + 1
        while j < len(points) and points[j] in _TAGS and j - i <= MAX_TAGS:
            j += 1
        if j > i + 1 and j < len(points) and points[j] == _CANCEL_TAG:
            return j + 1
    j, joined = _part(points, i), 1
    while (joined < MAX_JOINED and j + 1 < len(points) and points[j] == _ZWJ
           and _emoji(points[j + 1])):
        j, joined = _part(points, j + 1), joined + 1
    return j


def _text_weight(text: str) -> int:
    """The weight of text with no links in it: emoji sequences count 2 each."""
    points = [ord(ch) for ch in text]
    total, i = 0, 0
    while i < len(points):
        end = _emoji_end(points, i)
        if end is None:
            total, i = total + _weight(points[i]), i + 1
        else:
            total, i = total + 2, end
    return total


def links(text: str) -> list[str]:
    """The links X would shorten, in order (trailing punctuation left out, as X does)."""
    return [match.group(0).rstrip(_TRAILING)
            for match in _URL.finditer(unicodedata.normalize("NFC", text))]


def weighted_length(text: str) -> int:
    """The post's length as X counts it (see the module's rules)."""
    text = unicodedata.normalize("NFC", text)
    total, start = 0, 0
    for match in _URL.finditer(text):
        link = match.group(0).rstrip(_TRAILING)
        total += _text_weight(text[start:match.start()]) + URL_LENGTH
        start = match.start() + len(link)
    return total + _text_weight(text[start:])


def compose(text: str, disclosure: str) -> str:
    """The post as it goes out: the sponsor's text, a blank line, the disclosure."""
    return f"{text.strip()}\n\n{disclosure}"


@dataclass(frozen=True)
class Measure:
    post: str
    length: int

    @property
    def fits(self) -> bool:
        return self.length <= MAX_LENGTH

    @property
    def left(self) -> int:
        return MAX_LENGTH - self.length


def measure(text: str, disclosure: str) -> Measure:
    post = compose(text, disclosure)
    return Measure(post, weighted_length(post))
