"""Who may do what in the grants pipeline, with the reason when not."""

from __future__ import annotations

from app.orgs.models import Membership
from app.orgs.permissions import can_manage_programmes
from app.permissions import Permission


def can_manage_grants(membership: Membership) -> Permission:
    """Funds, calls and screening: the organisation's owners and staff."""
    return can_manage_programmes(membership)
