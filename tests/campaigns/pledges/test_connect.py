"""Connecting an account through the simulator and pledging it; tokens never in clear;
refreshes under the account's lock."""

from __future__ import annotations

import asyncio
import logging

import pytest
from tortoise import Tortoise

from app.crypto import SecretBox
from app.errors import AppError
from app.settings import Settings
from campaigns.networks.protocol import TokenRevoked
from campaigns.pledges.models import Pledge, SocialAccount
from campaigns.pledges.service import connect
from campaigns.pledges.service import pledges as pledging
from campaigns.pledges.statuses import PledgeStatus
from tests.campaigns.conftest import CLIENT_ID, REDIRECT, XWorld
from tests.campaigns.factories import CONSENT, make_campaign
from tests.campaigns.networks.test_x import approve
from tests.helpers import make_org

TABLES = ("social_accounts", "oauth_attempts", "pledges", "pledge_consents", "audit_events")


async def _connect(x: XWorld, settings: Settings, username: str = "kahawa_fan",
                   followers: int = 48_000, browser: str = "browser-1"
                   ) -> tuple[Pledge, SecretBox]:
    org = await make_org()
    campaign = await make_campaign(org)
    box = SecretBox(settings)
    user = x.sim.add_user(username, followers)
    url = await connect.start(org, campaign, x.provider, box, browser=browser,
                              redirect_uri=REDIRECT, email="fan@example.org", locale="sw")
    code, state = await approve(x, url, user)
    attempt = (await connect.claim(state, browser)).attempt
    pledge = await connect.finish(org, campaign, attempt, x.provider, box, state=state,
                                  code=code, redirect_uri=REDIRECT, consent=CONSENT)
    return pledge, box


async def test_connect_and_pledge_stores_no_token_in_clear(x: XWorld,
                                                          settings: Settings) -> None:
    pledge, box = await _connect(x, settings)
    assert pledge.status is PledgeStatus.ACTIVE and pledge.email == "fan@example.org"
    account = await SocialAccount.get(id=pledge.account_id)
    assert (account.handle, account.followers) == ("kahawa_fan", 48_000)
    secrets_issued = list(x.sim.access) + list(x.sim.refresh)
    assert secrets_issued
    connection = Tortoise.get_connection("default")
    for table in TABLES:
        _, rows = await connection.execute_query(f'SELECT * FROM "{table}"')
        dumped = repr(rows)
        assert not any(secret in dumped for secret in secrets_issued), table
    assert box.decrypt(account.access_token_enc or "") in x.sim.access
    figures = await pledging.figures(await account.organisation, pledge.campaign_id)
    assert figures == pledging.Figures(1, 48_000, 48_000)


async def test_a_foreign_replayed_or_late_state_is_refused(x: XWorld, settings: Settings) -> None:
    org = await make_org()
    campaign = await make_campaign(org)
    box = SecretBox(settings)
    url = await connect.start(org, campaign, x.provider, box, browser="mine",
                              redirect_uri=REDIRECT, email=None, locale="en")
    state = url.split("state=", 1)[1].split("&", 1)[0]
    with pytest.raises(AppError):
        await connect.claim(state, "someone-else")
    await connect.claim(state, "mine")
    with pytest.raises(AppError):  # replayed
        await connect.claim(state, "mine")
    with pytest.raises(AppError):
        await connect.claim("made-up", "mine")


async def test_an_expired_token_is_refreshed_once_for_racing_callers(
        x: XWorld, settings: Settings) -> None:
    pledge, box = await _connect(x, settings)
    org = await (await SocialAccount.get(id=pledge.account_id)).organisation
    await SocialAccount.filter(id=pledge.account_id).update(token_expires_at=None)
    tokens = await asyncio.gather(*(connect.access_token(org, pledge.account_id, x.provider,
                                                         box) for _ in range(3)))
    assert len(set(tokens)) == 1 and tokens[0] in x.sim.access
    assert len(x.sim.used_refresh) == 1  # one refresh; the others used the saved pair


async def test_a_revoked_app_withdraws_the_pledges(x: XWorld, settings: Settings) -> None:
    pledge, box = await _connect(x, settings)
    account = await SocialAccount.get(id=pledge.account_id)
    org = await account.organisation
    for user in x.sim.users.values():
        x.sim.revoked.add((user.id, CLIENT_ID))
    await SocialAccount.filter(id=account.id).update(token_expires_at=None)
    with pytest.raises(TokenRevoked):
        await connect.access_token(org, account.id, x.provider, box)
    assert (await Pledge.get(id=pledge.id)).status is PledgeStatus.WITHDRAWN
    stored = await SocialAccount.get(id=account.id)
    assert stored.access_token_enc is None and stored.revoked_at is not None
    assert await pledging.figures(org, pledge.campaign_id) == pledging.Figures(0, 0, 0)


async def test_a_profile_check_recounts_the_reach(x: XWorld, settings: Settings) -> None:
    pledge, box = await _connect(x, settings)
    org = await (await SocialAccount.get(id=pledge.account_id)).organisation
    for user in x.sim.users.values():
        user.followers = 52_000
    await connect.check_profile(org, pledge.account_id, x.provider, box)
    assert await pledging.figures(org, pledge.campaign_id) == pledging.Figures(1, 52_000, 52_000)


async def test_no_token_code_or_verifier_reaches_a_log_line(
        x: XWorld, settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    pledge, box = await _connect(x, settings)
    org = await (await SocialAccount.get(id=pledge.account_id)).organisation
    await SocialAccount.filter(id=pledge.account_id).update(token_expires_at=None)
    await connect.access_token(org, pledge.account_id, x.provider, box)
    await connect.check_profile(org, pledge.account_id, x.provider, box)
    secrets_seen = [*x.sim.access, *x.sim.refresh, *x.sim.used_refresh]
    assert secrets_seen and caplog.records
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert not any(secret in logged for secret in secrets_seen)
