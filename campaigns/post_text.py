"""The length of a post as X counts it, and the sponsor's post as it goes out.

X counts a post's length by weight, not by characters (twitter-text, configuration v3):

- the text is first normalised (Unicode NFC);
- every link counts as 23, however long it is (X shortens it to a t.co link): a link is a
  run starting with http:// or https://, or a bare domain such as www.example.org or
  example.com/path whose last label is a common generic domain (.com, .org, .net, .coop,
  ...) — X also recognises more bare domains than these; a sponsor who writes one gets a
  count on the safe side only if it has a scheme, which the form's help asks for;
- a code point in Latin, Greek, Cyrillic, Hebrew, Arabic, Devanagari, Thai, ... (U+0000 to
  U+10FF) and the general punctuation X lists (U+2000–U+200D, U+2010–U+201F, U+2032–U+2037)
  counts 1; any other code point (Chinese, Japanese, Korean, most symbols) counts 2;
- an emoji counts 2, however many code points it is made of (skin tones, joined families,
  flags, keycaps);
- at most 280.

The sponsor's post is their text, a blank line and the paid-partnership disclosure they
chose; the whole post, disclosure included, must fit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_LENGTH = 280
URL_LENGTH = 23
DISCLOSURES = ("#ad", "#sponsored", "#publicidad", "#patrocinado", "#sponsorisé", "#tangazo")

_LIGHT = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_TLDS = "com|org|net|edu|gov|info|coop|africa|shop|store|news|online|app|dev"
_URL = re.compile(
    r"(?:https?://[^\s<>\"]+|(?<![\w@.-])(?:www\.)?(?:[a-z0-9-]+\.)+(?:" + _TLDS
    + r")\b(?:/[^\s<>\"]*)?)", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\"…"

_ZWJ, _VS16, _KEYCAP = 0x200D, 0xFE0F, 0x20E3


def _emoji(cp: int) -> bool:
    return (0x1F000 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF or 0x2B00 <= cp <= 0x2BFF
            or cp in (0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122, 0x2139, 0x3030, 0x303D))


def _modifier(cp: int) -> bool:
    return (0x1F3FB <= cp <= 0x1F3FF or cp in (_VS16, _KEYCAP)
            or 0xE0020 <= cp <= 0xE007F)          # skin tones, presentation, keycap, tags


def _regional(cp: int) -> bool:
    return 0x1F1E6 <= cp <= 0x1F1FF


def _weight(cp: int) -> int:
    return 1 if any(low <= cp <= high for low, high in _LIGHT) else 2


def _text_weight(text: str) -> int:
    """The weight of text with no links in it: emoji sequences count 2 each."""
    points = [ord(ch) for ch in text]
    total, i = 0, 0
    while i < len(points):
        cp = points[i]
        keycap = (i + 1 < len(points) and (points[i + 1] == _KEYCAP or (
            points[i + 1] == _VS16 and i + 2 < len(points) and points[i + 2] == _KEYCAP)))
        if _regional(cp) and i + 1 < len(points) and _regional(points[i + 1]):
            total, i = total + 2, i + 2                       # a flag: two letters
        elif _emoji(cp) or keycap:
            i += 1
            while i < len(points) and (_modifier(points[i]) or (
                    points[i] == _ZWJ and i + 1 < len(points) and _emoji(points[i + 1]))):
                i += 2 if points[i] == _ZWJ else 1            # joined to the same emoji
            total += 2
        else:
            total, i = total + _weight(cp), i + 1
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
