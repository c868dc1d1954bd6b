"""Service-level scenarios: async functions returning rows measured against same-run ceilings.

Add a scenario by writing `async def name() -> list[Row]` in a module here and listing it in
SCENARIOS. Each runs in its own event loop, so it owns its database from start to finish.
"""

from __future__ import annotations

import asyncio

from bench.scenarios.assignment import assignment
from bench.scenarios.bids import hot_auction_bids
from bench.scenarios.fanout import broadcast_fanout
from bench.scenarios.job_queue import embedded_queue
from bench.scenarios.pledge_callbacks import pledge_callbacks
from bench.scenarios.ranking import ranking
from bench.scenarios.row import Row, Scenario
from bench.scenarios.submissions import api_submissions
from bench.table import format_table

SCENARIOS: tuple[Scenario, ...] = (embedded_queue, api_submissions, pledge_callbacks,
                                   assignment, ranking, hot_auction_bids, broadcast_fanout)
HEADERS = ("scenario", "ops/s", "ratio", "against")


def run_scenarios(scenarios: tuple[Scenario, ...] = SCENARIOS) -> list[Row]:
    rows: list[Row] = []
    for scenario in scenarios:
        print(f"scenario: {scenario.__name__}", flush=True)
        rows.extend(asyncio.run(scenario()))
    return rows


def print_rows(rows: list[Row]) -> None:
    print("\nService scenarios (ratio = ops/s of the row / ops/s of the row it is against)")
    print(format_table(HEADERS, [[row.name, f"{row.ops_per_second:,.0f}", f"{row.ratio:.3f}",
                                  row.ceiling_name] for row in rows], "lrrl"))
