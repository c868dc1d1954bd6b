"""Moving an auction through its transition table (campaigns/lifecycle.py), audited: the one
way every use case changes an auction's status."""

from __future__ import annotations

from app import audit
from app.errors import Conflict
from app.transitions import Refusal
from campaigns.auction.lifecycle import AUCTIONS
from campaigns.auction.models import Auction
from campaigns.lifecycle import Actor


def allowed(row: Auction, action: str, actor: Actor = Actor.SYSTEM) -> bool:
    return not isinstance(AUCTIONS.decide(row.status, action, actor), Refusal)


async def move_auction(row: Auction, action: str, actor: Actor = Actor.SYSTEM,
                       actor_id: int | None = None) -> None:
    """Move a locked auction by its table; Conflict with the reason when it refuses."""
    answer = AUCTIONS.decide(row.status, action, actor)
    if isinstance(answer, Refusal):
        raise Conflict(answer.reason, code="transition_refused")
    row.status = answer.target  # type: ignore[assignment]
    await row.save(update_fields=["status", "updated_at"])
    await audit.record(verb=f"auction.{action}", obj=row, actor_id=actor_id,
                       organisation_id=row.organisation_id, changed=["status"])
