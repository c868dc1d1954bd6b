"""The impact dashboard's figures, without a database: money by dimension and currency,
report compliance, and what works across projects."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from grants.impact.dashboard import (
    MIN_PROJECTS,
    ProjectRow,
    ReportRow,
    Spread,
    compliance,
    funding,
    spread,
    totals,
    what_works,
)
from grants.projects.statuses import Direction, ProjectStatus, ReportKind, ReportStatus

TODAY = date(2028, 6, 1)


def project(id: int, **overrides: Any) -> ProjectRow:
    values: dict[str, Any] = {
        "id": id, "title": f"Project {id}", "coop": f"Co-op {id}",
        "status": ProjectStatus.ACTIVE, "amount_minor": 1_000_000, "currency": "USD",
        "year": 2027, "country": "PE", "commodities": ("coffee",), "category": "quality",
        "kind": "training", "disbursed_minor": 0}
    return ProjectRow(**{**values, **overrides})


def report(id: int, project_id: int, kind: ReportKind = ReportKind.BASELINE, *,
           status: ReportStatus = ReportStatus.ACCEPTED, due_on: date = date(2028, 1, 1),
           submitted_on: date | None = date(2027, 12, 20), number: int = 1,
           values: dict[str, Any] | None = None) -> ReportRow:
    return ReportRow(id=id, project_id=project_id, kind=kind, due_on=due_on, status=status,
                     number=number, submitted_on=submitted_on, values=values or {})


def measured(project_id: int, before: dict[str, Any], after: dict[str, Any]) -> list[ReportRow]:
    return [report(project_id * 10, project_id, ReportKind.BASELINE, values=before),
            report(project_id * 10 + 1, project_id, ReportKind.FINAL, values=after)]


def test_money_is_grouped_by_currency_and_never_mixed() -> None:
    rows = [project(1, amount_minor=500_000, disbursed_minor=200_000),
            project(2, amount_minor=300_000, country="KE"),
            project(3, amount_minor=40_000_000, currency="KES", country="KE",
                    disbursed_minor=10_000_000)]
    assert [(r.currency, r.projects, r.awarded_minor, r.disbursed_minor)
            for r in totals(rows)] == [("KES", 1, 40_000_000, 10_000_000),
                                       ("USD", 2, 800_000, 200_000)]
    by_country = funding(rows, "country")
    assert [(r.currency, r.key, r.awarded_minor) for r in by_country] == [
        ("KES", "KE", 40_000_000), ("USD", "PE", 500_000), ("USD", "KE", 300_000)]
    assert totals(rows)[0].disbursed_share == 25.0


def test_cancelled_projects_award_nothing_but_what_they_were_paid_counts() -> None:
    rows = [project(1, amount_minor=500_000),
            project(2, status=ProjectStatus.CANCELLED, amount_minor=900_000,
                    disbursed_minor=100_000),
            project(3, status=ProjectStatus.CANCELLED, amount_minor=700_000)]
    [total] = totals(rows)
    assert (total.projects, total.awarded_minor, total.disbursed_minor) == (1, 500_000, 100_000)


def test_dimensions_commodities_count_under_each_and_years_run_in_order() -> None:
    rows = [project(1, year=2028, commodities=("coffee", "cocoa"), amount_minor=100),
            project(2, year=2026, commodities=(), amount_minor=300, category="")]
    assert [(r.key, r.awarded_minor) for r in funding(rows, "commodity")] == [
        ("", 300), ("cocoa", 100), ("coffee", 100)]
    assert [r.key for r in funding(rows, "year")] == ["2026", "2028"]
    assert [r.key for r in funding(rows, "category")] == ["", "quality"]
    assert funding(rows, "year")[0].disbursed_share == 0
    assert funding([project(1, amount_minor=0)], "year")[0].disbursed_share is None


def test_compliance_counts_on_time_late_overdue_and_lists_the_most_overdue_first() -> None:
    projects = {p.id: p for p in (project(1), project(2), project(
        3, status=ProjectStatus.CANCELLED))}
    reports = [
        report(1, 1, due_on=date(2028, 1, 1), submitted_on=date(2028, 1, 1)),    # on time
        report(2, 1, ReportKind.MIDLINE, status=ReportStatus.SUBMITTED,
               due_on=date(2028, 3, 1), submitted_on=date(2028, 3, 5)),           # late
        report(3, 2, status=ReportStatus.DUE, due_on=date(2028, 5, 1), submitted_on=None),
        report(4, 2, ReportKind.MIDLINE, status=ReportStatus.RETURNED,
               due_on=date(2028, 2, 1), submitted_on=date(2028, 1, 20)),          # overdue
        report(5, 2, ReportKind.FINAL, status=ReportStatus.DUE, due_on=TODAY),    # not yet
        report(6, 3, status=ReportStatus.DUE, due_on=date(2028, 1, 1)),           # cancelled
        report(7, 99, status=ReportStatus.DUE, due_on=date(2028, 1, 1)),          # unknown
    ]
    found = compliance(reports, projects, TODAY)
    assert (found.past_due, found.on_time, found.late, found.overdue, found.accepted) == (
        4, 1, 1, 2, 1)
    assert found.on_time_share == 25.0
    assert [(o.report.id, o.days_late, o.project.title) for o in found.overdue_reports] == [
        (4, 121, "Project 2"), (3, 31, "Project 2")]
    capped = compliance(reports, projects, TODAY, limit=1)
    assert capped.overdue == 2 and [o.report.id for o in capped.overdue_reports] == [4]
    assert compliance([], projects, TODAY).on_time_share is None


def test_spread_is_the_median_and_the_middle_half() -> None:
    assert spread([5.0]) == Spread(5.0, 5.0, 5.0)
    found = spread([40.0, 10.0, 20.0, 30.0, 50.0])
    assert (found.median, found.low, found.high) == (30.0, 20.0, 40.0)
    two = spread([10.0, 20.0])
    assert (two.median, two.low, two.high) == (15.0, 12.5, 17.5)


def test_what_works_per_category_type_and_indicator_with_the_number_of_projects() -> None:
    projects = [project(i) for i in (1, 2, 3)] + [project(4, kind="credit")]
    reports = [*measured(1, {"yield_per_ha": 800}, {"yield_per_ha": 1000}),
               *measured(2, {"yield_per_ha": 1000}, {"yield_per_ha": 1100}),
               *measured(3, {"yield_per_ha": 500}, {"yield_per_ha": 500}),
               *measured(4, {"yield_per_ha": 700}, {"yield_per_ha": 1400})]
    effects = what_works(projects, reports, {"yield_per_ha": Direction.UP})
    assert [(e.category, e.kind, e.indicator, e.n, e.too_few) for e in effects] == [
        ("quality", "credit", "yield_per_ha", 1, True),
        ("quality", "training", "yield_per_ha", 3, False)]
    training = effects[1]
    assert training.difference.median == 100
    assert training.relative is not None
    assert (training.relative.median, training.relative.low, training.relative.high) == (
        10.0, 5.0, 17.5)
    assert effects[0].relative is not None and effects[0].relative.median == 100.0
    assert MIN_PROJECTS == 3


def test_a_single_project_is_flagged_too_few_to_tell() -> None:
    [effect] = what_works([project(1)], measured(1, {"premium_share": 10},
                                                 {"premium_share": 60}), {})
    assert effect.n == 1 and effect.too_few
    assert effect.difference.low == effect.difference.high == 50


def test_for_a_down_indicator_a_fall_is_better() -> None:
    projects = [project(i) for i in (1, 2, 3)]
    reports = [*measured(1, {"cost_of_production": 10}, {"cost_of_production": 8}),
               *measured(2, {"cost_of_production": 10}, {"cost_of_production": 9}),
               *measured(3, {"cost_of_production": 10}, {"cost_of_production": 12})]
    [effect] = what_works(projects, reports, {"cost_of_production": Direction.DOWN})
    assert effect.difference.median == 1            # one unit cheaper: better
    assert effect.relative is not None
    assert (effect.relative.median, effect.relative.low, effect.relative.high) == (
        10.0, -5.0, 15.0)


def test_only_accepted_baselines_and_finals_with_numbers_count() -> None:
    projects = [project(i) for i in (1, 2, 3, 4, 5)] + [
        project(6, status=ProjectStatus.CANCELLED)]
    reports = [
        *measured(1, {"a": 0, "b": 2}, {"a": 5, "b": "n/a"}),      # zero baseline; b no number
        report(20, 2, ReportKind.BASELINE, values={"a": 1}),
        report(21, 2, ReportKind.FINAL, status=ReportStatus.SUBMITTED, values={"a": 9}),
        report(30, 3, ReportKind.BASELINE, values={"a": 1}),
        report(31, 3, ReportKind.MIDLINE, values={"a": 9}),
        *measured(4, {"a": True}, {"a": 3}),
        report(50, 5, ReportKind.BASELINE, values={"a": 2}),
        report(51, 5, ReportKind.FINAL, values={"a": 3}, number=1),
        report(52, 5, ReportKind.FINAL, values={"a": 4}, number=2),  # the later final
        *measured(6, {"a": 1}, {"a": 100}),
    ]
    [effect] = what_works(projects, reports, {})
    assert (effect.indicator, effect.n, effect.n_relative) == ("a", 2, 1)
    assert effect.difference.median == 3.5                   # 5 and 2
    assert effect.relative is not None and effect.relative.median == 100.0


@pytest.mark.parametrize("raw", [float("nan"), float("inf"), None, "12"])
def test_values_that_are_not_finite_numbers_are_left_out(raw: Any) -> None:
    assert what_works([project(1)], measured(1, {"a": raw}, {"a": 1}), {}) == []
