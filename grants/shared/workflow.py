"""Who may move a call or an application from which state, by which action, with which effects.

The tables are data: each `Transition` names its source state, the action, the roles that may
take it, the target state and the effects the service carries out in the same transaction
(every transition also writes an audit event). `decide` answers any (state, action, role):
either the transition, or a refusal with a reason a person can read.

Applications: a draft is submitted (a snapshot is taken, eligibility is checked, a receipt
is sent); staff mark it eligible or ineligible, or return it for changes with a deadline of
its own; the applicant may withdraw it before the deadline and reopen a withdrawn one while
the call still takes submissions. Ineligible is final: the reason has gone to the applicant.

Decisions are recorded privately, then published: publishing moves an eligible (or
waitlisted) application to awarded, declined or waitlisted and sends the letter.

Reviews: a draft is submitted by its reviewer, which locks it; staff may reopen it.

Calls: draft -> open -> closed -> decided -> archived; a closed call may be reopened (with a
later deadline) until it is decided; a draft call may be archived without ever opening.
"""

from __future__ import annotations

from enum import StrEnum

from app.i18n import lazy_gettext as _l
from app.transitions import Machine, Transition
from grants.applications.statuses import ApplicationStatus
from grants.calls.statuses import CallStatus
from grants.review.statuses import ReviewStatus


class Actor(StrEnum):
    APPLICANT = "applicant"
    STAFF = "staff"
    SYSTEM = "system"
    REVIEWER = "reviewer"


class Effect(StrEnum):
    SNAPSHOT = "snapshot"              # take an immutable revision
    SCREEN = "screen"                  # run the automatic eligibility checks
    NOTIFY_RECEIPT = "notify_receipt"  # mail the submission receipt
    NOTIFY_CHANGES = "notify_changes"  # mail the request for changes and its deadline
    NOTIFY_OUTCOME = "notify_outcome"  # mail the screening outcome (and reason)
    SET_DEADLINE = "set_deadline"      # the application's own deadline replaces the call's
    CHECK_READY = "check_ready"        # a call opens only when complete
    NOTIFY_DECISION = "notify_decision"  # mail the decision letter with reviewers' comments
    SCORE = "score"                    # compute the review's weighted score


S = ApplicationStatus
APPLICANT = frozenset({Actor.APPLICANT})
STAFF = frozenset({Actor.STAFF})
SUBMIT_EFFECTS = (Effect.SNAPSHOT, Effect.SCREEN, Effect.NOTIFY_RECEIPT)

APPLICATIONS = Machine(
    name="application",
    states=tuple(S),
    initial=S.DRAFT,
    terminal=frozenset({S.INELIGIBLE, S.AWARDED, S.DECLINED}),
    transitions=(
        Transition(S.DRAFT, "submit", APPLICANT, S.SUBMITTED, SUBMIT_EFFECTS),
        Transition(S.CHANGES_REQUESTED, "submit", APPLICANT, S.SUBMITTED, SUBMIT_EFFECTS),
        Transition(S.DRAFT, "withdraw", APPLICANT, S.WITHDRAWN),
        Transition(S.SUBMITTED, "withdraw", APPLICANT, S.WITHDRAWN),
        Transition(S.CHANGES_REQUESTED, "withdraw", APPLICANT, S.WITHDRAWN),
        Transition(S.WITHDRAWN, "reopen", APPLICANT, S.DRAFT),
        Transition(S.SUBMITTED, "mark_eligible", STAFF, S.ELIGIBLE, (Effect.NOTIFY_OUTCOME,)),
        Transition(S.SUBMITTED, "mark_ineligible", STAFF, S.INELIGIBLE, (Effect.NOTIFY_OUTCOME,)),
        Transition(S.ELIGIBLE, "mark_ineligible", STAFF, S.INELIGIBLE, (Effect.NOTIFY_OUTCOME,)),
        Transition(S.SUBMITTED, "request_changes", STAFF, S.CHANGES_REQUESTED,
                   (Effect.SET_DEADLINE, Effect.NOTIFY_CHANGES)),
        Transition(S.ELIGIBLE, "award", STAFF, S.AWARDED, (Effect.NOTIFY_DECISION,)),
        Transition(S.ELIGIBLE, "decline", STAFF, S.DECLINED, (Effect.NOTIFY_DECISION,)),
        Transition(S.ELIGIBLE, "waitlist", STAFF, S.WAITLISTED, (Effect.NOTIFY_DECISION,)),
        Transition(S.WAITLISTED, "award", STAFF, S.AWARDED, (Effect.NOTIFY_DECISION,)),
        Transition(S.WAITLISTED, "decline", STAFF, S.DECLINED, (Effect.NOTIFY_DECISION,)),
    ),
    state_labels={
        S.DRAFT: _l("a draft"),
        S.SUBMITTED: _l("submitted"),
        S.CHANGES_REQUESTED: _l("returned for changes"),
        S.ELIGIBLE: _l("eligible"),
        S.INELIGIBLE: _l("ineligible"),
        S.WITHDRAWN: _l("withdrawn"),
        S.AWARDED: _l("awarded"),
        S.DECLINED: _l("declined"),
        S.WAITLISTED: _l("on the waiting list"),
    },
    action_labels={
        "submit": _l("submit it"),
        "withdraw": _l("withdraw it"),
        "reopen": _l("reopen it"),
        "mark_eligible": _l("mark it eligible"),
        "mark_ineligible": _l("mark it ineligible"),
        "request_changes": _l("ask for changes"),
        "award": _l("award a grant"),
        "decline": _l("decline it"),
        "waitlist": _l("put it on the waiting list"),
    },
)

C = CallStatus
STAFF_OR_SYSTEM = frozenset({Actor.STAFF, Actor.SYSTEM})

CALLS = Machine(
    name="call",
    states=tuple(C),
    initial=C.DRAFT,
    terminal=frozenset({C.ARCHIVED}),
    transitions=(
        Transition(C.DRAFT, "open", STAFF, C.OPEN, (Effect.CHECK_READY,)),
        Transition(C.OPEN, "close", STAFF_OR_SYSTEM, C.CLOSED),
        Transition(C.CLOSED, "reopen", STAFF, C.OPEN, (Effect.CHECK_READY,)),
        Transition(C.CLOSED, "decide", STAFF, C.DECIDED),
        Transition(C.DECIDED, "archive", STAFF, C.ARCHIVED),
        Transition(C.DRAFT, "archive", STAFF, C.ARCHIVED),
    ),
    state_labels={
        C.DRAFT: _l("a draft"),
        C.OPEN: _l("open"),
        C.CLOSED: _l("closed"),
        C.DECIDED: _l("decided"),
        C.ARCHIVED: _l("archived"),
    },
    action_labels={
        "open": _l("open the call"),
        "close": _l("close the call"),
        "reopen": _l("reopen the call"),
        "decide": _l("mark the call decided"),
        "archive": _l("archive the call"),
    },
)

R = ReviewStatus

REVIEWS = Machine(
    name="review",
    states=tuple(R),
    initial=R.DRAFT,
    terminal=frozenset(),
    transitions=(
        Transition(R.DRAFT, "submit", frozenset({Actor.REVIEWER}), R.SUBMITTED, (Effect.SCORE,)),
        Transition(R.SUBMITTED, "reopen", STAFF, R.DRAFT),
    ),
    state_labels={R.DRAFT: _l("a draft review"), R.SUBMITTED: _l("a submitted review")},
    action_labels={"submit": _l("submit the review"), "reopen": _l("reopen the review")},
)
