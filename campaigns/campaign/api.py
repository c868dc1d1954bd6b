"""Campaigns in the JSON API: public figures for anyone; create and move for staff."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.api import api_user, json_body, respond
from app.tenancy import membership_for, organisation
from campaigns.campaign import service as campaigns
from campaigns.campaign.models import Campaign
from campaigns.campaign.schemas import ActionIn, CampaignIn, CampaignOut
from campaigns.pledges.service import pledges as pledging

# Where the campaigns' endpoints live under /api/v1.
CAMPAIGNS = "/orgs/{org:slug}/campaigns"


async def campaign_out(campaign: Campaign) -> CampaignOut:
    org = await campaign.organisation
    figures = await pledging.figures(org, campaign.id)
    return CampaignOut(slug=campaign.slug, status=campaign.status, title=campaign.title,
                       pledges=figures.pledges, reach=figures.reach,
                       quality_reach=figures.quality_reach, goal=campaign.reach_goal,
                       ends_at=campaign.pledge_closes_at, broadcast_at=campaign.broadcast_at,
                       networks=campaign.networks)


async def get_campaign(request: Request) -> Response:
    org = await organisation(request.path_params["org"])
    return respond(await campaign_out(await campaigns.public_campaign(
        org, request.path_params["slug"])))


async def create_campaign(request: Request) -> Response:
    membership = await membership_for(api_user(request), request.path_params["org"])
    campaign = await campaigns.create_campaign(membership, await json_body(request, CampaignIn))
    return respond(await campaign_out(campaign), status_code=201)


async def move_campaign(request: Request) -> Response:
    membership = await membership_for(api_user(request), request.path_params["org"])
    data = await json_body(request, ActionIn)
    campaign = await campaigns.move(membership, request.path_params["slug"], data.action)
    return respond(await campaign_out(campaign))
