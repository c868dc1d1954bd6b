"""Supporter pages: the campaign, connecting an account, the pledge and its withdrawal."""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.responses import Response

from app.accounts import tokens
from app.crypto import SecretBox
from app.errors import AppError, Invalid, NotFound, TooManyRequests
from app.forms import validate
from app.i18n import current_locale, localised
from app.i18n import lazy_gettext as _l
from app.orgs.models import Organisation
from app.security import client_ip
from app.storage import uploads
from app.templating import render
from app.tenancy import organisation
from app.timefmt import format_datetime
from app.urls import url
from app.web import form_dict, redirect, settings_of, viewer_timezone
from campaigns.broadcast.service import assisted, broadcasts
from campaigns.broadcast.views.progress import publisher_connected
from campaigns.campaign import service as campaigns
from campaigns.campaign.models import Campaign
from campaigns.campaign.schemas import EmailIn
from campaigns.networks.registry import NETWORKS, provider_for
from campaigns.pledges.consent import TERMS_VERSION, consent_text
from campaigns.pledges.links import callback_url, manage_path
from campaigns.pledges.models import Pledge
from campaigns.pledges.service import connect
from campaigns.pledges.service import pledges as pledging
from campaigns.pledges.statuses import PledgeStatus

PLEDGE_GONE = _l("This link is not valid any more.")


def _consent(request: Request, org: Organisation, campaign: Campaign, network: str
             ) -> list[str]:
    return consent_text(campaign_title=localised(campaign.title, org.locales),
                        organisation=org.name, network=network,
                        broadcast_at_text=format_datetime(campaign.broadcast_at,
                                                          viewer_timezone(request, org)))


async def directory(request: Request) -> Response:
    return render(request, "campaigns/pledges/directory.html",
                  {"campaigns": await campaigns.directory()})


