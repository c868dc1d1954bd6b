"""The words a supporter agrees to before connecting an account, in their language. The exact
text shown is recorded with the pledge, with the version of these terms."""

from __future__ import annotations

from app.i18n import Msg, gettext
from app.i18n import lazy_gettext as _l

TERMS_VERSION = "2026-11"
NETWORK_NAMES = {"x": "X"}


def consent_text(*, campaign_title: str, organisation: str, network: str,
                 broadcast_at_text: str) -> list[str]:
    """The consent as paragraphs, translated into the current language."""
    name = NETWORK_NAMES.get(network, network)
    return [gettext(Msg(text, org=organisation, campaign=campaign_title, network=name,
                        when=broadcast_at_text)) for text in (
        _l("You allow %(org)s to repost one post from your %(network)s account, once, "
           "for the campaign “%(campaign)s”."),
        _l("The post will carry a message from a sponsor, approved by %(org)s. It is planned "
           "for %(when)s."),
        _l("Before it goes out you will be able to see the exact post, and you can withdraw "
           "at any time until then."),
        _l("We keep your account's access only for this: it is deleted when you withdraw, "
           "and within a day after the post goes out."),
    )]
