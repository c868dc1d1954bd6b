"""The profile refresh before the moments that count: figures follow the network, a revoked
app or a suspended account leaves the reach, a rate limit ends the run cleanly."""

from __future__ import annotations

from datetime import timedelta

from app.crypto import SecretBox
from app.settings import Settings
from app.timefmt import now
from campaigns.campaign.models import Campaign
from campaigns.pledges.models import Pledge, SocialAccount
from campaigns.pledges.service import connect, refresh
from campaigns.pledges.service import pledges as pledging
from campaigns.pledges.statuses import PledgeStatus
from tests.campaigns.conftest import CLIENT_ID, REDIRECT, XWorld
from tests.campaigns.factories import CONSENT, make_campaign
from tests.campaigns.networks.test_x import approve
from tests.helpers import make_org


async def test_refresh_before_pledges_close(x: XWorld, settings: Settings) -> None:
    org = await make_org()
    campaign = await make_campaign(org, pledge_closes_at=now() + timedelta(hours=1))
    box = SecretBox(settings)
    users = [x.sim.add_user(name, 1000) for name in ("steady", "quitter", "banned")]
    for number, user in enumerate(users):
        url = await connect.start(org, campaign, x.provider, box, browser=f"b{number}",
                                  redirect_uri=REDIRECT, email=None, locale="en")
        code, state = await approve(x, url, user)
        attempt = (await connect.claim(state, f"b{number}")).attempt
        await connect.finish(org, campaign, attempt, x.provider, box, state=state, code=code,
                             redirect_uri=REDIRECT, consent=CONSENT)
    assert await refresh.due_accounts() == []  # just checked at connection
    await SocialAccount.filter().update(profile_checked_at=None)
    users[0].followers = 1500
    x.sim.revoked.add((users[1].id, CLIENT_ID))
    for grant in x.sim.access.values():
        if grant.user_id == users[1].id:
            grant.expires_at = 0
    users[2].suspended = True
    outcome = await refresh.refresh_due(lambda _network: x.provider, box)
    assert (outcome.checked, outcome.left, outcome.failed) == (1, 2, 0)
    assert await pledging.figures(org, campaign.id) == pledging.Figures(1, 1500, 1500)
    statuses = await Pledge.filter().order_by("id").values_list("status", flat=True)
    assert statuses == [PledgeStatus.ACTIVE, PledgeStatus.WITHDRAWN, PledgeStatus.WITHDRAWN]


async def test_a_rate_limit_ends_the_run(x: XWorld, settings: Settings) -> None:
    org = await make_org()
    campaign = await make_campaign(org, broadcast_at=now() + timedelta(hours=2))
    box = SecretBox(settings)
    user = x.sim.add_user("busy", 800)
    url = await connect.start(org, campaign, x.provider, box, browser="b",
                              redirect_uri=REDIRECT, email=None, locale="en")
    code, state = await approve(x, url, user)
    attempt = (await connect.claim(state, "b")).attempt
    await connect.finish(org, campaign, attempt, x.provider, box, state=state, code=code,
                         redirect_uri=REDIRECT, consent=CONSENT)
    await SocialAccount.filter().update(profile_checked_at=None)
    x.sim.faults.storm_until = 10**12
    outcome = await refresh.refresh_due(lambda _network: x.provider, box)
    assert outcome.rate_limited and outcome.checked == 0
    assert (await Pledge.get()).status is PledgeStatus.ACTIVE
    assert await Campaign.exists()
