"""Jobs of pledges: the pledge's link by mail, deleting tokens and OAuth attempts no longer
needed, and refreshing pledged profiles."""

from __future__ import annotations

import logging
from typing import Any

from app.crypto import SecretBox
from app.i18n import localised
from app.mail import send_mail
from app.queue import JobFunc, Periodic
from campaigns.campaign.models import Campaign
from campaigns.networks.registry import provider_for
from campaigns.pledges.links import manage_path
from campaigns.pledges.models import Pledge
from campaigns.pledges.service import connect, tokens
from campaigns.pledges.service.refresh import refresh_due
from campaigns.pledges.service.tokens import delete_expired_tokens

logger = logging.getLogger(__name__)


async def send_pledge_link(ctx: dict[str, Any], pledge_id: int) -> None:
    pledge = await Pledge.get_or_none(id=pledge_id).select_related(  # unscoped: a job, by id
        "organisation", "account")
    if pledge is None or not pledge.email:
        return
    campaign = await Campaign.get(id=pledge.campaign_id,  # unscoped: the pledge's own
                                  organisation_id=pledge.organisation_id)
    await send_mail(ctx, to=pledge.email, template="campaigns/pledges/mail/pledge_link",
                    locale=pledge.locale,
                    context={"pledge": pledge, "organisation": pledge.organisation,
                             "title": localised(campaign.title, [pledge.locale]),
                             "handle": pledge.account.handle,
                             "link": manage_path(ctx["settings"], pledge)})


async def delete_tokens(ctx: dict[str, Any]) -> None:
    await delete_expired_tokens()


async def release_tokens(ctx: dict[str, Any], campaign_id: int) -> None:
    """A campaign ended by staff: its accounts' tokens go unless another campaign needs them."""
    campaign = await Campaign.get_or_none(id=campaign_id).select_related(  # unscoped: a job
        "organisation")
    if campaign is not None:
        await tokens.release(campaign.organisation, campaign.id)


async def delete_oauth_attempts(ctx: dict[str, Any]) -> None:
    await connect.delete_expired_attempts()


async def refresh_profiles(ctx: dict[str, Any]) -> None:
    settings = ctx["settings"]
    await refresh_due(lambda network: provider_for(settings, network), SecretBox(settings))


JOBS: tuple[JobFunc, ...] = (send_pledge_link, delete_tokens, release_tokens,
                             delete_oauth_attempts, refresh_profiles)
PERIODIC: tuple[Periodic, ...] = (
    Periodic("delete_tokens", every_seconds=3600),
    Periodic("delete_oauth_attempts", every_seconds=3600),
    Periodic("refresh_profiles", every_seconds=900),
)
