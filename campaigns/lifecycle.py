"""A campaign's lifecycle, and its auction's, as transition tables (see app/transitions.py).

draft -> pledging -> auction -> sold -> scheduled -> broadcasting -> completed; an auction
that does not sell is unsold, and is relisted (auction again, with new dates) or cancelled;
staff may cancel at any point before the broadcast starts. When the auction closes (sold or
unsold) the reach is recorded, so the final report compares what the sponsor bought with
what was delivered; cancelling deletes the pledged accounts' tokens.
"""

from __future__ import annotations

from enum import StrEnum

from app.i18n import lazy_gettext as _l
from app.transitions import Machine, Transition
from campaigns.models import AuctionStatus, BroadcastStatus, DeliveryState, MessageStatus
from campaigns.models import CampaignStatus as C


class Actor(StrEnum):
    STAFF = "staff"
    SYSTEM = "system"
    SPONSOR = "sponsor"


class Effect(StrEnum):
    RECORD_REACH = "record_reach"
    DELETE_TOKENS = "delete_tokens"
    REFUND = "refund"              # a sold broadcast cancelled: the sponsor is refunded


STAFF = frozenset({Actor.STAFF})
SYSTEM = frozenset({Actor.SYSTEM})
EITHER = frozenset({Actor.STAFF, Actor.SYSTEM})
CANCELLABLE = (C.DRAFT, C.PLEDGING, C.AUCTION, C.SOLD, C.UNSOLD, C.SCHEDULED)

CAMPAIGNS = Machine(
    name="campaign",
    states=tuple(C),
    initial=C.DRAFT,
    terminal=frozenset({C.COMPLETED, C.CANCELLED}),
    transitions=(
        Transition(C.DRAFT, "open_pledges", STAFF, C.PLEDGING),
        Transition(C.PLEDGING, "start_auction", EITHER, C.AUCTION),
        Transition(C.AUCTION, "sell", SYSTEM, C.SOLD, (Effect.RECORD_REACH,)),
        Transition(C.AUCTION, "close_unsold", SYSTEM, C.UNSOLD, (Effect.RECORD_REACH,)),
        Transition(C.UNSOLD, "relist", STAFF, C.AUCTION),
        Transition(C.SOLD, "schedule", SYSTEM, C.SCHEDULED),  # the sponsor's post approved
        Transition(C.SCHEDULED, "start_broadcast", SYSTEM, C.BROADCASTING),
        Transition(C.BROADCASTING, "complete", SYSTEM, C.COMPLETED, (Effect.DELETE_TOKENS,)),
        *(Transition(state, "cancel", STAFF, C.CANCELLED, (Effect.DELETE_TOKENS,) + (
            (Effect.REFUND,) if state in (C.SOLD, C.SCHEDULED) else ()))
          for state in CANCELLABLE),
    ),
    state_labels={
        C.DRAFT: _l("a draft"),
        C.PLEDGING: _l("collecting pledges"),
        C.AUCTION: _l("at auction"),
        C.SOLD: _l("sold"),
        C.UNSOLD: _l("unsold"),
        C.SCHEDULED: _l("scheduled"),
        C.BROADCASTING: _l("broadcasting"),
        C.COMPLETED: _l("completed"),
        C.CANCELLED: _l("cancelled"),
    },
    action_labels={
        "open_pledges": _l("open it for pledges"),
        "start_auction": _l("start the auction"),
        "sell": _l("record the sale"),
        "close_unsold": _l("close the auction unsold"),
        "relist": _l("relist it"),
        "schedule": _l("schedule the broadcast"),
        "start_broadcast": _l("start the broadcast"),
        "complete": _l("complete it"),
        "cancel": _l("cancel it"),
        "offer": _l("give the one-tap link"),
    },
)


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


M = MessageStatus

# The winning sponsor's post: submitted (created by the first submission, and edited while
# it waits), returned by staff with comments and submitted again, or approved — which
# schedules the broadcast; an approved post no longer changes.
MESSAGES = Machine(
    name="sponsor_message",
    states=tuple(M),
    initial=M.SUBMITTED,
    terminal=frozenset({M.APPROVED}),
    transitions=(
        Transition(M.SUBMITTED, "submit", frozenset({Actor.SPONSOR}), M.SUBMITTED),
        Transition(M.RETURNED, "submit", frozenset({Actor.SPONSOR}), M.SUBMITTED),
        Transition(M.SUBMITTED, "return", STAFF, M.RETURNED),
        Transition(M.SUBMITTED, "approve", STAFF, M.APPROVED),
    ),
    state_labels={
        M.SUBMITTED: _l("waiting for approval"),
        M.RETURNED: _l("sent back for changes"),
        M.APPROVED: _l("approved"),
    },
    action_labels={
        "submit": _l("submit the post"),
        "return": _l("return it for changes"),
        "approve": _l("approve it"),
    },
)


