"""`harambee broadcast run ORG CAMPAIGN`: publish and fan out a campaign's broadcast now, in
the foreground, with a progress bar (for an operator, and for the benchmark)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli import run_async
from app.settings import Settings
from campaigns.broadcast.service import report as broadcast_report


def add_commands(sub: Any) -> None:
    broadcast = sub.add_parser("broadcast", help="a campaign's broadcast")
    broadcast_sub = broadcast.add_subparsers(dest="broadcast_command", required=True)
    run = broadcast_sub.add_parser("run", help="publish and fan out now, in the foreground")
    run.add_argument("org")
    run.add_argument("campaign")
    run.set_defaults(run=run_async(_broadcast_run))


async def _broadcast_run(settings: Settings, args: argparse.Namespace) -> int:
    from redis.asyncio import Redis

    from app.db import close_db, init_db
    from app.main import command_queue
    from campaigns.broadcast.limits import Limiter, MemoryLimiter, RedisLimiter
    from campaigns.broadcast.service import control as broadcast_control
    from campaigns.broadcast.statuses import BroadcastStatus

    limiter: Limiter = (RedisLimiter(Redis.from_url(settings.redis_url), settings.redis_prefix)
                        if settings.redis_url else MemoryLimiter())
    await init_db(settings.database_url)
    try:
        async with command_queue(settings):    # the end of a broadcast queues its report
            status = await broadcast_control.run_here(settings, args.org, args.campaign,
                                                      limiter, progress_bar)
    finally:
        await close_db()
    print(f"\nbroadcast {status.value}; peak memory {_peak_mib():.0f} MiB")
    return 0 if status is BroadcastStatus.COMPLETED else 1


def _peak_mib() -> float:
    """This process's peak resident memory: VmHWM, which starts again at exec (ru_maxrss
    keeps the peak of the process it was forked from, a big parent's)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def progress_bar(report: broadcast_report.Report) -> None:
    done, total = report.total - report.left, max(report.total, 1)
    width = 30
    filled = width * done // total
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{report.total} "
          f"{report.per_second:,.0f}/s {report.broadcast.status.value}   ",
          end="", file=sys.stderr, flush=True)
