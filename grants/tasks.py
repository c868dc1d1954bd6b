"""Background jobs of this domain (none yet); app/queue.py collects JOBS and PERIODIC."""

from __future__ import annotations

from app.queue import JobFunc, Periodic

JOBS: tuple[JobFunc, ...] = ()
PERIODIC: tuple[Periodic, ...] = ()
