"""What the grants' pages and API handlers share: the organisation asked for, staff
membership, the viewer's timezone, the vocabulary the templates show, and the API caller."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from app.api import api_user
from app.orgs.models import Membership, Organisation
from app.tenancy import membership_for, organisation, organisation_and_membership
from app.web import require_user, viewer_timezone
from grants.shared import vocab
from grants.shared.common import require_staff
from grants.shared.permissions import can_manage_grants


async def org_of(request: Request) -> Organisation:
    return await organisation(request.path_params["org"])


async def staff_of(request: Request) -> Membership:
    membership = await membership_for(require_user(request), request.path_params["org"])
    require_staff(membership)
    return membership


def page_context(request: Request, org: Organisation, **extra: Any) -> dict[str, Any]:
    return {"org": org, "tz": viewer_timezone(request, org), "vocab": vocab, **extra}


async def api_caller(request: Request) -> tuple[Organisation, Membership | None]:
    """The organisation, and the caller's membership of it if they have one: applicants
    are usually not members."""
    return await organisation_and_membership(api_user(request), request.path_params["org"])


async def api_staff(request: Request) -> tuple[Organisation, Membership | None]:
    org, membership = await api_caller(request)
    return org, membership if membership and can_manage_grants(membership) else None


# The addresses the packages' routes are built on.
GET_POST = ["GET", "POST"]
POST = ["POST"]
ORG = "/o/{org:slug}"
APPLICATION = ORG + "/applications/{application_id:id}"
MANAGE = ORG + "/manage"
MANAGE_CALL = MANAGE + "/calls/{call_id:id}"
REVIEW = ORG + "/reviews/{review_id:id}"
CALLS = "/orgs/{org:slug}/calls"
APPLICATIONS = "/orgs/{org:slug}/applications"
