"""Removing stored files no row points to (the `remove_unused_files` job, app/tasks.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from app.storage import Storage

Kept = Callable[[Sequence[str]], Awaitable[set[str]]]
CHUNK = 1000


async def remove_unused(storage: Storage, before: datetime, keepers: Sequence[Kept]) -> int:
    """Delete the files written before `before` that no keeper's rows point to; answers how
    many went. A file written later may belong to a transaction still open: it waits."""
    stale = await storage.written_before(before)
    removed = 0
    for start in range(0, len(stale), CHUNK):
        chunk = stale[start:start + CHUNK]
        kept: set[str] = set()
        for keeper in keepers:
            kept |= await keeper(chunk)
        for key in chunk:
            if key not in kept:
                await storage.delete(key)
                removed += 1
    return removed
