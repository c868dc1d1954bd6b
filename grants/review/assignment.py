"""Assigning reviewers to the eligible applications of a call, exactly. Pure: no I/O.

The problem: maximise the total affinity of the chosen (application, reviewer) pairs, such
that every application gets exactly k distinct reviewers; each reviewer's load is at most
min(their own maximum, ceil(N·k / R) + 1); no conflicted pair; a reviewer only gets
applications in a language they read; pinned pairs (and pairs already reviewed) stay, and
count towards both (staff may pin past them: such an application or reviewer gets no more).

It is a b-matching on a bipartite graph, solved exactly as a min-cost flow (OR-Tools):
source -> applications (k each) -> eligible reviewers (one review per pair) -> sink (each
reviewer's capacity), at the cost of minus the affinity. When no assignment exists
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

from ortools.graph.python import min_cost_flow

from app.i18n import lazy_gettext as _l
from app.i18n import lazy_ngettext


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
    return _min_cost_flow(problem, pairs, caps) or _explain(problem, pairs, caps)


SCALE = 1_000_000  # affinities become integer costs (six decimals, as they are rounded)


def _min_cost_flow(problem: Problem, pairs: list[tuple[int, int, float]],
                   caps: list[int]) -> Assignment | None:
    """Source -> each application (k) -> each eligible reviewer (1) -> sink (capacity),
    at the cost of minus the affinity; None when the flow cannot carry N·k reviews. Fixed
    pairs are taken first, from both sides' allowances."""
    papers, reviewers = problem.papers, problem.reviewers
    need = [problem.k] * len(papers)
    room = list(caps)
    chosen: list[tuple[int, int]] = []
    total = 0.0
    free = []
    for i, j, score in pairs:
        if (papers[i].id, reviewers[j].id) in problem.fixed:
            need[i], room[j] = need[i] - 1, room[j] - 1
            chosen.append((papers[i].id, reviewers[j].id))
            total += score
        else:
            free.append((i, j, score))
    # Pins are staff's choice: an application pinned to more than k reviewers needs no more,
    # and a reviewer pinned past their limit is given no more.
    need, room = [max(0, n) for n in need], [max(0, r) for r in room]
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = 0, len(papers) + len(reviewers) + 1
    for i, wanted in enumerate(need):
        flow.add_arc_with_capacity_and_unit_cost(source, 1 + i, wanted, 0)
    arcs = [flow.add_arc_with_capacity_and_unit_cost(
        1 + i, 1 + len(papers) + j, 1, -round(score * SCALE)) for i, j, score in free]
    for j, left in enumerate(room):
        flow.add_arc_with_capacity_and_unit_cost(1 + len(papers) + j, sink, left, 0)
    flow.set_node_supply(source, sum(need))
    flow.set_node_supply(sink, -sum(need))
    if flow.solve() != flow.OPTIMAL:
        return None
    for arc, (i, j, score) in zip(arcs, free, strict=True):
        if flow.flow(arc) == 1:
            chosen.append((papers[i].id, reviewers[j].id))
            total += score
    return Assignment(tuple(sorted(chosen)), round(total, 6))


def _obvious_reasons(problem: Problem, pairs: list[tuple[int, int, float]],
                     caps: list[int]) -> Infeasible | None:
    counts = [0] * len(problem.papers)
    for i, _, _ in pairs:
        counts[i] += 1
    short = {problem.papers[i].id: c for i, c in enumerate(counts) if c < problem.k}
    reasons: list[str] = [
        lazy_ngettext("Application %(application)s has %(count)s eligible reviewer; it needs "
                      "%(k)s (conflicts and the languages reviewers read).",
                      "Application %(application)s has %(count)s eligible reviewers; it needs "
                      "%(k)s (conflicts and the languages reviewers read).",
                      count, application=paper_id, count=count, k=problem.k)
        for paper_id, count in sorted(short.items())]
    needed = len(problem.papers) * problem.k
    if sum(caps) < needed:
        reasons.append(lazy_ngettext(
            "The reviewers can carry %(capacity)s review in all (their maximum loads, and the "
            "balance limit), fewer than the %(needed)s needed.",
            "The reviewers can carry %(capacity)s reviews in all (their maximum loads, and the "
            "balance limit), fewer than the %(needed)s needed.",
            sum(caps), capacity=sum(caps), needed=needed))
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
    if not group:  # every application could be served but for the pairs kept or pinned
        return Infeasible((_l("The reviews kept (submitted, started or pinned) take up the "
                              "reviewers the other applications need: unpin or remove some, "
                              "or add reviewers."),))
    full = sorted(problem.reviewers[node - 1 - papers].id for node in reached
                  if papers < node < sink)
    from_full = sum(caps[node - 1 - papers] for node in reached if papers < node < sink)
    once = sum(1 for i, j, _ in pairs if 1 + i in reached and 1 + papers + j not in reached)
    needed = problem.k * len(group)
    return Infeasible((lazy_ngettext(
        "Applications %(group)s need %(needed)s review, but their eligible reviewers can give "
        "at most %(most)s: %(from_full)s from reviewers %(full)s at their maximum loads, and "
        "%(once)s from others, who review an application at most once.",
        "Applications %(group)s need %(needed)s reviews, but their eligible reviewers can give "
        "at most %(most)s: %(from_full)s from reviewers %(full)s at their maximum loads, and "
        "%(once)s from others, who review an application at most once.",
        needed, group=_ids(group), needed=needed, most=from_full + once, from_full=from_full,
        full=_ids(full), once=once),))


def _ids(ids: list[int]) -> str:
    return ", ".join(str(i) for i in ids)


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
