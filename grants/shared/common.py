"""What the grants use cases share: the staff check, text as people type it, and
spreadsheet cells safe from formulas."""

from __future__ import annotations

from pydantic_core import PydanticCustomError

from app.errors import Invalid
from app.forms import text_block
from app.orgs.models import Membership
from app.permissions import require
from grants.calls.formdef import too_long
from grants.shared.permissions import can_manage_grants


def require_staff(membership: Membership) -> None:
    require(can_manage_grants(membership))


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
