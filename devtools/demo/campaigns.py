"""Demo data for campaigns: one campaign collecting pledges for the demo fund, with a few
supporters already pledged (accounts without tokens: only the simulator's can connect), one
whose broadcast is at auction, with two sponsors (sandbox cards) and a first bid, and one sold
to the first sponsor whose broadcast is ready to go (campaigns/demo_broadcast.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.commands import ensure_user
from app.orgs.models import Organisation
from app.settings import Settings
from app.timefmt import now
from campaigns.auction.models import Auction, Sponsor
from campaigns.auction.service import bidding
from campaigns.auction.statuses import AuctionStatus
from campaigns.campaign.models import Campaign
from campaigns.campaign.statuses import CampaignStatus
from campaigns.pledges.consent import TERMS_VERSION
from campaigns.pledges.models import SocialAccount
from campaigns.pledges.service import pledges as pledging
from devtools.demo import broadcast as demo_broadcast
from grants import funds

SLUG = "one-big-post"
# handle, followers, following, the email the supporter gave for the notices, language
SUPPORTERS = (("wakulima_wetu", 15_400, 380, None, "sw"),
              ("cafe_y_cooperativa", 8_900, 610, None, "es"),
              ("chai_ya_asubuhi", 2_300, 150, None, "sw"),
              ("cocoa_friends", 41_000, 900, None, "en"))
# the auctioned campaign's supporters gave an email: they are told the sponsor's post
AUCTION_SUPPORTERS = (("mkulima_bora", 12_000, 300, "mkulima@demo.example.org", "sw"),
                      ("cafe_de_altura", 6_500, 400, "altura@demo.example.org", "es"))


def _t(en: str, es: str, fr: str, pt: str, sw: str) -> dict[str, str]:
    return {"en": en, "es": es, "fr": fr, "pt": pt, "sw": sw}


async def load(settings: Settings, org: Organisation) -> None:
    if await Campaign.filter(organisation_id=org.id, slug=SLUG).exists():
        return
    fund_id = next(iter(await funds.list_funds(org))).id
    moment = now().replace(minute=0, second=0, microsecond=0)
    campaign = await Campaign.create(
        organisation=org, slug=SLUG, status=CampaignStatus.PLEDGING, fund_id=fund_id,
        title=_t("One big post for co-op grants", "Una gran publicación para las cooperativas",
                 "Une grande publication pour les coopératives",
                 "Uma grande publicação pelas cooperativas",
                 "Chapisho moja kubwa kwa vyama vya ushirika"),
        story=_t("Lend your followers for one post: a sponsor buys its reach, and the money "
                 "funds quality training for coffee, tea and cocoa co-ops.",
                 "Presta tus seguidores para una publicación: un patrocinador compra su "
                 "alcance y el dinero financia capacitaciones para cooperativas.",
                 "Prêtez vos abonnés pour une publication : un sponsor achète sa portée et "
                 "l'argent finance des formations pour des coopératives.",
                 "Empreste os seus seguidores para uma publicação: um patrocinador compra o "
                 "alcance e o dinheiro financia formações para cooperativas.",
                 "Azima wafuasi wako kwa chapisho moja: mfadhili ananunua ufikiaji wake, na "
                 "pesa zinafadhili mafunzo kwa vyama vya ushirika."),
        reach_goal=250_000, pledge_opens_at=moment - timedelta(days=5),
        pledge_closes_at=moment + timedelta(days=25), broadcast_at=moment + timedelta(days=30),
        networks=["x"])
    await pledging.create_shards(campaign)
    await _supporters(org, campaign, SUPPORTERS)
    await _auction(settings, org, fund_id)
    kahawa = await Sponsor.get(organisation_id=org.id, company_name=SPONSORS[0][1])
    await demo_broadcast.load(settings, org, fund_id, kahawa)


async def _supporters(org: Organisation, campaign: Campaign,
                      supporters: tuple[tuple[str, int, int, str | None, str], ...]) -> None:
    """Accounts without tokens (only the simulator's can connect), pledged."""
    for handle, followers, following, email, locale in supporters:
        account = await SocialAccount.create(
            organisation=org, network="x", account_id=f"demo-{handle}", handle=handle,
            followers=followers, following=following,
            account_created_at=datetime(2016 + len(handle) % 8, 5, 1, tzinfo=UTC))
        await pledging.pledge(org, campaign, account, pledging.ConsentGiven(
            text="(demo data)", terms_version=TERMS_VERSION, locale=locale, scopes=()),
            email=email)


AUCTION_SLUG = "harvest-hour"
# handle, company, contact, country, the maximum they bid (None: account and card only)
SPONSORS = (("sponsor-kahawa", "Kahawa Roasters Ltd", "Achieng Otieno", "KE", 80_000),
            ("sponsor-chai", "Chai Traders Co", "Baraka Mollel", "TZ", None))


async def _auction(settings: Settings, org: Organisation, fund_id: int) -> None:
    """A campaign whose broadcast is at auction, open for three days, with two sponsors
    whose sandbox cards are on file (development has no Stripe keys) and one bid."""
    moment = now().replace(second=0, microsecond=0)
    campaign = await Campaign.create(
        organisation=org, slug=AUCTION_SLUG, status=CampaignStatus.AUCTION, fund_id=fund_id,
        title=_t("Harvest hour", "La hora de la cosecha", "L'heure de la récolte",
                 "A hora da colheita", "Saa ya mavuno"),
        story=_t("One post at harvest time, from every supporter at once.",
                 "Una publicación en la cosecha, de todos a la vez.",
                 "Une publication à la récolte, de tous en même temps.",
                 "Uma publicação na colheita, de todos ao mesmo tempo.",
                 "Chapisho moja wakati wa mavuno, kutoka kwa wote kwa pamoja."),
        reach_goal=100_000, pledge_opens_at=moment - timedelta(days=20),
        pledge_closes_at=moment - timedelta(days=1), broadcast_at=moment + timedelta(days=10),
        networks=["x"])
    await pledging.create_shards(campaign)
    await _supporters(org, campaign, AUCTION_SUPPORTERS)
    end = moment + timedelta(days=3)
    await Auction.create(
        organisation=org, campaign=campaign, status=AuctionStatus.OPEN, currency="USD",
        starting_minor=50_000, reserve_minor=100_000, increments=[[0, 100], [100_000, 500]],
        starts_at=moment - timedelta(hours=1), scheduled_end=end, ends_at=end)
    for number, (handle, company, contact, country, bid) in enumerate(SPONSORS):
        user = await ensure_user(settings, f"{handle}@demo.example.org", "harambee-demo",
                                 contact, "en", "Africa/Nairobi")
        await Sponsor.create(
            organisation=org, user_id=user.id, company_name=company, contact_name=contact,
            billing_email=user.email, country=country, customer_ref=f"cus_sandbox_demo{number}",
            payment_method_ref=f"pm_sandbox_demo{number}", card_brand="visa",
            card_last4="4242", card_saved_at=moment)
        if bid is not None:
            await bidding.place_bid(user, org, AUCTION_SLUG, bid)
