"""Every transition table of every domain: every state reachable, no dangling target,
terminal states final, and every (state, action, actor) allowed or refused with a reason."""

from __future__ import annotations

import itertools

import pytest

from app.i18n import gettext, use_locale
from app.transitions import Machine, Refusal, Transition
from campaigns.auction.lifecycle import AUCTIONS
from campaigns.broadcast.lifecycle import BROADCASTS, DELIVERIES, MESSAGES
from campaigns.campaign.lifecycle import CAMPAIGNS
from grants.applications.statuses import ApplicationStatus
from grants.projects.disbursement import TRANCHES
from grants.projects.outcomes import REPORTS
from grants.shared.workflow import APPLICATIONS, CALLS, REVIEWS, Actor, Effect

MACHINES = [APPLICATIONS, CALLS, REVIEWS, CAMPAIGNS, AUCTIONS, MESSAGES, BROADCASTS,
            DELIVERIES, TRANCHES, REPORTS]


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.name)
def test_every_state_is_reachable_from_the_initial_one(machine: Machine) -> None:
    reached, frontier = {machine.initial}, [machine.initial]
    while frontier:
        state = frontier.pop()
        for transition in machine.transitions:
            if transition.source == state and transition.target not in reached:
                reached.add(transition.target)
                frontier.append(transition.target)
    assert reached == set(machine.states)


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.name)
def test_no_transition_starts_or_ends_outside_the_states(machine: Machine) -> None:
    for transition in machine.transitions:
        assert transition.source in machine.states and transition.target in machine.states
        assert transition.actors, f"{transition} names nobody who may take it"
        assert transition.action in machine.action_labels
    assert set(machine.state_labels) == set(machine.states)


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.name)
def test_terminal_states_are_final_and_others_lead_somewhere(machine: Machine) -> None:
    for state in machine.states:
        leaving = [t for t in machine.transitions if t.source == state]
        assert bool(leaving) is (state not in machine.terminal), state


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.name)
def test_every_state_action_and_actor_is_answered(machine: Machine) -> None:
    """Allowed gives the table's transition; refused gives a reason readable in Spanish."""
    actors = {actor for t in machine.transitions for actor in t.actors} | {"stranger"}
    for state, action, actor in itertools.product(machine.states, machine.actions, actors):
        answer = machine.decide(state, action, actor)
        listed = [t for t in machine.transitions
                  if (t.source, t.action) == (state, action) and actor in t.actors]
        if listed:
            assert answer == listed[0]
        else:
            assert isinstance(answer, Refusal)
            with use_locale("es"):
                reason = gettext(answer.reason)
            assert reason and "%(" not in reason


def test_refusals_say_which_rule_binds() -> None:
    wrong_state = APPLICATIONS.decide(ApplicationStatus.INELIGIBLE, "submit", Actor.APPLICANT)
    wrong_actor = APPLICATIONS.decide(ApplicationStatus.SUBMITTED, "mark_eligible",
                                      Actor.APPLICANT)
    unknown = APPLICATIONS.decide(ApplicationStatus.DRAFT, "fund", Actor.STAFF)
    assert isinstance(wrong_state, Refusal) and isinstance(wrong_actor, Refusal)
    assert gettext(wrong_state.reason) == "You cannot submit it: it is ineligible."
    assert gettext(wrong_actor.reason) == "You are not allowed to mark it eligible."
    assert isinstance(unknown, Refusal) and "does not exist" in gettext(unknown.reason)


def test_submitting_takes_a_snapshot_screens_and_sends_a_receipt() -> None:
    for source in (ApplicationStatus.DRAFT, ApplicationStatus.CHANGES_REQUESTED):
        answer = APPLICATIONS.decide(source, "submit", Actor.APPLICANT)
        assert isinstance(answer, Transition)
        assert answer.target is ApplicationStatus.SUBMITTED
        assert {Effect.SNAPSHOT, Effect.SCREEN, Effect.NOTIFY_RECEIPT} <= set(answer.effects)
    assert APPLICATIONS.available(ApplicationStatus.SUBMITTED, Actor.STAFF) == [
        "mark_eligible", "mark_ineligible", "request_changes"]
