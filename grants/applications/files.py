"""The files the applications keep in storage: an attachment's (app/tasks.py removes a
stored file no row points to once it is a day old)."""

from __future__ import annotations

from collections.abc import Sequence

from grants.applications.models import Attachment


async def kept(keys: Sequence[str]) -> set[str]:
    """Which of these storage keys an attachment points to."""
    rows = await Attachment.filter(storage_key__in=list(keys)).values_list(  # unscoped: files
        "storage_key", flat=True)                                 # of every organisation
    return {str(key) for key in rows}
