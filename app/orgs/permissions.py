"""Who may do what inside an organisation, with the reason when not."""

from __future__ import annotations

from app.accounts.models import User
from app.i18n import lazy_gettext as _l
from app.orgs.models import Membership, Role
from app.permissions import ALLOW, Permission, deny


def can_create_organisation(user: User) -> Permission:
    if not user.is_verified:
        return deny(_l("Verify your email address before creating an organisation."))
    return ALLOW


OWNERS_ONLY = _l("Only owners can invite people and change roles.")


def can_manage_members(membership: Membership) -> Permission:
    if membership.role is not Role.OWNER:
        return deny(OWNERS_ONLY)
    return ALLOW


def can_manage_programmes(membership: Membership) -> Permission:
    """Calls, campaigns and the organisation's settings: owners and staff."""
    if membership.role not in (Role.OWNER, Role.STAFF):
        return deny(_l("This is for the organisation's staff."))
    return ALLOW
