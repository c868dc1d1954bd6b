"""Staff pages for campaigns: the list with figures and lifecycle buttons, a new campaign,
and the record of each network's approval of automated posting."""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from app.forms import validate
from app.i18n import LOCALES
from app.orgs.models import Membership
from app.storage import uploads
from app.templating import render
from app.tenancy import membership_for
from app.timefmt import common_timezones
from app.urls import url
from app.web import form_dict, form_page, redirect, require_user, settings_of
from campaigns.auction.schemas import AuctionIn
from campaigns.auction.service import setup as auctions
from campaigns.campaign import service as campaigns
from campaigns.campaign.lifecycle import CAMPAIGNS
from campaigns.campaign.models import Campaign
from campaigns.campaign.schemas import ActionIn, ApprovalIn, CampaignIn
from campaigns.campaign.service import IMAGE_MAX_BYTES
from campaigns.networks.registry import NETWORKS
from grants import funds


async def _staff(request: Request) -> Membership:
    return await membership_for(require_user(request), request.path_params["org"])


async def campaign_list(request: Request) -> Response:
    membership = await _staff(request)
    org = membership.organisation
    if request.method == "POST":
        async with request.form() as form:
            data = validate(ApprovalIn, form_dict(form))
        await campaigns.set_approval(membership, data.network, data.approved, data.reference)
        return redirect(url("campaigns:manage", org=org.slug, query={"recorded": 1}))
    return render(request, "campaigns/campaign/manage.html", {
        "org": org, "is_staff": True, "rows": await campaigns.staff_campaigns(membership),
        "approvals": await campaigns.approvals(org), "networks": NETWORKS,
        "labels": CAMPAIGNS.action_labels, "tz": org.timezone})


async def new_campaign(request: Request) -> Response:
    membership = await _staff(request)
    org = membership.organisation
    await campaigns.staff_campaigns(membership)  # staff only, before showing anything

    async def act(data: CampaignIn) -> Response:
        await campaigns.create_campaign(membership, data)
        return redirect(url("campaigns:manage", org=org.slug, query={"created": 1}))

    return await form_page(request, "campaigns/campaign/new.html", CampaignIn, act, {
        "org": org, "funds": await funds.list_funds(org), "timezones": common_timezones(),
        "text_locales": [code for code in org.locales if code in LOCALES] or ["en"],
        "networks": NETWORKS})


async def move_campaign(request: Request) -> Response:
    membership = await _staff(request)
    async with request.form() as form:
        data = validate(ActionIn, form_dict(form))
    campaign: Campaign = await campaigns.move(membership, request.path_params["slug"],
                                              data.action)
    return redirect(url("campaigns:manage", org=membership.organisation.slug,
                        query={"moved": campaign.slug}))


async def upload_image(request: Request) -> Response:
    membership = await _staff(request)
    async with request.form(max_files=1, max_part_size=64 * 1024) as form:
        upload = form.get("image")
        data = await upload.read(IMAGE_MAX_BYTES + 1) if isinstance(upload, UploadFile) else b""
        name = upload.filename or "" if isinstance(upload, UploadFile) else ""
    campaign = await campaigns.set_image(membership, request.path_params["slug"], name, data,
                                         uploads(settings_of(request)))
    return redirect(url("campaigns:manage", org=membership.organisation.slug,
                        query={"image": campaign.slug}))


DEFAULT_BANDS = "0 1\n100 5\n1000 25\n5000 100\n20000 250"


async def auction_setup(request: Request) -> Response:
    """The lot's rules: until the auction opens staff may change them."""
    membership = await _staff(request)
    org = membership.organisation
    slug = request.path_params["slug"]
    found = await auctions.setup_view(membership, slug)

    async def act(data: AuctionIn) -> Response:
        await auctions.set_up(membership, slug, data)
        return redirect(url("campaigns:auction_setup", org=org.slug, slug=slug,
                            query={"saved": 1}))

    return await form_page(request, "campaigns/campaign/auction_setup.html", AuctionIn, act, {
        "org": org, "campaign": found.campaign, "auction": found.auction,
        "currency": found.currency, "quality_reach": found.quality_reach,
        "timezones": common_timezones(), "initial": auctions.form_values(
            found, org.timezone, DEFAULT_BANDS)},
        validation_context=lambda _values: {"currency": found.currency})
