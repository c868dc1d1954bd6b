"""Assigning reviewers to the eligible applications of a call, exactly. Pure: no I/O.

The problem: maximise the total affinity of the chosen (application, reviewer) pairs, such
that every application gets exactly k distinct reviewers; each reviewer's load is at most
min(their own maximum, ceil(N·k / R) + 1); no conflicted pair; a reviewer only gets
applications in a language they read; pinned pairs (and pairs already reviewed) stay.

It is a b-matching on a bipartite graph, so its constraint matrix is totally unimodular and
the linear programme's optimal vertex is integral: solved with SciPy's HiGHS dual simplex,
which returns a vertex (checked, with HiGHS's MIP as a fallback). When no assignment exists
the reasons are computed, not guessed: applications with fewer than k eligible reviewers,
a total capacity below N·k, or else (by a maximum flow and its minimum cut) the group of
applications whose eligible reviewers cannot carry k reviews each.

Affinity of a pair, in [0, 1]: 0.4 if the reviewer knows the co-op's country, plus 0.3 times
the share of the co-op's commodities the reviewer knows, plus 0.3 if the reviewer knows the
application's challenge category.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_matrix


@dataclass(frozen=True)
class Paper:
    """An application as the assignment sees it."""

    id: int
    language: str
    country: str
    commodities: frozenset[str]
    category: str


@dataclass(frozen=True)
class Reviewer:
    id: int
    languages: frozenset[str]
    countries: frozenset[str] = frozenset()
    commodities: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    max_load: int = 10


@dataclass(frozen=True)
class Problem:
    papers: tuple[Paper, ...]
    reviewers: tuple[Reviewer, ...]
    k: int
    conflicts: frozenset[tuple[int, int]] = frozenset()   # (paper id, reviewer id)
    fixed: frozenset[tuple[int, int]] = frozenset()       # pinned or already reviewed


@dataclass(frozen=True)
class Assignment:
    pairs: tuple[tuple[int, int], ...]   # (paper id, reviewer id), sorted
    affinity: float


@dataclass(frozen=True)
class Infeasible:
    reasons: tuple[str, ...]
    short: dict[int, int] = field(default_factory=dict)   # paper id -> eligible reviewers


def affinity(paper: Paper, reviewer: Reviewer) -> float:
    score = 0.4 if paper.country in reviewer.countries else 0.0
    if paper.commodities:
        score += 0.3 * len(paper.commodities & reviewer.commodities) / len(paper.commodities)
    if paper.category in reviewer.categories:
        score += 0.3
    return round(score, 6)


def capacity(reviewer: Reviewer, papers: int, reviewers: int, k: int) -> int:
    balanced = math.ceil(papers * k / reviewers) + 1 if reviewers else 0
    return min(reviewer.max_load, balanced)


def _eligible(problem: Problem) -> list[tuple[int, int, float]]:
    """(paper index, reviewer index, affinity) of every pair allowed."""
    pairs = []
    for i, paper in enumerate(problem.papers):
        for j, reviewer in enumerate(problem.reviewers):
            if (paper.id, reviewer.id) in problem.conflicts:
                continue
            if paper.language not in reviewer.languages:
                continue
            pairs.append((i, j, affinity(paper, reviewer)))
    return pairs


def solve(problem: Problem) -> Assignment | Infeasible:
    papers, reviewers, k = problem.papers, problem.reviewers, problem.k
    if not papers:
        return Assignment((), 0.0)
    caps = [capacity(r, len(papers), len(reviewers), k) for r in reviewers]
    pairs = _eligible(problem)
    reasons = _obvious_reasons(problem, pairs, caps)
    if reasons is not None:
        return reasons
    n_vars = len(pairs)
    rows_eq = np.array([i for i, _, _ in pairs])
    rows_ub = np.array([j for _, j, _ in pairs])
    columns = np.arange(n_vars)
    ones = np.ones(n_vars)
    a_eq = coo_matrix((ones, (rows_eq, columns)), shape=(len(papers), n_vars)).tocsr()
    a_ub = coo_matrix((ones, (rows_ub, columns)), shape=(len(reviewers), n_vars)).tocsr()
    cost = -np.array([a for _, _, a in pairs])
    ids = [(papers[i].id, reviewers[j].id) for i, j, _ in pairs]
    lower = np.array([1.0 if pair in problem.fixed else 0.0 for pair in ids])
    result = linprog(cost, A_ub=a_ub, b_ub=np.array(caps, dtype=float), A_eq=a_eq,
                     b_eq=np.full(len(papers), float(k)),
                     bounds=np.column_stack([lower, np.ones(n_vars)]), method="highs")
    if result.status == 2:
        return _explain(problem, pairs, caps)
    values = result.x
    if values is None or not np.allclose(values, np.round(values), atol=1e-6):
        mip = milp(cost, integrality=np.ones(n_vars),
                   bounds=Bounds(lower, np.ones(n_vars)),
                   constraints=[LinearConstraint(a_eq, k, k),
                                LinearConstraint(a_ub, -np.inf, np.array(caps, dtype=float))])
        if mip.x is None:
            return _explain(problem, pairs, caps)
        values = mip.x
    chosen = sorted(ids[v] for v in np.flatnonzero(np.round(values) == 1))
    total = sum(a for (i, j, a), x in zip(pairs, np.round(values), strict=True) if x == 1)
    return Assignment(tuple(chosen), round(float(total), 6))


def _obvious_reasons(problem: Problem, pairs: list[tuple[int, int, float]],
                     caps: list[int]) -> Infeasible | None:
    counts = [0] * len(problem.papers)
    for i, _, _ in pairs:
        counts[i] += 1
    short = {problem.papers[i].id: c for i, c in enumerate(counts) if c < problem.k}
    reasons = [f"application {paper_id} has {count} eligible reviewer(s); it needs "
               f"{problem.k} (conflicts and the languages reviewers read)"
               for paper_id, count in sorted(short.items())]
    needed = len(problem.papers) * problem.k
    if sum(caps) < needed:
        reasons.append(f"the reviewers can carry {sum(caps)} reviews in all (their maximum "
                       f"loads, and the balance limit); {needed} are needed")
    return Infeasible(tuple(reasons), short) if reasons else None


def _explain(problem: Problem, pairs: list[tuple[int, int, float]],
             caps: list[int]) -> Infeasible:
    """A maximum flow; the applications on the source's side of its minimum cut are a
    group whose eligible reviewers cannot give them k reviews each."""
    papers = len(problem.papers)
    source, sink = 0, papers + len(problem.reviewers) + 1
    residual: dict[int, dict[int, int]] = {node: {} for node in range(sink + 1)}

    def edge(a: int, b: int, amount: int) -> None:
        residual[a][b] = residual[a].get(b, 0) + amount
        residual[b].setdefault(a, 0)

    for i in range(papers):
        edge(source, 1 + i, problem.k)
    for i, j, _ in pairs:
        edge(1 + i, 1 + papers + j, 1)
    for j, cap in enumerate(caps):
        edge(1 + papers + j, sink, cap)
    while (path := _augmenting(residual, source, sink)) is not None:
        amount = min(residual[a][b] for a, b in path)
        for a, b in path:
            residual[a][b] -= amount
            residual[b][a] += amount
    reached = _reachable(residual, source)
    group = sorted(problem.papers[node - 1].id for node in reached if 1 <= node <= papers)
    full = sorted(problem.reviewers[node - 1 - papers].id for node in reached
                  if papers < node < sink)
    from_full = sum(caps[node - 1 - papers] for node in reached if papers < node < sink)
    once = sum(1 for i, j, _ in pairs if 1 + i in reached and 1 + papers + j not in reached)
    return Infeasible((f"applications {group} need {problem.k * len(group)} reviews, but "
                       f"their eligible reviewers can give at most {from_full + once}: "
                       f"{from_full} from {full} at their maximum loads, and {once} from "
                       "others, who review an application at most once",))


def _augmenting(residual: dict[int, dict[int, int]], source: int, sink: int
                ) -> list[tuple[int, int]] | None:
    before: dict[int, int] = {source: source}
    queue = deque([source])
    while queue:
        node = queue.popleft()
        for nxt, left in residual[node].items():
            if left > 0 and nxt not in before:
                before[nxt] = node
                if nxt == sink:
                    path, at = [], sink
                    while at != source:
                        path.append((before[at], at))
                        at = before[at]
                    return path[::-1]
                queue.append(nxt)
    return None


def _reachable(residual: dict[int, dict[int, int]], source: int) -> set[int]:
    seen, queue = {source}, deque([source])
    while queue:
        node = queue.popleft()
        for nxt, left in residual[node].items():
            if left > 0 and nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def loads(pairs: Iterable[tuple[int, int]]) -> dict[int, int]:
    counted: dict[int, int] = {}
    for _paper, reviewer in pairs:
        counted[reviewer] = counted.get(reviewer, 0) + 1
    return counted
