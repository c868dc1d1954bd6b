"""What the grants pages share: the organisation asked for, staff membership, the viewer's
timezone and the vocabulary the templates show."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel
from starlette.requests import Request

from app.errors import Invalid
from app.forms import validate
from app.orgs.models import Membership, Organisation
from app.tenancy import membership_for, organisation
from app.web import current_user, require_user
from grants import vocab
from grants.service.common import require_staff

S = TypeVar("S", bound=BaseModel)


async def org_of(request: Request) -> Organisation:
    return await organisation(request.path_params["org"])


async def staff_of(request: Request) -> Membership:
    membership = await membership_for(require_user(request), request.path_params["org"])
    require_staff(membership)
    return membership


def viewer_timezone(request: Request, org: Organisation) -> str:
    user = current_user(request)
    return user.timezone if user is not None else org.timezone


def page_context(request: Request, org: Organisation, **extra: Any) -> dict[str, Any]:
    return {"org": org, "tz": viewer_timezone(request, org), "vocab": vocab, **extra}


def validate_partial(schema: type[S], data: dict[str, Any],
                                   context: dict[str, Any] | None = None
                                   ) -> tuple[S, dict[str, str]]:
    """Validate what can be: fields in error are dropped and named, the rest is kept
    (a draft saves every good answer). The schema must accept every field missing."""
    errors: dict[str, str] = {}
    remaining = dict(data)
    for _attempt in range(len(data) + 1):
        try:
            return validate(schema, remaining, context), errors
        except Invalid as error:
            wrong = {name.split(".")[0] for name in error.fields}
            errors.update({name.split(".")[0]: text for name, text in error.fields.items()})
            if not wrong & set(remaining):
                break
            remaining = {k: v for k, v in remaining.items() if k not in wrong}
    return schema.model_validate({}, context=context), errors
