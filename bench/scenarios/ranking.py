"""Scenario: the calibrated ranking of 2,000 applications from 6,000 marks (3 each) by 300
reviewers with random biases and scales; against computing the raw means and spreads alone
(the part any ranking must do). Prints the time (the target: under 1 s) and how well each
order matches the true qualities."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime

from bench.scenarios.row import Row
from grants.scoring import Mark, Ranking, kendall_tau, rank
from grants.scoring import _index as index_marks
from grants.scoring import _raw as raw_summaries

APPLICATIONS, REVIEWERS, K = 2000, 300, 3
REPEATS = 5
CEILING = "ceiling: raw means and spreads per application"


def _call(seed: int = 1) -> tuple[dict[int, float], list[Mark]]:
    """True qualities ~ N(60, 12), biases ~ N(0, 12), scales ~ lognormal(0, 0.3), noise sd 6,
    reviewers drawn at random."""
    rng = random.Random(seed)
    quality = {app: rng.gauss(60, 12) for app in range(APPLICATIONS)}
    reviewers = [(10_000 + j, rng.gauss(0, 12), rng.lognormvariate(0, 0.3))
                 for j in range(REVIEWERS)]
    marks = [Mark(app, reviewer, q + bias + (scale - 1) * (q - 60) + rng.gauss(0, 6))
             for app, q in quality.items()
             for reviewer, bias, scale in rng.sample(reviewers, K)]
    return quality, marks


def _best_of(work: Callable[[], object]) -> float:
    """The shortest of a few runs, in seconds."""
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


async def ranking() -> list[Row]:
    quality, marks = _call()
    summarising = _best_of(lambda: raw_summaries(index_marks(marks)))
    ranking_seconds = _best_of(lambda: rank(marks))
    result: Ranking = rank(marks)
    rows = sorted(result.rows, key=lambda row: row.application_id)
    truth = [quality[row.application_id] for row in rows]
    raw_tau = kendall_tau(truth, [row.mean for row in rows])
    calibrated_tau = kendall_tau(truth, [row.calibrated for row in rows])
    print(f"  ranking: {len(marks):,} marks of {APPLICATIONS:,} applications by {REVIEWERS} "
          f"reviewers ranked in {ranking_seconds * 1000:.1f} ms (target under 1 s; raw means "
          f"and spreads alone {summarising * 1000:.1f} ms); Kendall tau against the true "
          f"order: raw mean {raw_tau:.3f}, calibrated {calibrated_tau:.3f}, "
          f"at {datetime.now(UTC):%H:%M:%S}")
    return [Row(CEILING, 1 / summarising, CEILING, 1 / summarising),
            Row(f"rank {APPLICATIONS} applications, {len(marks)} marks (rankings/s)",
                1 / ranking_seconds, CEILING, 1 / summarising)]
