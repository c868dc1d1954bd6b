"""Funds from the staff's side: create one, record a contribution, read its ledger."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from app import audit
from app.db import atomic
from app.errors import Invalid
from app.i18n import lazy_gettext as _l
from app.orgs.models import Membership, Organisation
from app.pagination import Page, paginate
from app.tenancy import get_scoped, scoped
from grants import funds
from grants.funds.models import Fund, LedgerEntry
from grants.funds.schemas import CreditIn, FundIn
from grants.shared.common import require_staff


async def create_fund(membership: Membership, data: FundIn) -> Fund:
    require_staff(membership)
    org = membership.organisation
    try:
        async with atomic():
            fund = await Fund.create(organisation=org, **data.model_dump())
            await audit.record(verb="fund.created", obj=fund, actor_id=membership.user_id,
                               organisation_id=org.id)
    except IntegrityError as exc:
        raise Invalid(fields={"name": _l("A fund with this name exists already.")}) from exc
    return fund


async def record_contribution(membership: Membership, fund_id: int, data: CreditIn
                              ) -> funds.Credit:
    require_staff(membership)
    fund = await get_scoped(Fund, membership.organisation, id=fund_id)
    return await funds.credit_fund(membership.organisation, fund.id, data.amount_minor,
                                   fund.currency, data.source, data.reference,
                                   actor_id=membership.user_id)


async def ledger(org: Organisation, fund_id: int, page: int) -> Page[LedgerEntry]:
    entries = scoped(LedgerEntry, org).filter(fund_id=fund_id).order_by("-created_at", "-id")
    return await paginate(entries, page)


async def fund_of(org: Organisation, fund_id: int) -> Fund:
    return await get_scoped(Fund, org, id=fund_id)
