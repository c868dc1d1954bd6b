"""The lifecycles of the sponsor's message, the broadcast and a delivery, as transition
tables (see app/transitions.py)."""

from __future__ import annotations

from app.i18n import lazy_gettext as _l
from app.transitions import Machine, Transition
from campaigns.broadcast.statuses import BroadcastStatus, DeliveryState, MessageStatus
from campaigns.campaign.lifecycle import EITHER, STAFF, SYSTEM, Actor

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
