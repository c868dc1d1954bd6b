"""tweepy against the X simulator: PKCE, refresh rotation, profiles, reposts and failures."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from campaigns.networks.protocol import (
    AccountSuspended,
    AuthorizationRefused,
    PostGone,
    RateLimited,
    TokenExpired,
    TokenRevoked,
    Tokens,
    reposted,
)
from devtools.x_simulator.server import XUser
from tests.campaigns.conftest import CLIENT_ID, REDIRECT, XWorld


async def approve(x: XWorld, url: str, user: XUser) -> tuple[str, str]:
    """What a browser does on the simulator's authorise page: (code, state)."""
    assert url.startswith(x.base_url + "/i/oauth2/authorize?")
    async with httpx.AsyncClient() as browser:
        page = await browser.get(url)
        assert page.status_code == 200 and f"@{user.username}" in page.text
        answer = await browser.post(url, data={"user_id": user.id, "decision": "allow"})
    assert answer.status_code == 302
    back = urlsplit(answer.headers["location"])
    assert back.geturl().startswith(REDIRECT)
    params = parse_qs(back.query)
    return params["code"][0], params["state"][0]


async def authorise(x: XWorld, user: XUser) -> tuple[str, str, str]:
    """The provider's authorisation, approved: (code, state, verifier)."""
    start = x.provider.authorization(REDIRECT)
    query = parse_qs(urlsplit(start.url).query)
    assert query["code_challenge_method"] == ["S256"] and query["state"] == [start.state]
    assert set(query["scope"][0].split()) == {"tweet.read", "tweet.write", "users.read",
                                              "offline.access"}
    code, state = await approve(x, start.url, user)
    return code, state, start.code_verifier


async def connect(x: XWorld, user: XUser) -> Tokens:
    code, state, verifier = await authorise(x, user)
    return await x.provider.exchange(REDIRECT, code=code, state=state, expected_state=state,
                                     code_verifier=verifier)


async def test_a_full_pkce_exchange_then_the_profile(x: XWorld) -> None:
    user = x.sim.add_user("kahawa_fan", 48_000, following=310, verified=True)
    tokens = await connect(x, user)
    assert tokens.refresh_token and "offline.access" in tokens.scopes
    assert tokens.access_token not in repr(tokens)
    profile = await x.provider.profile(tokens.access_token)
    assert (profile.id, profile.handle, profile.followers, profile.following) == (
        user.id, "kahawa_fan", 48_000, 310)
    assert profile.verified and not profile.protected and profile.created_at is not None


async def test_a_forged_or_replayed_state_or_a_wrong_verifier_is_refused(x: XWorld) -> None:
    user = x.sim.add_user("mama_mboga", 1200)
    code, state, verifier = await authorise(x, user)
    with pytest.raises(AuthorizationRefused):  # another browser's state
        await x.provider.exchange(REDIRECT, code=code, state="forged", expected_state=state,
                                  code_verifier=verifier)
    with pytest.raises(AuthorizationRefused):  # the verifier is not the one challenged
        await x.provider.exchange(REDIRECT, code=code, state=state, expected_state=state,
                                  code_verifier="x" * 64)
    code, state, verifier = await authorise(x, user)
    await x.provider.exchange(REDIRECT, code=code, state=state, expected_state=state,
                              code_verifier=verifier)
    with pytest.raises(AuthorizationRefused):  # the code is used once
        await x.provider.exchange(REDIRECT, code=code, state=state, expected_state=state,
                                  code_verifier=verifier)


async def test_an_expired_token_is_refreshed_and_the_old_refresh_token_dies(x: XWorld) -> None:
    user = x.sim.add_user("chai_time", 9800)
    tokens = await connect(x, user)
    for grant in x.sim.access.values():
        grant.expires_at = 0
    with pytest.raises(TokenExpired):
        await x.provider.profile(tokens.access_token)
    assert tokens.refresh_token is not None
    fresh = await x.provider.refresh(tokens.refresh_token)
    assert fresh.refresh_token != tokens.refresh_token
    assert (await x.provider.profile(fresh.access_token)).followers == 9800
    with pytest.raises(TokenRevoked):  # single use
        await x.provider.refresh(tokens.refresh_token)


