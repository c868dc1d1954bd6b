"""What the grants pages share: the organisation asked for, staff membership, the viewer's
timezone and the vocabulary the templates show."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from app.orgs.models import Membership, Organisation
from app.tenancy import membership_for, organisation
from app.web import require_user, viewer_timezone
from grants import vocab
from grants.service.common import require_staff


async def org_of(request: Request) -> Organisation:
    return await organisation(request.path_params["org"])


async def staff_of(request: Request) -> Membership:
    membership = await membership_for(require_user(request), request.path_params["org"])
    require_staff(membership)
    return membership


def page_context(request: Request, org: Organisation, **extra: Any) -> dict[str, Any]:
    return {"org": org, "tz": viewer_timezone(request, org), "vocab": vocab, **extra}
