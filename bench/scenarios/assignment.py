"""Scenario: the exact reviewer assignment of 2,000 applications to 300 reviewers, 3 reviews
each, with conflicts (10% of pairs) and language constraints; against listing the eligible
pairs and their affinities alone (the part every method must do). Prints the time and the
process's peak memory (the target: optimal in under 5 s)."""

from __future__ import annotations

import random
import resource
import time
from datetime import UTC, datetime

from bench.scenarios.row import Row
from grants.review.assignment import Assignment, Paper, Problem, Reviewer, solve
from grants.review.assignment import _eligible as eligible_pairs

PAPERS, REVIEWERS, K = 2000, 300, 3
CEILING = "ceiling: list the eligible pairs and affinities (no solving)"


def _problem(seed: int = 1) -> Problem:
    rng = random.Random(seed)
    countries, commodities = ("KE", "UG", "TZ", "RW", "ET", "PE", "CO", "HN"), (
        "coffee", "tea", "cocoa", "banana", "sugar_cane")
    categories, languages = ("quality", "financing", "market_access", "productivity"), (
        "en", "es", "fr", "pt", "sw")
    papers = tuple(Paper(i, rng.choice(languages), rng.choice(countries),
                         frozenset(rng.sample(commodities, rng.randint(1, 2))),
                         rng.choice(categories)) for i in range(PAPERS))
    reviewers = tuple(Reviewer(
        10_000 + j, frozenset(rng.sample(languages, rng.randint(2, 4))),
        frozenset(rng.sample(countries, 3)), frozenset(rng.sample(commodities, 2)),
        frozenset(rng.sample(categories, 2)), max_load=rng.randint(20, 40))
        for j in range(REVIEWERS))
    conflicts = frozenset((p.id, r.id) for p in papers for r in reviewers
                          if rng.random() < 0.1)
    return Problem(papers, reviewers, K, conflicts)


async def assignment() -> list[Row]:
    problem = _problem()
    started = time.perf_counter()
    pairs = eligible_pairs(problem)
    listing = time.perf_counter() - started
    started = time.perf_counter()
    result = solve(problem)
    solving = time.perf_counter() - started
    if not isinstance(result, Assignment):
        raise RuntimeError(f"the bench call has no assignment: {result}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"  assignment: {len(pairs):,} eligible pairs, optimal in {solving:.2f} s "
          f"(target under 5 s), total affinity {result.affinity:,.1f}, process peak "
          f"memory {peak} MiB, at {datetime.now(UTC):%H:%M:%S}")
    return [Row(CEILING, 1 / listing, CEILING, 1 / listing),
            Row(f"assignment {PAPERS} x {REVIEWERS} x {K} (solves/s)", 1 / solving, CEILING,
                1 / listing)]
