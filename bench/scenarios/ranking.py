"""Scenario: the calibrated ranking of 2,000 applications from 6,000 marks (3 each) by 300
reviewers with random biases and scales; against computing the raw means and spreads alone
(the part any ranking must do). Prints the time (the target: under 1 s) and how well each
order matches the true qualities. Then the staff's whole ranking table on SQLite (reading
the call's reviews, applications, co-ops, decisions and conflicts, and ranking), against
reading the 6,000 reviews alone."""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.accounts.models import User
from app.db import close_db, init_db, migrate
from app.orgs.models import Membership, Organisation, Role
from app.timefmt import now
from bench.scenarios.row import Row
from grants.applications.models import Application
from grants.applications.statuses import ApplicationStatus
from grants.calls.models import Call
from grants.calls.statuses import CallStatus
from grants.coops.models import Cooperative
from grants.funds.models import Fund
from grants.review.models import Review
from grants.review.scoring import Mark, Ranking, kendall_tau, rank
from grants.review.scoring import _index as index_marks
from grants.review.scoring import _raw as raw_summaries
from grants.review.service import ranking as ranking_service
from grants.review.statuses import ReviewStatus

APPLICATIONS, REVIEWERS, K = 2000, 300, 3
REPEATS = 5
CEILING = "ceiling: raw means and spreads per application"
NO_LOGIN = "!"  # not a hash: nobody signs in as a bench user
READ = "ceiling: read the call's 6,000 submitted reviews (one query, SQLite)"


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
                1 / ranking_seconds, CEILING, 1 / summarising),
            *await _on_sqlite(marks)]


async def _on_sqlite(marks: list[Mark]) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="harambee-bench-ranking-") as directory:
        url = f"sqlite://{Path(directory) / 'ranking.sqlite3'}"
        await migrate(url)
        await init_db(url)
        try:
            staff, call = await _seed(marks)
            reading = await _best_of_async(lambda: Review.filter(
                call_id=call.id, status=ReviewStatus.SUBMITTED).values_list(
                "application_id", "reviewer_id", "score"))
            table = await _best_of_async(lambda: ranking_service.table(staff, call.id))
        finally:
            await close_db()
    print(f"  ranking table on SQLite: {table * 1000:.0f} ms for {APPLICATIONS:,} applications "
          f"and {len(marks):,} reviews (target under 1 s; reading the reviews alone "
          f"{reading * 1000:.0f} ms)")
    return [Row(READ, 1 / reading, READ, 1 / reading),
            Row("ranking table, 2,000 applications (SQLite, tables/s)", 1 / table, READ,
                1 / reading)]


async def _seed(marks: list[Mark]) -> tuple[Membership, Call]:
    org = await Organisation.create(slug="bench-fund", name="Bench Fund", locales=["en"])
    owner = await User.create(email="owner@bench.example.org", password_hash=NO_LOGIN,
                              display_name="Owner")
    staff = await Membership.create(organisation=org, user=owner, role=Role.OWNER)
    staff.organisation = org
    fund = await Fund.create(organisation=org, name="Fund", currency="USD")
    call = await Call.create(
        organisation=org, fund=fund, status=CallStatus.CLOSED, title={"en": "Bench"},
        opens_at=now() - timedelta(days=30), closes_at=now() - timedelta(days=1),
        currency="USD", budget_minor=10**9, min_request_minor=1, max_request_minor=10**8)
    await Cooperative.bulk_create([Cooperative(
        organisation=org, legal_name=f"Co-op {i}", country="KE", legal_form="cooperative",
        commodities=["coffee"], members_total=100) for i in range(APPLICATIONS)])
    coops = await Cooperative.filter(organisation_id=org.id).order_by("id").values_list(
        "id", flat=True)
    await Application.bulk_create([Application(
        organisation=org, call=call, cooperative_id=coop, status=ApplicationStatus.ELIGIBLE,
        title=f"Project {i}", language="en", currency="USD", requested_minor=100_000,
        created_by_id=owner.id) for i, coop in enumerate(coops)])
    applications = await Application.filter(call_id=call.id).order_by("id").values_list(
        "id", flat=True)
    reviewer_ids = sorted({m.reviewer_id for m in marks})
    await User.bulk_create([User(email=f"r{r}@bench.example.org", password_hash=NO_LOGIN,
                                 display_name=f"Reviewer {r}") for r in reviewer_ids])
    users = dict(zip(reviewer_ids, await User.filter(email__startswith="r").order_by(
        "id").values_list("id", flat=True), strict=True))
    await Review.bulk_create([Review(
        organisation=org, call=call, application_id=applications[m.application_id],
        reviewer_id=users[m.reviewer_id], status=ReviewStatus.SUBMITTED, score=m.score,
        submitted_at=now()) for m in marks], batch_size=1000)
    return staff, call


async def _best_of_async(work: Callable[[], Awaitable[object]]) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        await work()
        times.append(time.perf_counter() - started)
    return min(times)
