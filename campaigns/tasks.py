"""Jobs of the campaigns: the pledge's link by mail, and deleting tokens no longer needed."""

from __future__ import annotations

from typing import Any

from app.crypto import SecretBox
from app.i18n import localised
from app.mail import send_mail
from app.queue import JobFunc, Periodic
from campaigns.models import Campaign, Pledge
from campaigns.providers import provider_for
from campaigns.service import settlement
from campaigns.service.refresh import refresh_due
from campaigns.service.tokens import delete_expired_tokens
from campaigns.views import manage_path


async def send_pledge_link(ctx: dict[str, Any], pledge_id: int) -> None:
    pledge = await Pledge.get_or_none(id=pledge_id).select_related(  # unscoped: a job, by id
        "organisation", "account")
    if pledge is None or not pledge.email:
        return
    campaign = await Campaign.get(id=pledge.campaign_id,  # unscoped: the pledge's own
                                  organisation_id=pledge.organisation_id)
    await send_mail(ctx, to=pledge.email, template="pledge_link", locale=pledge.locale,
                    context={"pledge": pledge, "organisation": pledge.organisation,
                             "title": localised(campaign.title, [pledge.locale]),
                             "handle": pledge.account.handle,
                             "link": manage_path(ctx["settings"], pledge)})


async def close_auction(ctx: dict[str, Any], auction_id: int) -> None:
    """At an auction's end (or the end soft close moved it to): close it, charge the winner."""
    await settlement.close(auction_id, ctx["settings"])


async def delete_tokens(ctx: dict[str, Any]) -> None:
    await delete_expired_tokens()


async def refresh_profiles(ctx: dict[str, Any]) -> None:
    settings = ctx["settings"]
    await refresh_due(lambda network: provider_for(settings, network), SecretBox(settings))


JOBS: tuple[JobFunc, ...] = (send_pledge_link, delete_tokens, refresh_profiles, close_auction)
PERIODIC: tuple[Periodic, ...] = (Periodic("delete_tokens", every_seconds=3600),
                                  Periodic("refresh_profiles", every_seconds=900))
