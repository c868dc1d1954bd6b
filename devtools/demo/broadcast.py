"""Demo data for the broadcast: a campaign sold to the demo sponsor, its post approved, its
moment three days away, and five supporters whose accounts the development X simulator
knows — three ordinary, one protected, one suspended — so that `make run` broadcasts for
real through the simulator once staff connect the campaign's account (@mlima_fund, on the
simulator's authorise page) and press "start it now".

The supporters' tokens are derived from SECRET_KEY, so the `demo` command (which stores them,
encrypted) and the web process (whose simulator accepts them) agree without talking; they are
valid for thirty days of the simulator's life and made again at each start of the server.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from app.crypto import SecretBox
from app.orgs.models import Organisation
from app.settings import Settings
from app.tenancy import scoped
from app.timefmt import now
from campaigns.auction.models import Auction, Sponsor
from campaigns.auction.statuses import AuctionStatus
from campaigns.broadcast.models import SponsorMessage
from campaigns.broadcast.post_text import compose
from campaigns.broadcast.service import broadcasts
from campaigns.broadcast.statuses import MessageStatus
from campaigns.campaign.models import Campaign
from campaigns.campaign.statuses import CampaignStatus
from campaigns.pledges.consent import TERMS_VERSION
from campaigns.pledges.models import SocialAccount
from campaigns.pledges.service import pledges as pledging
from devtools.x_simulator.state import SCOPES, Simulator
from grants import funds

SLUG = "market-day"
PUBLISHER = ("mlima_fund", 52_000)            # the foundation's own account, on the simulator
# handle, followers, language, the simulator's id, what is wrong with the account
SUPPORTERS = (("kahawa_kilimanjaro", 18_200, "sw", "7000001", ""),
              ("cafe_huila", 9_400, "es", "7000002", ""),
              ("chai_kericho", 6_100, "sw", "7000003", ""),
              ("cacao_tumaco", 3_300, "es", "7000004", "protected"),
              ("banano_uraba", 2_700, "es", "7000005", "suspended"))
TOKEN_DAYS = 30
TEXT = ("Kahawa Roasters pays Kilimanjaro co-ops above the Fairtrade minimum for every bag "
        "of coffee. https://kahawa.example/fair")
PRICE_MINOR = 150_000


def demo_tokens(settings: Settings, handle: str) -> tuple[str, str]:
    """The access and refresh tokens of a demo account (HMAC of SECRET_KEY)."""
    key = str(settings.secret_key).encode()
    made = [hmac.new(key, f"demo-x-{kind}:{handle}".encode(), hashlib.sha256).hexdigest()
            for kind in ("access", "refresh")]
    return made[0], made[1]


def seed_simulator(sim: Simulator, settings: Settings, client_id: str) -> None:
    """The demo's accounts in the web process's simulator, with the tokens the demo stored."""
    sim.add_user(*PUBLISHER, user_id="7000000")
    for handle, followers, _locale, user_id, trouble in SUPPORTERS:
        user = sim.add_user(handle, followers, user_id=user_id,
                            protected=trouble == "protected")
        user.suspended = trouble == "suspended"
        access, refresh = demo_tokens(settings, handle)
        sim.issue(user.id, client_id, SCOPES, access=access, refresh=refresh,
                  seconds=TOKEN_DAYS * 86_400)


async def load(settings: Settings, org: Organisation, fund_id: int, sponsor: Sponsor) -> None:
    """The sold campaign, paid by `sponsor` (the fund credited), its post approved."""
    box, moment = SecretBox(settings), now().replace(second=0, microsecond=0)
    campaign = await Campaign.create(
        organisation=org, slug=SLUG, status=CampaignStatus.SOLD, fund_id=fund_id,
        title={"en": "Market day", "es": "Día de mercado", "fr": "Jour de marché",
               "pt": "Dia de mercado", "sw": "Siku ya soko"},
        story={"en": "One post on market day, from every supporter at once.",
               "es": "Una publicación el día de mercado, de todos a la vez.",
               "fr": "Une publication le jour de marché, de tous en même temps.",
               "pt": "Uma publicação no dia de mercado, de todos ao mesmo tempo.",
               "sw": "Chapisho moja siku ya soko, kutoka kwa wote kwa pamoja."},
        reach_goal=40_000, pledge_opens_at=moment - timedelta(days=30),
        pledge_closes_at=moment - timedelta(days=8), broadcast_at=moment + timedelta(days=3),
        networks=["x"])
    await pledging.create_shards(campaign)
    for handle, followers, locale, user_id, trouble in SUPPORTERS:
        access, refresh = demo_tokens(settings, handle)
        account = await SocialAccount.create(
            organisation=org, network="x", account_id=user_id, handle=handle,
            followers=followers, following=300, protected=trouble == "protected",
            account_created_at=datetime(2017, 3, 1, tzinfo=UTC),
            access_token_enc=box.encrypt(access), refresh_token_enc=box.encrypt(refresh),
            token_expires_at=now() + timedelta(days=TOKEN_DAYS), scopes=sorted(SCOPES))
        await pledging.pledge(org, campaign, account, pledging.ConsentGiven(
            text="(demo data)", terms_version=TERMS_VERSION, locale=locale, scopes=()),
            email=f"{handle}@demo.example.org")
    ended = moment - timedelta(days=7)
    await Auction.create(
        organisation=org, campaign=campaign, status=AuctionStatus.PAID, currency="USD",
        starting_minor=50_000, increments=[[0, 500]], starts_at=ended - timedelta(days=3),
        scheduled_end=ended, ends_at=ended, leader_id=sponsor.id,
        leader_max_minor=PRICE_MINOR, price_minor=PRICE_MINOR, bids=4)
    await funds.credit_fund(org, fund_id, PRICE_MINOR, "USD", "campaign", f"demo:{SLUG}")
    await SponsorMessage.create(
        organisation=org, campaign=campaign, sponsor_id=sponsor.id, text=TEXT,
        disclosure="#ad", status=MessageStatus.APPROVED, submitted_at=ended,
        reviewed_at=ended + timedelta(days=1))
    await scoped(Campaign, org).filter(id=campaign.id).update(status=CampaignStatus.SCHEDULED)
    await broadcasts.schedule(org, campaign, compose(TEXT, "#ad"))
