"""The impact dashboard's figures, pure: no database, no clock.

Money awarded and paid, by country, commodity, challenge category and year, never summed
across currencies; whether reports come on time; and, per challenge category and project
type, how each indicator moved from a project's accepted baseline to its accepted final
report across projects ("what works") — with the number of projects behind each figure and
their spread, and a flag below MIN_PROJECTS, so that one project never looks like a proven
practice.

Awarded: the amounts of projects not cancelled. Disbursed: their paid tranches (money paid
to a project later cancelled did move, so it still counts). A co-op growing two commodities
counts under both.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from grants.projects.outcomes import change, is_overdue
from grants.projects.statuses import Direction, ProjectStatus, ReportKind, ReportStatus

MIN_PROJECTS = 3            # fewer projects than this: "too few projects to tell"
DIMENSIONS = ("country", "commodity", "category", "year")
SUBMITTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


@dataclass(frozen=True, slots=True)
class ProjectRow:
    id: int
    title: str
    coop: str
    status: ProjectStatus
    amount_minor: int
    currency: str
    year: int
    country: str = ""
    commodities: tuple[str, ...] = ()
    category: str = ""
    kind: str = ""                       # the project type (vocab.PROJECT_TYPES)
    disbursed_minor: int = 0

    @property
    def live(self) -> bool:
        return self.status is not ProjectStatus.CANCELLED

    def keys(self, dimension: str) -> tuple[str, ...]:
        """Where the project counts along a dimension ("" when the co-op did not say)."""
        if dimension == "commodity":
            return tuple(dict.fromkeys(self.commodities)) or ("",)
        if dimension == "year":
            return (str(self.year),)
        return (str(getattr(self, dimension)),)


@dataclass(frozen=True, slots=True)
class ReportRow:
    id: int
    project_id: int
    kind: ReportKind
    due_on: date
    status: ReportStatus
    number: int = 1
    submitted_on: date | None = None     # the day it was (last) submitted, local time
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FundingRow:
    dimension: str
    key: str
    currency: str
    projects: int
    awarded_minor: int
    disbursed_minor: int

    @property
    def disbursed_share(self) -> float | None:
        """Disbursed as a percentage of awarded (None when nothing is awarded)."""
        return self.disbursed_minor / self.awarded_minor * 100 if self.awarded_minor else None


def _grouped(projects: Iterable[ProjectRow], dimension: str) -> list[FundingRow]:
    groups: dict[tuple[str, str], list[int]] = {}
    for project in projects:
        if not project.live and not project.disbursed_minor:
            continue
        keys = ("",) if dimension == "total" else project.keys(dimension)
        for key in keys:
            figures = groups.setdefault((project.currency, key), [0, 0, 0])
            if project.live:
                figures[0] += 1
                figures[1] += project.amount_minor
            figures[2] += project.disbursed_minor
    return [FundingRow(dimension, key, currency, *figures)
            for (currency, key), figures in groups.items()]


def funding(projects: Iterable[ProjectRow], dimension: str) -> list[FundingRow]:
    """Per currency and key: live projects, their awards, and what was paid. Years run in
    order; other keys from the largest award down."""
    rows = _grouped(projects, dimension)
    if dimension == "year":
        return sorted(rows, key=lambda r: (r.currency, r.key))
    return sorted(rows, key=lambda r: (r.currency, -r.awarded_minor, r.key))


def totals(projects: Iterable[ProjectRow]) -> list[FundingRow]:
    """One row per currency: disbursed against awarded."""
    return sorted(_grouped(projects, "total"), key=lambda r: r.currency)


@dataclass(frozen=True, slots=True)
class Overdue:
    report: ReportRow
    project: ProjectRow
    days_late: int


@dataclass(frozen=True, slots=True)
class Compliance:
    """Reports whose due date has passed: submitted on time, late, or still overdue."""

    past_due: int
    on_time: int
    late: int
    overdue: int
    accepted: int
    overdue_reports: tuple[Overdue, ...]      # most overdue first, at most the limit

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.past_due * 100 if self.past_due else None


REPORTING = (ProjectStatus.ACTIVE, ProjectStatus.COMPLETED)


def compliance(reports: Iterable[ReportRow], projects: Mapping[int, ProjectRow], today: date,
               limit: int | None = 50) -> Compliance:
    """Reports due before today of projects under way or completed (an agreement not yet
    accepted owes no report). A report returned for changes and not sent again is overdue,
    like one never sent — while its project runs: one a completed project never sent is left
    out. At most `limit` overdue reports are listed (all with None); the counts cover them
    all."""
    on_time = late = accepted = 0
    overdue: list[Overdue] = []
    for report in reports:
        project = projects.get(report.project_id)
        if (project is None or project.status not in REPORTING
                or report.due_on >= today):
            continue
        if is_overdue(report.due_on, report.status, today):
            if project.status is ProjectStatus.ACTIVE:
                overdue.append(Overdue(report, project, (today - report.due_on).days))
        elif report.submitted_on is not None and report.submitted_on <= report.due_on:
            on_time += 1
        else:
            late += 1
        accepted += report.status is ReportStatus.ACCEPTED
    overdue.sort(key=lambda o: (-o.days_late, o.project.title, o.report.id))
    return Compliance(past_due=on_time + late + len(overdue), on_time=on_time, late=late,
                      overdue=len(overdue), accepted=accepted,
                      overdue_reports=tuple(overdue[:limit]))


@dataclass(frozen=True, slots=True)
class Spread:
    median: float
    low: float       # first quartile
    high: float      # third quartile


def spread(values: Sequence[float]) -> Spread:
    """The median and the interquartile range (the middle half of the projects)."""
    ordered = sorted(values)
    median = statistics.median(ordered)
    if len(ordered) < 2:
        return Spread(median, median, median)
    low, _, high = statistics.quantiles(ordered, n=4, method="inclusive")
    return Spread(median, low, high)


@dataclass(frozen=True, slots=True)
class Effect:
    """How one indicator moved, baseline to final, across the projects of one challenge
    category and project type. Both figures are signed so that positive is better."""

    category: str
    kind: str
    indicator: str
    n: int                         # projects with an accepted baseline and final value
    difference: Spread             # in the indicator's unit
    relative: Spread | None        # in percent of the baseline, over `n_relative` projects
    n_relative: int

    @property
    def too_few(self) -> bool:
        return self.n < MIN_PROJECTS


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _accepted(reports: Iterable[ReportRow]) -> dict[tuple[int, ReportKind], ReportRow]:
    """Each project's accepted baseline and final report (the latest if there are more)."""
    found: dict[tuple[int, ReportKind], ReportRow] = {}
    for report in reports:
        if report.status is not ReportStatus.ACCEPTED or report.kind is ReportKind.MIDLINE:
            continue
        known = found.get((report.project_id, report.kind))
        if known is None or report.number > known.number:
            found[(report.project_id, report.kind)] = report
    return found


def what_works(projects: Iterable[ProjectRow], reports: Iterable[ReportRow],
               directions: Mapping[str, Direction]) -> list[Effect]:
    """Per (challenge category, project type, indicator), the change from baseline to final
    over the live projects with both reports accepted and a number in each; an indicator
    missing from `directions` counts more as better."""
    accepted = _accepted(reports)
    changes: dict[tuple[str, str, str], list[tuple[float, float | None]]] = {}
    for project in projects:
        baseline = accepted.get((project.id, ReportKind.BASELINE))
        final = accepted.get((project.id, ReportKind.FINAL))
        if not project.live or baseline is None or final is None:
            continue
        for key, raw in baseline.values.items():
            before, after = _number(raw), _number(final.values.get(key))
            if before is None or after is None:
                continue
            moved = change(before, after, directions.get(key, Direction.UP))
            changes.setdefault((project.category, project.kind, key), []).append(moved)
    effects = []
    for (category, kind, key), moves in sorted(changes.items()):
        relative = [r for _, r in moves if r is not None]
        effects.append(Effect(category, kind, key, len(moves), spread([d for d, _ in moves]),
                              spread(relative) if relative else None, len(relative)))
    return effects
