"""Small bar charts drawn on the server as inline SVG, pure: readable without JavaScript,
announced to screen readers as one image with its title (the page puts the same numbers in a
table beside it).

Each bar has its label on a line of its own above it, so long labels need no measuring; the
chart fills its container's width (bars are placed in percent) and text keeps its size.
Negative values grow left from a zero line, in another colour, and keep their sign in text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

ROW = 34                 # pixels per bar: the label's line, then the bar
PLOT = 70.0              # percent of the width the bars may use; the rest is for the values
MAX_LABEL = 72           # characters of a label drawn (the table beside has it whole)
POSITIVE, NEGATIVE, AXIS, INK = "#2f6b3a", "#9b2c1a", "#55624f", "#1d2a1f"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str            # the value as the page writes it: "US$1,250.00", "+12 %"


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1].rstrip() + "…"


def _pct(value: float) -> str:
    return f"{value:.2f}%"


def _scale(bars: Sequence[Bar]) -> tuple[float, float]:
    """The values' range, always including zero."""
    low = min(0.0, *(b.value for b in bars))
    high = max(0.0, *(b.value for b in bars))
    return low, (high if high > low else low + 1)


_ROW = Markup(
    '<text x="0" y="{label_y}" font-size="13" fill="{ink}">{short}</text>'
    '<rect x="{left}" y="{bar_y}" width="{width}" height="12" fill="{fill}">'
    "<title>{label}: {text}</title></rect>"
    '<text x="{end}" dx="4" y="{text_y}" font-size="12" fill="{ink}">{text}</text>')
_AXIS = Markup('<line x1="{x}" x2="{x}" y1="14" y2="{bottom}" stroke="{stroke}" '
               'stroke-width="1"/>')
_SVG = Markup('<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{title}" '
              'width="100%" height="{height}" class="chart"><title>{title}</title>'
              "{rows}{axis}</svg>")


def _row(bar: Bar, y: int, low: float, high: float) -> Markup:
    def x(value: float) -> float:
        return (value - low) / (high - low) * PLOT

    zero, end = x(0.0), x(bar.value)
    return _ROW.format(
        label_y=y + 12, bar_y=y + 17, text_y=y + 28, ink=INK, short=_short(bar.label),
        label=bar.label, text=bar.text, left=_pct(min(zero, end)),
        width=_pct(abs(end - zero)), end=_pct(max(zero, end)),
        fill=NEGATIVE if bar.value < 0 else POSITIVE)


def bar_chart(title: str, bars: Sequence[Bar]) -> Markup:
    """A horizontal bar chart (every text escaped); empty when there is nothing to draw."""
    if not bars:
        return Markup()
    low, high = _scale(bars)
    height = ROW * len(bars) + 4
    axis = Markup()
    if low < 0:
        axis = _AXIS.format(x=_pct(-low / (high - low) * PLOT), bottom=height, stroke=AXIS)
    return _SVG.format(title=title, height=height, axis=axis, rows=Markup().join(
        _row(bar, ROW * i, low, high) for i, bar in enumerate(bars)))
