"""A campaign's lifecycle as a transition table (see app/transitions.py), and the actors the
campaigns' tables share."""

from __future__ import annotations

from enum import StrEnum

from app.i18n import lazy_gettext as _l
from app.transitions import Machine, Transition
from campaigns.campaign.statuses import CampaignStatus as C


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
