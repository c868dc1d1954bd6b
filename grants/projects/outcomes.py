"""The rules of outcome reports, pure: no database, no clock.

A project reports three times — a baseline when it starts, a midline half-way, a final at
its end — each with narrative sections and a value for every indicator the co-op committed
to. A report moves due → submitted → accepted, or back to the co-op (returned, with staff's
comments) to be submitted again (table `REPORTS`).

Reminders: a week before its due date, a report still waiting for the co-op earns a "soon"
reminder; three days after it, an "overdue" one. Only the latest step that has come is sent
(a report scheduled late does not get both at once), and the service keeps one row per
report, due date and step, so each goes out once per due date however often the job runs.

The catalogue every organisation starts with holds the measures that matter to
smallholders (DEFAULT_INDICATORS); an organisation may add its own.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.i18n import Msg
from app.i18n import lazy_gettext as _l
from app.transitions import Machine, Transition
from grants.projects.statuses import Direction, ReportKind, ReportStatus


class Actor(StrEnum):
    COOP = "coop"
    STAFF = "staff"


R = ReportStatus
COOP, STAFF = frozenset({Actor.COOP}), frozenset({Actor.STAFF})
WAITING_FOR_COOP = (R.DUE, R.RETURNED)

REPORTS = Machine(
    name="report",
    states=tuple(R),
    initial=R.DUE,
    terminal=frozenset({R.ACCEPTED}),
    transitions=(
        Transition(R.DUE, "submit", COOP, R.SUBMITTED),
        Transition(R.RETURNED, "submit", COOP, R.SUBMITTED),
        Transition(R.SUBMITTED, "accept", STAFF, R.ACCEPTED),
        Transition(R.SUBMITTED, "return", STAFF, R.RETURNED),
    ),
    state_labels={
        R.DUE: _l("due"),
        R.SUBMITTED: _l("submitted"),
        R.RETURNED: _l("returned for changes"),
        R.ACCEPTED: _l("accepted"),
    },
    action_labels={
        "submit": _l("submit it"),
        "accept": _l("accept it"),
        "return": _l("return it for changes"),
    },
)

KIND_LABELS = {
    ReportKind.BASELINE: _l("Baseline report"),
    ReportKind.MIDLINE: _l("Midline report"),
    ReportKind.FINAL: _l("Final report"),
}

SECTIONS = {                      # the narrative of every report, in this order
    "progress": _l("What was done"),
    "results": _l("What changed for members"),
    "challenges": _l("Difficulties and how you dealt with them"),
    "lessons": _l("What other co-ops could learn from this"),
}
REQUIRED_SECTIONS = ("progress",)

UNITS = {
    "people": _l("people"),
    "kg_per_ha": _l("kg per hectare"),
    "percent": _l("%"),
    "per_kg": _l("per kg, local currency"),
    "hectares": _l("hectares"),
}


@dataclass(frozen=True)
class IndicatorDef:
    key: str
    name: str
    unit: str
    direction: Direction
    description: str = ""


DEFAULT_INDICATORS = (
    IndicatorDef("members_trained_women", _l("Women members trained"), "people", Direction.UP),
    IndicatorDef("members_trained_youth", _l("Young members trained (under 35)"), "people",
                 Direction.UP),
    IndicatorDef("yield_per_ha", _l("Yield per hectare"), "kg_per_ha", Direction.UP),
    IndicatorDef("premium_share", _l("Share of production sold at premium quality"),
                 "percent", Direction.UP),
    IndicatorDef("price_vs_fairtrade_minimum",
                 _l("Price received against the Fairtrade minimum price"), "percent",
                 Direction.UP, _l("100 means the price received equals the minimum.")),
    IndicatorDef("cost_of_production", _l("Cost of production"), "per_kg", Direction.DOWN),
    IndicatorDef("income_vs_living_income",
                 _l("Household income against the region's living-income benchmark"),
                 "percent", Direction.UP, _l("100 means a living income is reached.")),
    IndicatorDef("hectares_mapped", _l("Hectares mapped"), "hectares", Direction.UP),
    IndicatorDef("members_with_credit", _l("Members with access to credit"), "people",
                 Direction.UP),
)

SOON, OVERDUE = "soon", "overdue"
STEPS = ((SOON, -7), (OVERDUE, 3))       # (step, days from the due date)


def default_schedule(starts_on: date, ends_on: date) -> dict[ReportKind, date]:
    """Baseline a month into the project, midline half-way, final a month after its end."""
    baseline = min(starts_on + timedelta(days=30), ends_on)
    return {
        ReportKind.BASELINE: baseline,
        ReportKind.MIDLINE: starts_on + (ends_on - starts_on) / 2,
        ReportKind.FINAL: ends_on + timedelta(days=30),
    }


def reminder_due(due_on: date, status: ReportStatus, today: date) -> str | None:
    """The reminder step that has come for a report today, or None."""
    if status not in WAITING_FOR_COOP:
        return None
    come = [step for step, days in STEPS if due_on + timedelta(days=days) <= today]
    return come[-1] if come else None


def is_overdue(due_on: date, status: ReportStatus, today: date) -> bool:
    return status in WAITING_FOR_COOP and due_on < today


MAX_DIGITS = 24
_NUMBER = re.compile(r"^\d[\d.,\s]*$|^[.,]\d+$")


def parse_number(text: str) -> float | None:
    """'1,234.5', '1.234,5', '1 234', '12,5' or '0.25' -> a number; None if it is not one.
    A single mark before exactly three digits groups thousands ('2,350' is 2350) unless the
    whole part is 0."""
    raw = text.strip().replace("\u00a0", " ")
    if not raw or len(raw) > MAX_DIGITS or not _NUMBER.match(raw):
        return None
    raw = raw.replace(" ", "")
    marks = [i for i, c in enumerate(raw) if c in ".,"]
    if marks:
        last = marks[-1]
        whole, fraction = raw[:last], raw[last + 1:]
        single_kind = len({raw[i] for i in marks}) == 1
        if single_kind and (len(marks) > 1 or (len(fraction) == 3 and whole not in ("", "0"))):
            if any(len(group) != 3 for group in raw.split(raw[last])[1:]):
                return None                                    # '1,2,3' groups nothing
            whole, fraction = raw.replace(raw[last], ""), ""      # thousands only
        elif not single_kind and (raw.count(raw[last]) != 1 or any(  # '1.250,5' groups
                len(group) != 3 for group in re.split(r"[.,]", whole)[1:])):
            return None
        whole = whole.replace(",", "").replace(".", "")
        raw = f"{whole or '0'}.{fraction or '0'}"
    try:
        number = float(raw)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def read_values(committed: Iterable[str], typed: Mapping[str, str]
                ) -> tuple[dict[str, float], dict[str, str]]:
    """The values typed for the committed indicators (blank ones left out) and, by key, what
    is wrong with the others."""
    values: dict[str, float] = {}
    errors: dict[str, str] = {}
    for key in committed:
        text = str(typed.get(key, "") or "").strip()
        if not text:
            continue
        number = parse_number(text)
        if number is None:
            errors[key] = _l("Type a number, such as 1250 or 12.5.")
        else:
            values[key] = number
    return values, errors


def refuse_submit(committed: Iterable[str], values: Mapping[str, float],
                  narrative: Mapping[str, str], names: Mapping[str, str]) -> dict[str, str]:
    """What a report lacks before it can be submitted, by field (empty: complete)."""
    missing: dict[str, str] = {}
    for section in REQUIRED_SECTIONS:
        if not str(narrative.get(section, "")).strip():
            missing[f"narrative.{section}"] = _l("Write this part of the report.")
    for key in committed:
        if key not in values:
            missing[f"values.{key}"] = Msg(_l("Give a value for %(indicator)s."),
                                           indicator=names.get(key, key))
    return missing


def change(baseline: float, final: float, direction: Direction) -> tuple[float, float | None]:
    """From baseline to final: the difference, and the relative change in percent (None
    from a baseline of 0), each signed so that positive is better for this indicator."""
    sign = 1 if direction is Direction.UP else -1
    difference = (final - baseline) * sign
    relative = None if baseline == 0 else difference / abs(baseline) * 100
    return difference, relative
