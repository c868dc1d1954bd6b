"""The pure rules of outcome reports: numbers as people type them, the schedule, which
reminder has come, what a report lacks, the change from baseline to final, and the table."""

from __future__ import annotations

from datetime import date

import pytest

from app.i18n import gettext
from app.transitions import Refusal
from grants.projects.outcomes import (
    OVERDUE,
    REPORTS,
    SOON,
    Actor,
    change,
    default_schedule,
    is_overdue,
    parse_number,
    read_values,
    refuse_submit,
    reminder_due,
)
from grants.projects.statuses import Direction, ReportKind, ReportStatus


@pytest.mark.parametrize(("typed", "number"), [
    ("1250", 1250.0), ("1,250.5", 1250.5), ("1.250,5", 1250.5), ("12,5", 12.5),
    ("0.25", 0.25), ("0,250", 0.25), ("2,350", 2350.0), ("1 234", 1234.0),
    ("1\u00a0234,5", 1234.5), ("1.500.000", 1_500_000.0), (".5", 0.5), (" 40 ", 40.0),
])
def test_numbers_are_read_as_people_type_them(typed: str, number: float) -> None:
    assert parse_number(typed) == number


@pytest.mark.parametrize("typed", ["", "abc", "-3", "1,2,3", "12kg", "9" * 400, "1e5",
                                   "nan", "inf", "1.2.3,4,5"])
def test_what_is_not_a_number_is_refused(typed: str) -> None:
    assert parse_number(typed) is None


def test_values_keep_the_good_and_name_the_bad() -> None:
    values, errors = read_values(["yield_per_ha", "premium_share", "hectares_mapped"],
                                 {"yield_per_ha": "900", "premium_share": "mucho",
                                  "other": "5"})
    assert values == {"yield_per_ha": 900.0}
    assert set(errors) == {"premium_share"}


def test_the_schedule_follows_the_project() -> None:
    dates = default_schedule(date(2027, 1, 1), date(2027, 12, 31))
    assert dates == {ReportKind.BASELINE: date(2027, 1, 31),
                     ReportKind.MIDLINE: date(2027, 7, 2),
                     ReportKind.FINAL: date(2028, 1, 30)}
    short = default_schedule(date(2027, 1, 1), date(2027, 1, 20))
    assert short[ReportKind.BASELINE] == date(2027, 1, 20)      # never after the end


def test_the_latest_reminder_that_has_come() -> None:
    due = date(2027, 3, 10)
    assert reminder_due(due, ReportStatus.DUE, date(2027, 3, 2)) is None
    assert reminder_due(due, ReportStatus.DUE, date(2027, 3, 3)) == SOON
    assert reminder_due(due, ReportStatus.RETURNED, date(2027, 3, 12)) == SOON
    assert reminder_due(due, ReportStatus.DUE, date(2027, 3, 13)) == OVERDUE
    assert reminder_due(due, ReportStatus.DUE, date(2027, 6, 1)) == OVERDUE   # not both
    for done in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
        assert reminder_due(due, done, date(2027, 3, 13)) is None
        assert not is_overdue(due, done, date(2027, 4, 1))
    assert is_overdue(due, ReportStatus.RETURNED, date(2027, 3, 11))
    assert not is_overdue(due, ReportStatus.DUE, due)


def test_a_report_lacks_its_progress_and_each_committed_value() -> None:
    missing = refuse_submit(["yield_per_ha", "premium_share"], {"yield_per_ha": 1.0},
                            {"progress": "  "}, {"premium_share": "Premium share"})
    assert set(missing) == {"narrative.progress", "values.premium_share"}
    assert "Premium share" in gettext(missing["values.premium_share"])
    assert refuse_submit(["yield_per_ha"], {"yield_per_ha": 0.0}, {"progress": "Done."},
                         {}) == {}


def test_change_is_signed_so_that_positive_is_better() -> None:
    assert change(800, 1000, Direction.UP) == (200, 25.0)
    assert change(2.0, 1.5, Direction.DOWN) == (0.5, 25.0)     # a cost that fell
    assert change(0, 40, Direction.UP) == (40, None)


def test_the_co_op_submits_and_staff_review() -> None:
    submitted = REPORTS.decide(ReportStatus.DUE, "submit", Actor.COOP)
    assert not isinstance(submitted, Refusal) and submitted.target == ReportStatus.SUBMITTED
    assert isinstance(REPORTS.decide(ReportStatus.DUE, "accept", Actor.STAFF), Refusal)
    assert isinstance(REPORTS.decide(ReportStatus.SUBMITTED, "accept", Actor.COOP), Refusal)
    returned = REPORTS.decide(ReportStatus.SUBMITTED, "return", Actor.STAFF)
    assert not isinstance(returned, Refusal) and returned.target == ReportStatus.RETURNED
    again = REPORTS.decide(ReportStatus.RETURNED, "submit", Actor.COOP)
    assert not isinstance(again, Refusal) and again.target == ReportStatus.SUBMITTED
    assert isinstance(REPORTS.decide(ReportStatus.ACCEPTED, "submit", Actor.COOP), Refusal)
