"""A practice worth spreading, from a completed project.

Models are described by comments, not docstrings: tortoise turns a docstring into a table
comment without escaping it, and an apostrophe or a semicolon breaks the migration."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields

from app.orgs.models import TenantModel

if TYPE_CHECKING:
    from grants.projects.models import Project


# A completed project staff marked as worth spreading, with a summary in several languages;
# co-ops see it when they start an application, and a call can replicate it.
class Practice(TenantModel):

    id = fields.IntField(primary_key=True)
    project: fields.OneToOneRelation[Project] = fields.OneToOneField(
        "models.Project", related_name="practice", on_delete=fields.RESTRICT)
    project_id: int
    title: fields.Field[dict[str, str]] = fields.JSONField(default=dict)
    summary: fields.Field[dict[str, str]] = fields.JSONField(default=dict)
    commodities: fields.Field[list[str]] = fields.JSONField(default=list)
    categories: fields.Field[list[str]] = fields.JSONField(default=list)
    created_by_id = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "practices"
