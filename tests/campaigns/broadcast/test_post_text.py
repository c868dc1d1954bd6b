"""X's length rules for the sponsor's post (see campaigns/post_text.py)."""

from __future__ import annotations

import pytest

from campaigns.broadcast.post_text import MAX_LENGTH, URL_LENGTH, links, measure, weighted_length


@pytest.mark.parametrize(("text", "expected"), [
    ("", 0),
    ("Café con leche", 14),                       # Latin with accents: 1 each
    ("Kahawa bora kutoka Kilimanjaro", 30),
    ("e\u0301", 1),                               # e + combining accent: NFC makes one é
    ("“quoted” — dash…", 17),       # quotes, dash (U+201x) 1 each; the ellipsis (U+2026) is 2
    ("咖啡", 4),                                   # CJK: 2 each
    ("👍", 2),
    ("👍🏽", 2),                                   # a skin tone joins its emoji
    ("👩‍👩‍👧", 2),                                   # a joined family is one emoji
    ("🇰🇪🇨🇴", 4),                                  # two flags
    ("1️⃣", 2),                                     # a keycap
    ("☕️ ok", 5),                                   # emoji with presentation selector, space, ok
])
def test_weights(text: str, expected: int) -> None:
    assert weighted_length(text) == expected


def test_every_link_counts_23_however_long() -> None:
    long = "https://example.org/" + "a" * 200
    assert weighted_length(long) == URL_LENGTH
    assert weighted_length("see http://x.io now") == 4 + URL_LENGTH + 4
    assert weighted_length("www.kahawa.coop, then") == URL_LENGTH + 6   # comma not in the link
    assert weighted_length("harambee.org/campaigns") == URL_LENGTH
    assert links("Visit https://a.example.com/x?y=1. And kahawa.coop!") == [
        "https://a.example.com/x?y=1", "kahawa.coop"]
    assert weighted_length("an e-mail: me@example.com") == 25     # an address is not a link
    assert links("me@example.com") == []


def test_the_disclosure_counts_and_the_limit_is_280() -> None:
    fits = measure("a" * (MAX_LENGTH - 5), "#ad")    # 275 + blank line (2) + 3 = 280
    assert fits.length == MAX_LENGTH and fits.fits and fits.left == 0
    assert fits.post.endswith("\n\n#ad")
    over = measure("a" * (MAX_LENGTH - 4), "#ad")
    assert over.length == MAX_LENGTH + 1 and not over.fits
    # 250 characters of text with two long links fit: each link is 23
    text = "x" * 200 + " https://example.org/" + "p" * 100 + " https://example.org/q"
    assert measure(text, "#sponsored").length == 200 + 1 + 23 + 1 + 23 + 2 + 10


@pytest.mark.parametrize(("text", "expected"), [
    ("https://example.org/" + "中" * 200, 23 + 400),   # a link's path is ASCII: then text
    ("http://" + "a" * 400, 407),                       # no domain, no link: every letter
    ("😀" + "\ufe0f" * 300, 2 + 2 * 299),              # one selector belongs to the emoji
    ("👍" + "🏻" * 200, 2 + 2 * 199),                   # one skin tone
    # at most four parts joined: 101 faces make 26 sequences (2 each), and the 25 joiners
    # between them count 1 each
    ("😀" + "\u200d😀" * 100, 26 * 2 + 25),
    ("🇦🇦", 4),                                          # names no country: two symbols
    ("a\u20e3", 3),                                      # a keycap only on 0-9, # and *
    ("😀" + "\U000e0061" * 300, 2 + 2 * 300),           # tags only in a subdivision flag
    ("🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", 2),  # Scotland
])
def test_what_x_cannot_draw_counts_as_its_code_points(text: str, expected: int) -> None:
    assert weighted_length(text) == expected
