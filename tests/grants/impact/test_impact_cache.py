"""A large organisation's dashboard is kept for a minute (one computation for everyone who
opens it meanwhile, the page saying as of when); a small one's is computed every time."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from grants.impact.service import dashboard_cache as impact_cache
from grants.impact.service.dashboard import Dashboard
from tests.grants.factories import make_staff
from tests.helpers import make_org

pytestmark = pytest.mark.usefixtures("settings")


async def test_a_slow_dashboard_is_kept_and_computed_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    org = await make_org()
    ana = await make_staff(org, "ana@fund.example")
    computed: list[Dashboard] = []
    real = impact_cache.dashboard

    async def counted(*args: Any, **kwargs: Any) -> Dashboard:
        computed.append(await real(*args, **kwargs))
        return computed[-1]

    monkeypatch.setattr(impact_cache, "dashboard", counted)
    monkeypatch.setattr(impact_cache, "_kept", {})
    await impact_cache.cached_dashboard(ana)
    await impact_cache.cached_dashboard(ana)
    assert len(computed) == 2                       # fast: computed every time
    monkeypatch.setattr(impact_cache, "SLOW", -1.0)   # every dashboard counts as slow now
    computed.clear()
    found = await asyncio.gather(*(impact_cache.cached_dashboard(ana) for _ in range(5)))
    assert len(computed) == 1                       # once; the others waited for it
    assert {id(dashboard) for dashboard, _at in found} == {id(computed[0])}
    monkeypatch.setattr(impact_cache, "TTL", -1.0)    # kept no time at all
    monkeypatch.setattr(impact_cache, "_kept", {})
    computed.clear()
    await impact_cache.cached_dashboard(ana)
    await impact_cache.cached_dashboard(ana)
    assert len(computed) == 2
