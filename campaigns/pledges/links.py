"""Links the campaign pages hand out: the supporter's signed links — their pledge's page (no
account needed) and, in assisted mode, the one-tap repost link next to it — and the OAuth
callback every connection comes back to."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request

from app.accounts import tokens
from app.settings import Settings
from app.urls import url
from app.web import settings_of
from campaigns.pledges.models import Pledge


def _token(settings: Settings, pledge: Pledge) -> str:
    return tokens.sign(settings, tokens.PLEDGE, {"pid": pledge.id,
                                                 "oid": pledge.organisation_id})


def manage_path(settings: Settings, pledge: Pledge,
                query: Mapping[str, object] | None = None) -> str:
    """Where the supporter manages the pledge: a signed link, no account needed."""
    return url("campaigns:pledge", token=_token(settings, pledge), query=query)


def repost_path(settings: Settings, pledge: Pledge) -> str:
    """The one-tap link (assisted mode): the same signed token."""
    return url("campaigns:repost", token=_token(settings, pledge))


def callback_url(request: Request, network: str) -> str:
    """Where the network sends the browser back after authorising (supporters and staff)."""
    return callback_address(settings_of(request), network)


def callback_address(settings: Settings, network: str) -> str:
    """The callback URL registered with the network's app."""
    return f"{settings.base_url}{url('campaigns:callback', network=network)}"