B = BroadcastStatus

# A broadcast: scheduled (its deliveries made) -> publishing (the campaign's account posts)
# -> running (the fan-out) -> completed; staff pause and resume a running one, or abort it;
# no account to publish from, or the post deleted, stops it.
BROADCASTS = Machine(
    name="broadcast",
    states=tuple(B),
    initial=B.SCHEDULED,
    terminal=frozenset({B.COMPLETED, B.ABORTED, B.STOPPED}),
    transitions=(
        Transition(B.SCHEDULED, "publish", SYSTEM, B.PUBLISHING),
        Transition(B.SCHEDULED, "stop", SYSTEM, B.STOPPED),      # no account to publish
        Transition(B.PUBLISHING, "start", SYSTEM, B.RUNNING),
        Transition(B.PUBLISHING, "stop", SYSTEM, B.STOPPED),
        Transition(B.RUNNING, "pause", STAFF, B.PAUSED),
        Transition(B.PAUSED, "resume", STAFF, B.RUNNING),
        Transition(B.RUNNING, "complete", SYSTEM, B.COMPLETED),
        Transition(B.RUNNING, "stop", SYSTEM, B.STOPPED),
        Transition(B.PAUSED, "stop", SYSTEM, B.STOPPED),
        *(Transition(state, "abort", STAFF, B.ABORTED)
          for state in (B.SCHEDULED, B.PUBLISHING, B.RUNNING, B.PAUSED)),
    ),
    state_labels={
        B.SCHEDULED: _l("scheduled"),
        B.PUBLISHING: _l("publishing the post"),
        B.RUNNING: _l("reposting"),
        B.PAUSED: _l("paused"),
        B.COMPLETED: _l("completed"),
        B.ABORTED: _l("aborted"),
        B.STOPPED: _l("stopped: the post could not go out or is gone"),
    },
    action_labels={
        "publish": _l("publish the post"),
        "start": _l("start the reposts"),
        "pause": _l("pause"),
        "resume": _l("resume"),
        "complete": _l("complete it"),
        "stop": _l("stop it"),
        "abort": _l("abort"),
    },
)


D = DeliveryState

# A pledge's repost: pending -> in flight (a worker's claim, with a lease) -> delivered,
# failed (with the reason, after bounded retries) or skipped (a revoked token, a suspended
# or protected account, a withdrawn pledge); a retry or a lost lease puts it back to pending
# (a recovering worker first asks the network whether the repost exists); a broadcast that
# ends early cancels what is left.
DELIVERIES = Machine(
    name="delivery",
    states=tuple(D),
    initial=D.PENDING,
    terminal=frozenset({D.DELIVERED, D.FAILED, D.SKIPPED, D.CANCELLED, D.OFFERED}),
    transitions=(
        Transition(D.PENDING, "claim", SYSTEM, D.IN_FLIGHT),
        Transition(D.IN_FLIGHT, "deliver", SYSTEM, D.DELIVERED),
        Transition(D.IN_FLIGHT, "fail", SYSTEM, D.FAILED),
        Transition(D.IN_FLIGHT, "skip", SYSTEM, D.SKIPPED),
        Transition(D.PENDING, "skip", SYSTEM, D.SKIPPED),
        Transition(D.IN_FLIGHT, "retry", SYSTEM, D.PENDING),
        Transition(D.IN_FLIGHT, "offer", SYSTEM, D.OFFERED),     # assisted mode
        *(Transition(state, "cancel", EITHER, D.CANCELLED)
          for state in (D.PENDING, D.IN_FLIGHT)),
    ),
    state_labels={
        D.PENDING: _l("pending"),
        D.IN_FLIGHT: _l("in flight"),
        D.DELIVERED: _l("delivered"),
        D.FAILED: _l("failed"),
        D.SKIPPED: _l("skipped"),
        D.CANCELLED: _l("cancelled"),
        D.OFFERED: _l("one-tap link given"),
    },
    action_labels={
        "claim": _l("claim it"),
        "deliver": _l("record the repost"),
        "fail": _l("record the failure"),
        "skip": _l("skip it"),
        "retry": _l("try again"),
        "cancel": _l("cancel it"),
        "offer": _l("give the one-tap link"),
    },
)
