"""An auction's lifecycle as a transition table (see app/transitions.py)."""

from __future__ import annotations

from app.i18n import lazy_gettext as _l
from app.transitions import Machine, Transition
from campaigns.auction.statuses import AuctionStatus
from campaigns.campaign.lifecycle import EITHER, STAFF, SYSTEM

A = AuctionStatus


# The auction of a campaign's broadcast: scheduled -> open -> closing -> won or unsold; a
# won lot is paid, or its payment fails; a failed payment is paid late (within the link's
# deadline), offered to the next bidder (second chance: won again) or ends unsold; staff
# may relist an unsold lot (new dates, the bids kept in the history). Cancelling the campaign
# before it is paid ends its auction unsold.
AUCTIONS = Machine(
    name="auction",
    states=tuple(A),
    initial=A.SCHEDULED,
    terminal=frozenset({A.PAID}),
    transitions=(
        Transition(A.SCHEDULED, "open", EITHER, A.OPEN),
        Transition(A.OPEN, "close", SYSTEM, A.CLOSING),
        Transition(A.CLOSING, "sell", SYSTEM, A.WON),
        Transition(A.CLOSING, "close_unsold", SYSTEM, A.UNSOLD),
        Transition(A.WON, "pay", SYSTEM, A.PAID),
        Transition(A.WON, "fail_payment", SYSTEM, A.PAYMENT_FAILED),
        Transition(A.PAYMENT_FAILED, "pay", SYSTEM, A.PAID),
        Transition(A.PAYMENT_FAILED, "second_chance", SYSTEM, A.WON),
        Transition(A.PAYMENT_FAILED, "close_unsold", SYSTEM, A.UNSOLD),
        Transition(A.UNSOLD, "relist", STAFF, A.SCHEDULED),
        *(Transition(state, "cancel", STAFF, A.UNSOLD)
          for state in (A.SCHEDULED, A.OPEN, A.CLOSING, A.WON, A.PAYMENT_FAILED)),
    ),
    state_labels={
        A.SCHEDULED: _l("scheduled"),
        A.OPEN: _l("open for bids"),
        A.CLOSING: _l("closing"),
        A.WON: _l("won, awaiting payment"),
        A.UNSOLD: _l("unsold"),
        A.PAID: _l("paid"),
        A.PAYMENT_FAILED: _l("awaiting a failed payment"),
    },
    action_labels={
        "open": _l("open the auction"),
        "close": _l("close the auction"),
        "sell": _l("record the winner"),
        "close_unsold": _l("close the auction unsold"),
        "pay": _l("record the payment"),
        "fail_payment": _l("record a failed payment"),
        "second_chance": _l("offer the lot to the next bidder"),
        "relist": _l("relist it"),
        "cancel": _l("cancel the auction"),
    },
)
