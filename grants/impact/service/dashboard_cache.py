"""The impact dashboard of a large organisation, kept for a minute.

Over thousands of projects the dashboard takes a few hundred milliseconds to add up (five
queries, then the sums in Python); staff opening it at once, or reloading it, should not
each pay for that. A dashboard that took longer than `SLOW` to compute is kept for `TTL`
seconds per organisation and language, and the page says as of when; while one request
computes it, the others wait for that one instead of computing it too. A small
organisation's dashboard is computed on every request, so it is never behind.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime

from app import i18n, timefmt
from app.orgs.models import Membership
from grants.impact.service.dashboard import Dashboard, dashboard
from grants.shared.common import require_staff

SLOW = 0.25          # seconds of computing that make a dashboard worth keeping
TTL = 60.0


@dataclass(frozen=True)
class Kept:
    found: Dashboard
    computed_at: datetime
    expires: float


_kept: dict[tuple[int, str], Kept] = {}
_locks: dict[tuple[int, str], asyncio.Lock] = {}


async def cached_dashboard(membership: Membership) -> tuple[Dashboard, datetime]:
    """The dashboard and when it was computed."""
    require_staff(membership)
    key = (membership.organisation_id, i18n.current_locale())
    kept = _kept.get(key)
    if kept is not None and kept.expires > time.monotonic():
        return kept.found, kept.computed_at
    async with _locks.setdefault(key, asyncio.Lock()):
        kept = _kept.get(key)
        if kept is not None and kept.expires > time.monotonic():
            return kept.found, kept.computed_at
        started, computed_at = time.monotonic(), timefmt.now()
        found = await dashboard(membership)
        if time.monotonic() - started > SLOW:
            _kept[key] = Kept(found, computed_at, time.monotonic() + TTL)
        else:
            _kept.pop(key, None)
        return found, computed_at
