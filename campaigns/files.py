"""The files the campaigns keep in storage: a campaign's image (app/tasks.py removes a
stored file no row points to once it is a day old)."""

from __future__ import annotations

from collections.abc import Sequence

from campaigns.campaign.models import Campaign


async def kept(keys: Sequence[str]) -> set[str]:
    """Which of these storage keys a campaign's image is."""
    rows = await Campaign.filter(image_key__in=list(keys)).values_list(  # unscoped: files of
        "image_key", flat=True)                                          # every organisation
    return {str(key) for key in rows}
