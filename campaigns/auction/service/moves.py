"""Moving an auction through its transition table (campaigns/auction/lifecycle.py) with
app/moves.py: the system moves it unless an actor is named."""

from __future__ import annotations

from app import moves
from app.transitions import Refusal
from campaigns.auction.lifecycle import AUCTIONS
from campaigns.auction.models import Auction
from campaigns.campaign.lifecycle import Actor


def allowed(row: Auction, action: str, actor: Actor = Actor.SYSTEM) -> bool:
    return not isinstance(AUCTIONS.decide(row.status, action, actor), Refusal)


async def move_auction(row: Auction, action: str, actor: Actor = Actor.SYSTEM,
                       actor_id: int | None = None) -> None:
    """Move a locked auction by its table; Conflict with the reason when it refuses."""
    await moves.move(AUCTIONS, row, action, actor, actor_id)
