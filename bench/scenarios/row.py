"""What a scenario returns: one measured rate beside the ceiling it is compared with."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Row:
    name: str
    ops_per_second: float
    ceiling_name: str  # the row, measured in the same run, this one is divided by
    ceiling_ops_per_second: float

    @property
    def ratio(self) -> float:
        return self.ops_per_second / self.ceiling_ops_per_second


Scenario = Callable[[], Coroutine[Any, Any, list[Row]]]
