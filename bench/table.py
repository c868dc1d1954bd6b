"""Plain-text tables for the report, each column aligned left ("l") or right ("r")."""

from __future__ import annotations

from collections.abc import Sequence


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]], align: str) -> str:
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
    lines = [_line(headers, widths, align), "  ".join("-" * width for width in widths)]
    lines += [_line(row, widths, align) for row in rows]
    return "\n".join(lines)


def _line(cells: Sequence[str], widths: Sequence[int], align: str) -> str:
    padded = (cell.ljust(width) if side == "l" else cell.rjust(width)
              for cell, width, side in zip(cells, widths, align, strict=True))
    return "  ".join(padded).rstrip()
