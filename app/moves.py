"""Moving a row's status by its transition table (app/transitions.py, pure): decide, set,
save and audit, in the caller's transaction. The one way a use case changes a status.

`move` does it all; a use case that checks rules of its own between the table's answer and
the change (a tranche's four eyes, say) calls `decide`, then `apply` with the answer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from app import audit
from app.errors import Conflict
from app.transitions import Machine, Refusal, Transition

S = TypeVar("S", bound=StrEnum)


class Stateful(Protocol[S]):
    """A tenant's row with a status (every model a transition table moves)."""

    pk: Any
    _meta: Any     # tortoise's: which fields the model has
    status: S
    organisation_id: int

    async def save(self, *, update_fields: Iterable[str] | None = None) -> None: ...


def decide(machine: Machine, row: Stateful[S], action: str, actor: str) -> Transition:
    """The table's transition for this action by this actor; Conflict with the table's
    reason, in the reader's language, when it refuses."""
    answer = machine.decide(row.status, action, actor)
    if isinstance(answer, Refusal):
        raise Conflict(answer.reason, code="transition_refused")
    return answer


def target(row: Stateful[S], answer: Transition) -> S:
    """The answer's state as the row's own status type."""
    return type(row.status)(answer.target)


async def apply(machine: Machine, row: Stateful[S], answer: Transition, actor_id: int | None,
                *, changes: Mapping[str, Any] | None = None, verb: str | None = None,
                audited: Sequence[str] = ("status",),
                details: dict[str, Any] | None = None) -> None:
    """Set the decided status (and `changes`, other fields the move sets), save them and
    write the audit event `<table>.<action>` (or `verb`) naming the fields it changed."""
    row.status = target(row, answer)
    for name, value in (changes or {}).items():
        setattr(row, name, value)
    stamped = ["updated_at"] if "updated_at" in row._meta.fields_map else []
    await row.save(update_fields=["status", *(changes or {}), *stamped])
    await audit.record(verb=verb or f"{machine.name}.{answer.action}", obj=row,
                       actor_id=actor_id, organisation_id=row.organisation_id,
                       changed=list(audited), details=details)


async def move(machine: Machine, row: Stateful[S], action: str, actor: str,
               actor_id: int | None, *, changes: Mapping[str, Any] | None = None,
               details: dict[str, Any] | None = None) -> Transition:
    """Decide and apply: the row (locked by the caller) moves, or Conflict says why not.
    The caller carries out the transition's effects in the same transaction."""
    answer = decide(machine, row, action, actor)
    await apply(machine, row, answer, actor_id, changes=changes, details=details)
    return answer
