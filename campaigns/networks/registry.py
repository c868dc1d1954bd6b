"""The social providers this deployment can use, built from its settings."""

from __future__ import annotations

from app.errors import NotFound
from app.settings import Settings
from campaigns.networks.protocol import SocialProvider
from campaigns.networks.x import XProvider

NETWORKS = ("x",)


def provider_for(settings: Settings, network: str) -> SocialProvider:
    """NotFound for a network this deployment has no app for."""
    if network == "x" and settings.x_client_id and settings.x_client_secret:
        return XProvider(client_id=settings.x_client_id,
                         client_secret=str(settings.x_client_secret),
                         api_base_url=settings.x_api_base_url, web_url=settings.x_web_url)
    raise NotFound()
