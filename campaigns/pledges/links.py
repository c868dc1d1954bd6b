"""Links the campaign pages hand out: the supporter's signed links — their pledge's page (no
account needed) and, in assisted mode, the one-tap repost link next to it — and the OAuth
callback every connection comes back to."""

from __future__ import annotations

from starlette.requests import Request

from app.accounts import tokens
from app.settings import Settings
from app.web import settings_of
from campaigns.pledges.models import Pledge


def manage_path(settings: Settings, pledge: Pledge) -> str:
    """Where the supporter manages the pledge: a signed link, no account needed."""
    token = tokens.sign(settings, tokens.PLEDGE, {"pid": pledge.id,
                                                  "oid": pledge.organisation_id})
    return f"/pledges/{token}"


def repost_path(settings: Settings, pledge: Pledge) -> str:
    """The one-tap link (assisted mode): the same signed token."""
    return f"{manage_path(settings, pledge)}/repost"


def callback_url(request: Request, network: str) -> str:
    """Where the network sends the browser back after authorising (supporters and staff)."""
    return callback_address(settings_of(request), network)


def callback_address(settings: Settings, network: str) -> str:
    """The callback URL registered with the network's app."""
    return f"{settings.base_url}/campaigns/callback/{network}"
