"""Tenant scoping: every tenant-owned query starts from an organisation the user belongs to.

`scoped(Model, org)` is the one way services read tenant rows; a foreign tenant's object
answers 404 (NotFound), never 403, so its existence does not leak.
"""

from __future__ import annotations

from typing import Any, TypeVar

from tortoise.queryset import QuerySet

from app.accounts.models import User
from app.errors import NotFound
from app.orgs.models import Membership, Organisation, TenantModel

T = TypeVar("T", bound=TenantModel)


def scoped(model: type[T], org: Organisation) -> QuerySet[T]:
    return model.filter(organisation_id=org.id)


async def get_scoped(model: type[T], org: Organisation, **filters: Any) -> T:
    row = await scoped(model, org).get_or_none(**filters)
    if row is None:
        raise NotFound()
    return row


async def get_locked(model: type[T], org: Organisation, **filters: Any) -> T:
    """As get_scoped, with the row locked until the transaction ends (PostgreSQL)."""
    row = await scoped(model, org).select_for_update().get_or_none(**filters)
    if row is None:
        raise NotFound()
    return row


async def organisation(slug: str) -> Organisation:
    """An organisation by its address, for pages anyone may see (its open calls, say)."""
    org = await Organisation.get_or_none(slug=slug)
    if org is None:
        raise NotFound()
    return org


async def membership_for(user: User | None, slug: str) -> Membership:
    """The user's membership of the organisation `slug`; NotFound for anyone else."""
    if user is None:
        raise NotFound()
    membership = await Membership.get_or_none(
        user_id=user.id, organisation__slug=slug
    ).select_related("organisation")
    if membership is None:
        raise NotFound()
    return membership


async def organisation_and_membership(user: User, slug: str
                                      ) -> tuple[Organisation, Membership | None]:
    """The organisation `slug`, and the user's membership of it if they have one (applicants
    usually have none); NotFound when there is no such organisation."""
    org = await organisation(slug)
    membership = await Membership.get_or_none(user_id=user.id, organisation_id=org.id)
    if membership is not None:
        membership.organisation = org
    return org, membership