async def test_two_racing_refreshes_one_wins(x: XWorld) -> None:
    """Without the per-account lock the app adds, one of two refreshes fails: the reason
    for the lock (tested with the accounts service)."""
    tokens = await connect(x, x.sim.add_user("cacao_lover", 350))
    assert tokens.refresh_token is not None
    results = await asyncio.gather(x.provider.refresh(tokens.refresh_token),
                                   x.provider.refresh(tokens.refresh_token),
                                   return_exceptions=True)
    assert sorted(type(r).__name__ for r in results) == ["TokenRevoked", "Tokens"]


async def test_a_revoked_app_and_a_suspended_account(x: XWorld) -> None:
    revoker, suspended = x.sim.add_user("changed_mind", 500), x.sim.add_user("spam", 90_000)
    revoked_tokens, suspended_tokens = await connect(x, revoker), await connect(x, suspended)
    x.sim.revoked.add((revoker.id, CLIENT_ID))
    with pytest.raises(TokenExpired):
        await x.provider.profile(revoked_tokens.access_token)
    assert revoked_tokens.refresh_token is not None
    with pytest.raises(TokenRevoked):
        await x.provider.refresh(revoked_tokens.refresh_token)
    suspended.suspended = True
    with pytest.raises(AccountSuspended):
        await x.provider.profile(suspended_tokens.access_token)


async def test_reposts_and_a_429_with_its_reset(x: XWorld) -> None:
    author, fan = x.sim.add_user("harambee_fund", 5000), x.sim.add_user("fan", 800)
    tokens = await connect(x, fan)
    x.sim.tweets["42"] = {"id": "42", "author_id": author.id, "text": "Fund co-ops"}
    async with x.provider.pooled():
        await x.provider.repost(tokens.access_token, fan.id, "42")
        await x.provider.repost(tokens.access_token, fan.id, "42")  # once, however often
    assert list(fan.retweets) == ["42"]
    await x.provider.undo_repost(tokens.access_token, fan.id, "42")
    assert fan.retweets == {}
    x.sim.faults.storm_until = 10**12
    with pytest.raises(RateLimited) as limited:
        await x.provider.repost(tokens.access_token, fan.id, "42")
    assert limited.value.reset_at is not None and limited.value.reset_at > 0


async def test_the_campaign_account_publishes_and_a_repost_can_be_found_again(
        x: XWorld) -> None:
    author, fan = x.sim.add_user("harambee_fund", 5000), x.sim.add_user("fan", 800)
    author_tokens, fan_tokens = await connect(x, author), await connect(x, fan)
    post = await x.provider.publish(author_tokens.access_token, "Fund co-ops\n\n#ad",
                                    paid_partnership=True)
    assert x.sim.tweets[post]["paid_partnership"] is True            # labelled by X
    assert await x.provider.post_exists(fan_tokens.access_token, post)
    assert not reposted(await x.provider.posts_since(fan_tokens.access_token, fan.id, post),
                        post)
    await x.provider.repost(fan_tokens.access_token, fan.id, post)
    # a worker that died after X's answer asks before trying again: the repost is there
    assert reposted(await x.provider.posts_since(fan_tokens.access_token, fan.id, post), post)
    other = await x.provider.publish(author_tokens.access_token, "Another",
                                     paid_partnership=False)
    assert not reposted(await x.provider.posts_since(fan_tokens.access_token, fan.id, other),
                        other)                        # only what came after `other`
    mine = await x.provider.posts_since(author_tokens.access_token, author.id, None)
    assert [p.id for p in mine] == [other, post] and mine[0].repost_of is None
    x.sim.tweets[post]["deleted"] = True                             # its author deleted it
    assert not await x.provider.post_exists(fan_tokens.access_token, post)
    with pytest.raises(PostGone):
        await x.provider.repost(fan_tokens.access_token, fan.id, post)