async def campaign_page(request: Request) -> Response:
    org = await organisation(request.path_params["org"])
    campaign = await campaigns.public_campaign(org, request.path_params["slug"])
    figures = await pledging.figures(org, campaign.id)
    return render(request, "campaigns/pledges/campaign.html", {
        "org": org, "campaign": campaign, "figures": figures,
        "tz": viewer_timezone(request, org), "open": campaigns.taking_pledges(campaign),
        "auction": await campaigns.has_auction(org, campaign),
        "share": min(100, figures.reach * 100 // max(campaign.reach_goal, 1)),
        "networks": [(network, _consent(request, org, campaign, network),
                      await broadcasts.automated(org, network))
                     for network in campaign.networks]})


async def connect_account(request: Request) -> Response:
    """A link, not a form: the browser goes on to the network's authorise page."""
    settings = settings_of(request)
    org = await organisation(request.path_params["org"])
    campaign = await campaigns.public_campaign(org, request.path_params["slug"])
    network = request.path_params["network"]
    if network not in campaign.networks or not campaigns.taking_pledges(campaign):
        raise NotFound()
    address = f"connect:{client_ip(request)}"
    if await request.app.state.throttle.hit(address, connect.ATTEMPT_MINUTES * 60) > \
            connect.ATTEMPTS_PER_ADDRESS:
        raise TooManyRequests()  # each one writes a row: a loop must not fill the table
    browser = request.session.setdefault("browser", secrets.token_urlsafe(16))
    url = await connect.start(org, campaign, provider_for(settings, network),
                              SecretBox(settings), browser=browser,
                              redirect_uri=callback_url(request, network), email=None,
                              locale=current_locale())
    return redirect(url)


async def callback(request: Request) -> Response:
    settings = settings_of(request)
    network = request.path_params["network"]
    if network not in NETWORKS:
        raise NotFound()
    state = request.query_params.get("state", "")
    claimed = await connect.claim(state, str(request.session.get("browser", "")))
    attempt, org, campaign = claimed.attempt, claimed.org, claimed.campaign
    if attempt.details.get("purpose") == connect.PUBLISHER:   # staff: the campaign's account
        return await publisher_connected(request, claimed)
    if not campaigns.taking_pledges(campaign):  # closed while the supporter was away
        return redirect(url("campaigns:page", org=org.slug, slug=campaign.slug))
    if request.query_params.get("error") or not request.query_params.get("code"):
        return redirect(url("campaigns:page", org=org.slug, slug=campaign.slug,
                            query={"cancelled": 1}))
    shown = _consent(request, org, campaign, network)
    pledge = await connect.finish(
        org, campaign, attempt, provider_for(settings, network), SecretBox(settings),
        state=state, code=request.query_params["code"],
        redirect_uri=callback_url(request, network),
        consent=pledging.ConsentGiven(text="\n\n".join(shown), terms_version=TERMS_VERSION,
                                   locale=current_locale(), scopes=()))
    return redirect(manage_path(settings, pledge, {"new": 1}))


async def _pledge_from(request: Request) -> tuple[Organisation, Pledge]:
    payload = tokens.unsign(settings_of(request), tokens.PLEDGE, request.path_params["token"])
    if payload is None:
        raise AppError(PLEDGE_GONE, code="pledge_link_invalid", status_code=400)
    return await pledging.by_link(payload.get("oid"), payload.get("pid"))


async def pledge_page(request: Request) -> Response:
    """GET shows the pledge and a confirm button; only the POST withdraws (a mail scanner
    that follows the link withdraws nobody)."""
    org, pledge = await _pledge_from(request)
    token = request.path_params["token"]
    errors: dict[str, str] = {}
    if request.method == "POST":
        async with request.form() as form:
            values = form_dict(form)
        if values.get("action") == "withdraw":
            await pledging.withdraw(org, pledge.id)
            return redirect(url("campaigns:pledge", token=token, query={"withdrawn": 1}))
        try:
            await pledging.set_email(org, pledge.id, validate(EmailIn, values).email)
        except Invalid as error:
            errors = error.fields
        else:
            return redirect(url("campaigns:pledge", token=token, query={"noted": 1}))
    shown = await pledging.pledge_view(org, pledge)
    return render(request, "campaigns/pledges/pledge.html", {
        "org": org, "campaign": shown.campaign, "pledge": pledge, "account": shown.account,
        "active": pledge.status is PledgeStatus.ACTIVE, "repost": shown.repost,
        "figures": shown.figures, "tz": viewer_timezone(request, org),
        "errors": errors}, status_code=422 if errors else 200)


async def repost_link(request: Request) -> Response:
    """Assisted mode's link. GET (the mailed link: a mail scanner follows it too) shows the
    pledge's page at its repost button; the button's POST is the supporter's tap: noted
    once, then on to the network's repost intent."""
    org, pledge = await _pledge_from(request)
    manage = url("campaigns:pledge", token=request.path_params["token"])
    broadcast = await assisted.broadcast_for(org, pledge)
    if request.method != "POST" or broadcast is None or broadcast.post_ref is None:
        return redirect(f"{manage}#repost" if broadcast else manage)
    await assisted.opened(org, broadcast, pledge)
    intent = provider_for(settings_of(request), broadcast.network).repost_link(
        broadcast.post_ref)
    # a page that moves on by itself (a form's redirect to another site is refused by our
    # CSP's form-action), with the link to tap should the browser not follow
    return render(request, "campaigns/pledges/repost.html", {"intent": intent,
                                                     "network": broadcast.network})


async def image(request: Request) -> Response:
    """A campaign's picture, cached by browsers for an hour."""
    org = await organisation(request.path_params["org"])
    campaign = await campaigns.public_campaign(org, request.path_params["slug"])
    if not campaign.image_key:
        raise NotFound()
    data = await uploads(settings_of(request)).get(campaign.image_key)
    kind = "image/png" if campaign.image_key.endswith(".png") else "image/jpeg"
    return Response(data, media_type=kind, headers={"cache-control": "public, max-age=3600"})
