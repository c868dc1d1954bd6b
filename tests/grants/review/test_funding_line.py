"""The funding line: full requests by calibrated rank within the budget, a seeded lottery
among the applications the ranking cannot tell from the one on the line, then a fill-up."""

from __future__ import annotations

import random

from grants.review.funding_line import Candidate, Suggestion, suggest


def candidate(application_id: int, requested_minor: int, calibrated: float,
              half: float = 1.0) -> Candidate:
    return Candidate(application_id, requested_minor, calibrated, calibrated - half,
                     calibrated + half)


def check_invariants(ranked: list[Candidate], budget_minor: int, found: Suggestion) -> None:
    """What holds for every suggestion, whatever the instance and the seed."""
    requests = {c.application_id: c.requested_minor for c in ranked}
    assert len(set(found.awards)) == len(found.awards)            # nobody twice
    assert set(found.awards) <= set(requests)
    assert found.total_minor == sum(requests[a] for a in found.awards)   # full requests only
    assert 0 <= found.total_minor <= max(budget_minor, 0)
    assert set(found.lottery) <= set(requests)
    assert (found.seed is None) == (found.lottery == ())
    left = budget_minor - found.total_minor
    # greedy: whatever is not funded did not fit, and still does not fit in what is left
    assert all(c.requested_minor > left for c in ranked if c.application_id not in found.awards)
    if found.line is None:                                        # everything fitted
        assert found.awards == tuple(requests) and found.lottery == ()
        return
    at = [c.application_id for c in ranked].index(found.line)
    assert sum(c.requested_minor for c in ranked[:at + 1]) > budget_minor
    if found.lottery:
        assert found.line in found.lottery
    # funded above the line and outside the lottery group: funded, in rank order, first
    above = [c.application_id for c in ranked[:at] if c.application_id not in found.lottery]
    assert list(found.awards[:len(above)]) == above


def test_when_everything_fits_all_are_funded_without_a_draw() -> None:
    ranked = [candidate(1, 30, 90), candidate(2, 30, 89.5), candidate(3, 40, 89)]
    found = suggest(ranked, 100, seed=7)
    assert found == Suggestion(awards=(1, 2, 3), line=None, lottery=(), seed=None,
                               total_minor=100, sure=(1, 2, 3))
    assert suggest([], 100, seed=7) == Suggestion((), None, (), None, 0)


def test_a_clear_line_needs_no_draw_and_fills_up_below_it() -> None:
    ranked = [candidate(1, 40, 90), candidate(2, 40, 80), candidate(3, 40, 70),
              candidate(4, 10, 60), candidate(5, 30, 50), candidate(6, 5, 40)]
    found = suggest(ranked, 100, seed=7)
    # 1 and 2 fit (80); 3 does not (20 left): the line. Its interval overlaps nobody's.
    assert found.line == 3 and found.lottery == () and found.seed is None
    # below the line, in rank order, the requests that fit: 4 (10), not 5 (30), 6 (5)
    assert found.awards == (1, 2, 4, 6) and found.total_minor == 95
    assert suggest(ranked, 100, seed=8) == found       # no draw: the seed does not matter
    check_invariants(ranked, 100, found)


# 1 is clearly best; 2, 3 and 4 overlap at the line (3); 5 is clearly below.
OVERLAPPING = [candidate(1, 30, 90), candidate(2, 30, 80, half=6), candidate(3, 30, 76, half=6),
               candidate(4, 30, 72, half=6), candidate(5, 10, 50)]


def test_overlapping_intervals_at_the_line_are_drawn_by_lot() -> None:
    found = suggest(OVERLAPPING, 80, seed=2027)
    assert found.line == 3 and found.seed == 2027
    assert sorted(found.lottery) == [2, 3, 4]          # above and below the line
    # the drawn order is random.Random(seed) on the group sorted by id: anyone can check it
    order = [2, 3, 4]
    random.Random(2027).shuffle(order)
    assert found.lottery == tuple(order)
    # 1 stays funded; the first drawn gets 30 of the 50 left; the second does not fit in 20;
    # then 5 (10) fits below the line
    assert found.awards == (1, order[0], 5) and found.total_minor == 70
    check_invariants(OVERLAPPING, 80, found)


def test_the_same_seed_gives_the_same_draw_and_other_seeds_can_differ() -> None:
    results = {seed: suggest(OVERLAPPING, 80, seed) for seed in range(40)}
    for seed, found in results.items():
        assert suggest(OVERLAPPING, 80, seed) == found
        assert found.awards[0] == 1 and 5 in found.awards      # outside the group: unchanged
        assert found.total_minor <= 80
        check_invariants(OVERLAPPING, 80, found)
    winners = {found.awards[1] for found in results.values()}
    assert winners == {2, 3, 4}                                # each may win
    assert len({found.lottery for found in results.values()}) > 1


def test_a_group_member_funded_above_the_line_may_lose_the_draw() -> None:
    found = [suggest(OVERLAPPING, 80, seed) for seed in range(40)]
    assert any(2 not in s.awards for s in found)          # 2 was above the line, in the group
    assert all(1 in s.awards for s in found)              # 1 was above it, outside the group


def test_nothing_fits_or_nothing_left() -> None:
    ranked = [candidate(1, 50, 90), candidate(2, 60, 80)]
    assert suggest(ranked, 40, seed=1) == Suggestion((), 1, (), None, 0)
    assert suggest(ranked, 0, seed=1).awards == ()
    assert suggest(ranked, -10, seed=1).total_minor == 0      # more committed than budgeted


def _random_instance(rng: random.Random) -> tuple[list[Candidate], int]:
    size = rng.randint(1, 25)
    pool = []
    for application_id in rng.sample(range(1, 1000), size):
        calibrated = rng.uniform(20, 95)
        pool.append(candidate(application_id, rng.choice([rng.randint(1, 60), 10, 25, 50]),
                              calibrated, half=rng.choice([0.0, 0.5, rng.uniform(0, 15)])))
    pool.sort(key=lambda c: -c.calibrated)
    budget = rng.randint(0, sum(c.requested_minor for c in pool) + 20)
    return pool, budget


def test_random_instances_never_exceed_the_budget() -> None:
    draws = 0
    for instance in range(400):
        ranked, budget = _random_instance(random.Random(instance))
        for seed in (0, instance, 2**31 - 1):
            found = suggest(ranked, budget, seed)
            check_invariants(ranked, budget, found)
            assert suggest(ranked, budget, seed) == found
            draws += bool(found.lottery)
    assert draws > 100            # the instances do exercise the lottery
