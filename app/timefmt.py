"""Timestamps are stored in UTC and shown in the viewer's timezone and language."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime

from app import i18n
from app.i18n import lazy_gettext as _l
from app.i18n import lazy_ngettext


def now() -> datetime:
    return datetime.now(UTC)


def is_timezone(name: str) -> bool:
    return name in _timezones()


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def common_timezones() -> list[str]:
    return sorted(_timezones())


@cache
def _zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_date(moment: datetime, timezone: str) -> date:
    """The day it is at `moment` in `timezone` (UTC for an unknown one)."""
    return moment.astimezone(_zone(timezone)).date()


def format_datetime(value: datetime | None, timezone: str = "UTC") -> str:
    if value is None:
        return ""
    local = value.astimezone(_zone(timezone))
    return str(babel_format_datetime(local, "medium",
                                     locale=i18n.babel_locale(i18n.current_locale())))


def format_date(value: date | None) -> str:
    """A day (a due date, a project's start) as the current language writes it."""
    if value is None:
        return ""
    return str(babel_format_date(value, "medium", locale=i18n.babel_locale(i18n.current_locale())))


def format_duration(delta: timedelta) -> str:
    """A duration as people say it, in the current language: seconds under two minutes,
    minutes under two hours, hours and minutes after."""
    seconds = max(0, round(delta.total_seconds()))
    message: i18n.Msg
    if seconds < 120:
        message = lazy_ngettext("%(n)s second", "%(n)s seconds", seconds, n=seconds)
    elif seconds < 7200:
        minutes = round(seconds / 60)
        message = lazy_ngettext("%(n)s minute", "%(n)s minutes", minutes, n=minutes)
    else:
        message = i18n.Msg(_l("%(hours)s h %(minutes)s min"),
                           hours=seconds // 3600, minutes=seconds % 3600 // 60)
    return i18n.gettext(message)
