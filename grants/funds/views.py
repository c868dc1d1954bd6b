"""Staff pages of funds: the list (and a new fund), a fund with its ledger (and a contribution)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.pagination import page_number
from app.urls import url
from app.web import form_page, redirect
from grants import funds
from grants.funds import service as fund_service
from grants.funds.schemas import CreditIn, FundIn
from grants.shared.web import page_context, staff_of


async def fund_list(request: Request) -> Response:
    membership = await staff_of(request)
    org = membership.organisation

    async def act(data: FundIn) -> Response:
        fund = await fund_service.create_fund(membership, data)
        return redirect(url("grants:fund", org=org.slug, fund_id=fund.id))

    return await form_page(request, "grants/funds/funds.html", FundIn, act, page_context(
        request, org, is_staff=True, funds=await funds.list_funds(org),
        default_currency=org.default_currency))


async def fund_page(request: Request) -> Response:
    membership = await staff_of(request)
    org = membership.organisation
    fund = await fund_service.fund_of(org, request.path_params["fund_id"])

    async def act(data: CreditIn) -> Response:
        await fund_service.record_contribution(membership, fund.id, data)
        return redirect(url("grants:fund", org=org.slug, fund_id=fund.id,
                                query={"recorded": 1}))

    return await form_page(request, "grants/funds/fund.html", CreditIn, act, page_context(
        request, org, fund=fund, summary=await funds.fund_summary(org, fund.id),
        sources=funds.SOURCES,
        ledger=await fund_service.ledger(org, fund.id,
                                         page_number(request.query_params.get("page")))),
        validation_context=lambda _values: {"currency": fund.currency})
