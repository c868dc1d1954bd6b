"""Append-only audit events, written in the same transaction as the change they record.

No personal data: the actor is an id, the change is the names of the fields, never values,
so deleting a person's account never means editing the audit log. `details` holds what a
check needs that is not personal (a lottery's seed and the applications drawn, say).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from tortoise import fields
from tortoise.models import Model


class AuditEvent(Model):
    id = fields.BigIntField(primary_key=True)
    organisation_id = fields.IntField(null=True, db_index=True)
    actor_id = fields.IntField(null=True)
    verb = fields.CharField(max_length=64)
    object_type = fields.CharField(max_length=64)
    object_id = fields.CharField(max_length=64)
    changed_fields: fields.Field[list[str]] = fields.JSONField(default=list)
    details: fields.Field[dict[str, Any] | None] = fields.JSONField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "audit_events"
        ordering = ["-id"]

    async def save(self, *args: Any, **kwargs: Any) -> None:
        if self._saved_in_db:
            raise TypeError("audit events are append-only")
        await super().save(*args, **kwargs)

    async def delete(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("audit events are append-only")


class Recorded(Protocol):
    """What an event names: a row of any model, by its class and primary key."""

    @property
    def pk(self) -> Any: ...


async def record(
    *,
    verb: str,
    obj: Recorded,
    actor_id: int | None,
    organisation_id: int | None = None,
    changed: Iterable[str] = (),
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one event; call it inside the use case's `atomic()` block."""
    return await AuditEvent.create(
        organisation_id=organisation_id,
        actor_id=actor_id,
        verb=verb,
        object_type=type(obj).__name__,
        object_id=str(obj.pk),
        changed_fields=sorted(changed),
        details=details,
    )
