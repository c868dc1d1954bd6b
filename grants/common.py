"""What the grants use cases share: the staff check, moving a row through its table, text
as people type it, and spreadsheet cells safe from formulas."""

from __future__ import annotations

from pydantic_core import PydanticCustomError

from app import audit
from app.errors import Conflict, Invalid
from app.forms import text_block
from app.orgs.models import Membership
from app.permissions import require
from app.transitions import Machine, Refusal, Transition
from grants.applications.models import Application
from grants.calls.formdef import too_long
from grants.calls.models import Call
from grants.permissions import can_manage_grants
from grants.review.models import Review
from grants.workflow import Actor


def require_staff(membership: Membership) -> None:
    require(can_manage_grants(membership))


async def move(machine: Machine, row: Call | Application | Review, action: str, actor: Actor,
               actor_id: int | None) -> Transition:
    """Apply the table's transition to a locked row and audit it; Conflict with the reason
    when the table refuses. The caller carries out the effects in the same transaction."""
    answer = machine.decide(row.status, action, actor)
    if isinstance(answer, Refusal):
        raise Conflict(answer.reason, code="transition_refused")
    row.status = answer.target  # type: ignore[assignment]
    await row.save(update_fields=["status", "updated_at"])
    await audit.record(verb=f"{machine.name}.{action}", obj=row, actor_id=actor_id,
                       organisation_id=row.organisation_id, changed=["status"])
    return answer


def paragraphs(value: object, field: str, limit: int) -> str:
    """Text as typed (paragraphs; control characters refused), trimmed, at most `limit`
    characters: Invalid names the field otherwise."""
    try:
        cleaned = text_block(str(value or "")).strip()
    except PydanticCustomError as error:
        raise Invalid(fields={field: error.message_template}) from None
    if len(cleaned) > limit:
        raise Invalid(fields={field: too_long(limit)})
    return cleaned


def spreadsheet_cell(text: str) -> str:
    """No spreadsheet formulas from what applicants typed (CSV and XLSX injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
