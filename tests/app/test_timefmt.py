"""Durations as people say them, in their language."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.i18n import use_locale
from app.timefmt import format_duration


@pytest.mark.parametrize(("seconds", "locale", "said"), [
    (0, "en", "0 seconds"), (1, "en", "1 second"), (1, "es", "1 segundo"),
    (42.4, "en", "42 seconds"), (119, "en", "119 seconds"),
    (120, "en", "2 minutes"), (754, "es", "13 minutos"), (7199, "en", "120 minutes"),
    (7200, "en", "2 h 0 min"), (3 * 3600 + 25 * 60 + 10, "sw", "saa 3 dakika 25"),
    (-5, "en", "0 seconds")])
def test_a_duration_reads_in_the_largest_sensible_unit(seconds: float, locale: str,
                                                       said: str) -> None:
    with use_locale(locale):
        assert format_duration(timedelta(seconds=seconds)) == said
