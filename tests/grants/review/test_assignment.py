"""The reviewer assignment: exactly optimal (checked by brute force on small calls), every
constraint held on random calls, infeasible calls explained."""

from __future__ import annotations

import itertools
import math
import random

import pytest

from app.i18n import gettext
from grants.review.assignment import (
    Assignment,
    Infeasible,
    Paper,
    Problem,
    Reviewer,
    affinity,
    capacity,
    loads,
    solve,
)

COUNTRIES, COMMODITIES = ("KE", "PE", "UG", "CO"), ("coffee", "tea", "cocoa")
CATEGORIES, LANGUAGES = ("quality", "financing", "market_access"), ("en", "es", "sw")


def random_problem(rng: random.Random, papers: int, reviewers: int, k: int) -> Problem:
    ps = tuple(Paper(i, rng.choice(LANGUAGES[:2]), rng.choice(COUNTRIES),
                     frozenset(rng.sample(COMMODITIES, rng.randint(1, 2))),
                     rng.choice(CATEGORIES)) for i in range(papers))
    rs = tuple(Reviewer(100 + j, frozenset(rng.sample(LANGUAGES, rng.randint(1, 3))) | {"en"},
                        frozenset(rng.sample(COUNTRIES, 2)),
                        frozenset(rng.sample(COMMODITIES, 2)),
                        frozenset(rng.sample(CATEGORIES, 2)), rng.randint(2, 8))
               for j in range(reviewers))
    conflicts = frozenset((p.id, r.id) for p in ps for r in rs if rng.random() < 0.1)
    return Problem(ps, rs, k, conflicts)


def brute_force(problem: Problem) -> float | None:
    caps = {r.id: capacity(r, len(problem.papers), len(problem.reviewers), problem.k)
            for r in problem.reviewers}
    options = []
    for paper in problem.papers:
        allowed = [r for r in problem.reviewers if (paper.id, r.id) not in problem.conflicts
                   and paper.language in r.languages]
        options.append([tuple(c) for c in itertools.combinations(allowed, problem.k)])
    best = None
    for choice in itertools.product(*options):
        used: dict[int, int] = {}
        for group in choice:
            for r in group:
                used[r.id] = used.get(r.id, 0) + 1
        if any(used[r] > caps[r] for r in used):
            continue
        total = sum(affinity(p, r) for p, group in zip(problem.papers, choice, strict=True)
                    for r in group)
        best = total if best is None or total > best else best
    return best


@pytest.mark.parametrize("seed", range(12))
def test_small_calls_match_the_brute_force_optimum(seed: int) -> None:
    problem = random_problem(random.Random(seed), papers=4, reviewers=4, k=2)
    expected = brute_force(problem)
    result = solve(problem)
    if expected is None:
        assert isinstance(result, Infeasible) and result.reasons
    else:
        assert isinstance(result, Assignment)
        assert result.affinity == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("seed", range(25))
def test_every_constraint_holds_on_random_calls(seed: int) -> None:
    rng = random.Random(1000 + seed)
    problem = random_problem(rng, papers=rng.randint(5, 40), reviewers=rng.randint(6, 20), k=3)
    result = solve(problem)
    if isinstance(result, Infeasible):
        assert result.reasons
        return
    by_paper: dict[int, list[int]] = {}
    for paper_id, reviewer_id in result.pairs:
        by_paper.setdefault(paper_id, []).append(reviewer_id)
    reviewers = {r.id: r for r in problem.reviewers}
    for paper in problem.papers:
        chosen = by_paper[paper.id]
        assert len(chosen) == len(set(chosen)) == problem.k
        for reviewer_id in chosen:
            assert (paper.id, reviewer_id) not in problem.conflicts
            assert paper.language in reviewers[reviewer_id].languages
    limit = math.ceil(len(problem.papers) * problem.k / len(problem.reviewers)) + 1
    for reviewer_id, load in loads(result.pairs).items():
        assert load <= min(reviewers[reviewer_id].max_load, limit)


def test_infeasible_calls_say_why() -> None:
    papers = (Paper(1, "sw", "KE", frozenset({"tea"}), "quality"),
              Paper(2, "en", "KE", frozenset({"tea"}), "quality"))
    reviewers = (Reviewer(10, frozenset({"en"})), Reviewer(11, frozenset({"en", "sw"})))
    short = solve(Problem(papers, reviewers, k=2))
    assert isinstance(short, Infeasible) and short.short == {1: 1}
    assert "Application 1 has 1 eligible reviewer;" in gettext(short.reasons[0])
    tight = solve(Problem(papers[1:], (Reviewer(10, frozenset({"en"}), max_load=0),
                                       Reviewer(11, frozenset({"en"}), max_load=1)), k=2))
    assert isinstance(tight, Infeasible)
    assert "can carry 1 review in all" in gettext(tight.reasons[0])
    group = solve(Problem(
        tuple(Paper(i, "sw", "KE", frozenset({"tea"}), "quality") for i in range(3))
        + tuple(Paper(i, "en", "KE", frozenset({"tea"}), "quality") for i in range(3, 5)),
        (Reviewer(10, frozenset({"sw", "en"}), max_load=3),
         Reviewer(11, frozenset({"sw", "en"}), max_load=3),
         Reviewer(12, frozenset({"en"}), max_load=5)), k=2))
    assert isinstance(group, Infeasible)
    assert "Applications 0, 1, 2, 3, 4 need 10 reviews" in gettext(group.reasons[0])
    assert "at most 8: 6 from reviewers 10, 11" in gettext(group.reasons[0])


def test_pinned_pairs_stay() -> None:
    problem = random_problem(random.Random(5), papers=6, reviewers=6, k=2)
    free = solve(problem)
    assert isinstance(free, Assignment)
    paper = problem.papers[0]
    outsider = next(r.id for r in problem.reviewers if (paper.id, r.id) not in free.pairs
                    and paper.language in r.languages
                    and (paper.id, r.id) not in problem.conflicts)
    pinned = solve(Problem(problem.papers, problem.reviewers, 2, problem.conflicts,
                           frozenset({(paper.id, outsider)})))
    assert isinstance(pinned, Assignment) and (paper.id, outsider) in pinned.pairs
    assert pinned.affinity <= free.affinity


def test_pins_past_k_or_a_load_limit_are_kept_and_the_rest_is_still_solved() -> None:
    papers = tuple(Paper(i, "en", "KE", frozenset({"tea"}), "quality") for i in range(3))
    reviewers = tuple(Reviewer(10 + j, frozenset({"en"}), max_load=2) for j in range(3))
    pinned = frozenset({(0, 10), (0, 11), (0, 12)})        # three on a call asking for one
    result = solve(Problem(papers, reviewers, k=1, fixed=pinned))
    assert isinstance(result, Assignment)
    assert pinned <= set(result.pairs)
    assert {p for p, _ in result.pairs if p != 0} == {1, 2}     # each of the others gets one
    assert sum(1 for p, _ in result.pairs if p in (1, 2)) == 2
