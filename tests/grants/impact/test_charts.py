"""The dashboard's inline SVG bar charts: accessible, escaped, drawn to scale."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markupsafe import Markup

from grants.impact.charts import Bar, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart: str) -> ET.Element:
    return ET.fromstring(chart)  # noqa: S314  (our own output, no entities or DTD)


def test_a_chart_is_one_image_with_its_title() -> None:
    chart = bar_chart("Awarded by country", [Bar("Peru", 300, "US$3.00"),
                                             Bar("Kenya", 100, "US$1.00")])
    assert isinstance(chart, Markup)
    root = parse(str(chart))
    assert root.get("role") == "img" and root.get("aria-label") == "Awarded by country"
    assert root.findtext(f"{SVG}title") == "Awarded by country"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["Peru", "US$3.00", "Kenya", "US$1.00"]
    widths = [r.get("width") for r in root.iter(f"{SVG}rect")]
    assert widths == ["70.00%", "23.33%"]          # to scale: the longest bar fills the plot
    assert "style=" not in str(chart) and "<script" not in str(chart)


def test_every_text_is_escaped() -> None:
    chart = str(bar_chart('<script>alert("t")</script>', [
        Bar("<script>alert(1)</script>", 1, "<b>1</b>"), Bar('"><img src=x>', 2, "&2")]))
    assert "<script" not in chart and "<img" not in chart and "<b>" not in chart
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in chart
    parse(chart)                                        # still well-formed XML


def test_negative_values_grow_left_from_a_zero_line() -> None:
    root = parse(str(bar_chart("Change", [Bar("Better", 10, "+10%"),
                                           Bar("Worse", -10, "-10%")])))
    better, worse = root.iter(f"{SVG}rect")
    assert better.get("x") == "35.00%" and worse.get("x") == "0.00%"
    assert better.get("fill") != worse.get("fill")
    line = root.find(f"{SVG}line")
    assert line is not None and line.get("x1") == "35.00%"


def test_long_labels_are_shortened_and_nothing_is_drawn_without_bars() -> None:
    chart = str(bar_chart("t", [Bar("x" * 200, 0, "0")]))
    assert re.search(r">x{71}…</text>", chart)
    assert bar_chart("t", []) == Markup("")
