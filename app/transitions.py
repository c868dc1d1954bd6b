"""Statuses move only through a transition table held as data: which actors may take which
action from which state, to which state, with which effects (carried out by the use case in
the same transaction, with an audit event). `decide` answers any (state, action, actor):
the transition, or a refusal with a reason a person can read. Each domain writes its tables
(grants/workflow.py, the campaign lifecycle) with its own actors and effects."""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n import Msg
from app.i18n import lazy_gettext as _l


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    actors: frozenset[str]
    target: str
    effects: tuple[str, ...] = ()


@dataclass(frozen=True)
class Refusal:
    reason: str


@dataclass(frozen=True)
class Machine:
    name: str
    states: tuple[str, ...]
    initial: str
    terminal: frozenset[str]
    transitions: tuple[Transition, ...]
    state_labels: dict[str, str]
    action_labels: dict[str, str]

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.action for t in self.transitions))

    def decide(self, state: str, action: str, actor: str) -> Transition | Refusal:
        if action not in self.action_labels:
            return Refusal(_l("This action does not exist."))
        from_here = [t for t in self.transitions if t.source == state and t.action == action]
        if not from_here:
            return Refusal(Msg(_l("You cannot %(action)s: it is %(state)s."),
                               action=self.action_labels[action], state=self.state_labels[state]))
        for transition in from_here:
            if actor in transition.actors:
                return transition
        return Refusal(Msg(_l("You are not allowed to %(action)s."),
                           action=self.action_labels[action]))

    def available(self, state: str, actor: str) -> list[str]:
        """The actions this actor may take now, in table order (for buttons)."""
        return [t.action for t in self.transitions if t.source == state and actor in t.actors]
