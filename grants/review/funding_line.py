"""Which applications to fund within a budget, by calibrated rank, with a fair lottery where
the ranking cannot tell applications apart. Pure: no I/O.

1. Walk the applications from the best calibrated score down, funding each request in full,
   until one does not fit in what is left: that application is on the funding line.
2. The applications whose uncertainty intervals overlap the interval of the one on the line
   cannot honestly be ranked against it: they form the lottery group (above and below the
   line). Those funded in step 1 that are outside the group stay funded.
3. The group is shuffled with a seeded random generator (Python's `random.Random(seed)` on
   the group sorted by application id); in the drawn order each request is funded if it
   fits in what is left.
4. Whatever money is left goes, in rank order, to the applications below the line, outside
   the group, whose requests fit.

The seed is recorded in the audit log: anyone can re-run the draw with it and check.
When nothing is left unfunded, or the line's interval overlaps no other, there is no draw.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    application_id: int
    requested_minor: int
    calibrated: float
    low: float
    high: float


@dataclass(frozen=True)
class Suggestion:
    awards: tuple[int, ...]          # application ids, in the order they were funded
    line: int | None                 # the application on the funding line
    lottery: tuple[int, ...]         # the group drawn, in the drawn order
    seed: int | None                 # None when there was no draw
    total_minor: int
    sure: tuple[int, ...] = ()       # funded whatever the draw: above the line, outside the group


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.low <= b.high and b.low <= a.high


def suggest(ranked: list[Candidate], budget_minor: int, seed: int) -> Suggestion:
    """`ranked` best first. Only requests that fit are funded, each in full."""
    left = budget_minor
    line_at = None
    for position, candidate in enumerate(ranked):
        if candidate.requested_minor > left:
            line_at = position
            break
        left -= candidate.requested_minor
    if line_at is None:
        everyone = tuple(c.application_id for c in ranked)
        return Suggestion(everyone, None, (), None, budget_minor - left, everyone)
    line = ranked[line_at]
    group = [c for c in ranked if _overlaps(c, line)]
    if len(group) < 2:
        group, drawn_seed = [], None
    else:
        drawn_seed = seed
    in_group = {c.application_id for c in group}
    left = budget_minor
    awards: list[int] = []
    for candidate in ranked[:line_at]:
        if candidate.application_id not in in_group:
            awards.append(candidate.application_id)
            left -= candidate.requested_minor
    sure = tuple(awards)
    drawn = sorted(group, key=lambda c: c.application_id)
    random.Random(seed).shuffle(drawn)
    for candidate in drawn:
        if candidate.requested_minor <= left:
            awards.append(candidate.application_id)
            left -= candidate.requested_minor
    for candidate in ranked[line_at:]:
        if candidate.application_id not in in_group and candidate.requested_minor <= left:
            awards.append(candidate.application_id)
            left -= candidate.requested_minor
    return Suggestion(tuple(awards), line.application_id,
                      tuple(c.application_id for c in drawn), drawn_seed, budget_minor - left,
                      sure)
