"""Connecting a supporter's social account and pledging it, and keeping its tokens fresh.

The OAuth state and PKCE verifier stay on the server (`OAuthAttempt`: the state hashed, the
verifier encrypted), bound to the browser that started: a callback from another browser, a
replayed state or a late one is refused. Tokens are stored encrypted with the rotating
TOKEN_ENCRYPTION_KEYS. Refresh tokens are single-use, so a refresh runs under a lock on the
account's row and the new pair is saved before it is used: two workers needing a fresh
token at once make one refresh, and the second uses the pair the first saved.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from app import audit, timefmt
from app.crypto import SecretBox
from app.db import atomic
from app.errors import AppError
from app.i18n import lazy_gettext as _l
from app.orgs.models import Organisation
from app.tenancy import get_scoped, scoped
from campaigns.campaign.models import Campaign
from campaigns.networks.protocol import (
    AuthorizationRefused,
    Profile,
    SocialProvider,
    TokenExpired,
    TokenRevoked,
    Tokens,
)
from campaigns.pledges.models import OAuthAttempt, Pledge, SocialAccount
from campaigns.pledges.service import pledges as pledging
from campaigns.pledges.statuses import PledgeStatus

ATTEMPT_MINUTES = 15
# Sign-ins begun from one address in ATTEMPT_MINUTES: a co-op meeting pledging together on
# one Wi-Fi (or a carrier's shared address) is far below it; a script's loop is stopped.
ATTEMPTS_PER_ADDRESS = 60
PLEDGE, PUBLISHER = "pledge", "publisher"      # what an attempt is for
EARLY_REFRESH = timedelta(minutes=2)
CONNECTION_FAILED = _l("We could not connect your account. Start again from the campaign page.")


def _digest(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


async def start(org: Organisation, campaign: Campaign, provider: SocialProvider, box: SecretBox,
                *, browser: str, redirect_uri: str, email: str | None, locale: str,
                purpose: str = PLEDGE, user_id: int | None = None) -> str:
    """Where to send the browser to authorise; the state and verifier stay here. The
    purpose says what the callback does: pledge a supporter's account, or make a staff
    member's account the campaign's publisher."""
    authorization = provider.authorization(redirect_uri)
    await OAuthAttempt.create(
        organisation=org, state_hash=_digest(authorization.state),
        verifier_enc=box.encrypt(authorization.code_verifier), browser=browser,
        campaign_id=campaign.id, network=provider.network,
        details={"email": email, "locale": locale, "purpose": purpose, "user_id": user_id},
        expires_at=timefmt.now() + timedelta(minutes=ATTEMPT_MINUTES))
    return authorization.url


async def delete_expired_attempts() -> int:
    """Attempts past their time are of no use to anyone (the hourly job)."""
    return int(await OAuthAttempt.filter(  # unscoped: every tenant's, by their time
        expires_at__lt=timefmt.now()).delete())


@dataclass(frozen=True)
class Claimed:
    """An OAuth attempt claimed by its callback, with its organisation and campaign."""

    attempt: OAuthAttempt
    org: Organisation
    campaign: Campaign


async def claim(state: str, browser: str) -> Claimed:
    """The attempt this callback belongs to, claimed once; refused otherwise."""
    async with atomic():
        attempt = await OAuthAttempt.filter(  # unscoped: found by the state it was given
            state_hash=_digest(state)).select_for_update().first()
        if (attempt is None or attempt.used_at is not None or attempt.browser != browser
                or attempt.expires_at <= timefmt.now()):
            raise AppError(CONNECTION_FAILED, code="oauth_refused", status_code=400)
        attempt.used_at = timefmt.now()
        await attempt.save(update_fields=["used_at"])
        org = await Organisation.get(id=attempt.organisation_id)
        campaign = await get_scoped(Campaign, org, id=attempt.campaign_id)
    return Claimed(attempt, org, campaign)


async def finish(org: Organisation, campaign: Campaign, attempt: OAuthAttempt,
                 provider: SocialProvider, box: SecretBox, *, state: str, code: str,
                 redirect_uri: str, consent: pledging.ConsentGiven) -> Pledge:
    """Exchange the code, read the profile, store the account once, and pledge it."""
    tokens, profile = await authorised(attempt, provider, box, state=state, code=code,
                                       redirect_uri=redirect_uri)
    consent = pledging.ConsentGiven(text=consent.text, terms_version=consent.terms_version,
                                 locale=consent.locale, scopes=tokens.scopes)
    async with atomic():
        account = await store(org, provider.network, profile, tokens, box)
        return await pledging.pledge(org, campaign, account, consent,
                                  email=attempt.details.get("email"))


async def authorised(attempt: OAuthAttempt, provider: SocialProvider, box: SecretBox, *,
                     state: str, code: str, redirect_uri: str) -> tuple[Tokens, Profile]:
    """The code exchanged for tokens, and the profile they belong to."""
    try:
        tokens = await provider.exchange(redirect_uri, code=code, state=state,
                                         expected_state=state,
                                         code_verifier=box.decrypt(attempt.verifier_enc))
        return tokens, await provider.profile(tokens.access_token)
    except AuthorizationRefused as exc:
        raise AppError(CONNECTION_FAILED, code="oauth_refused", status_code=400) from exc


async def store(org: Organisation, network: str, profile: Profile, tokens: Tokens,
                box: SecretBox) -> SocialAccount:
    """The account, made or brought up to date, its tokens encrypted (in a transaction)."""
    account = await scoped(SocialAccount, org).select_for_update().get_or_none(
        network=network, account_id=profile.id)
    values: dict[str, Any] = {
        "handle": profile.handle, "followers": profile.followers,
        "following": profile.following, "protected": profile.protected,
        "verified": profile.verified, "account_created_at": profile.created_at,
        "access_token_enc": box.encrypt(tokens.access_token),
        "refresh_token_enc": box.encrypt(tokens.refresh_token) if tokens.refresh_token
        else None,
        "token_expires_at": tokens.expires_at, "scopes": list(tokens.scopes),
        "profile_checked_at": timefmt.now(), "revoked_at": None, "tokens_deleted_at": None,
    }
    if account is None:
        account = await SocialAccount.create(organisation=org, network=network,
                                             account_id=profile.id, **values)
        await audit.record(verb="social_account.connected", obj=account, actor_id=None,
                           organisation_id=org.id)
    else:
        account.update_from_dict(values)
        await account.save()
        await audit.record(verb="social_account.reconnected", obj=account, actor_id=None,
                           organisation_id=org.id, changed=["access_token_enc"])
    return account


async def access_token(org: Organisation, account_id: int, provider: SocialProvider,
                       box: SecretBox, account: SocialAccount | None = None) -> str:
    """A usable access token: the stored one (of `account` when the caller has just read
    it), or a fresh pair made under the row's lock."""
    account = account or await scoped(SocialAccount, org).get(id=account_id)
    if _usable(account):
        return box.decrypt(account.access_token_enc or "")
    async with atomic():
        account = await scoped(SocialAccount, org).select_for_update().get(id=account_id)
        if _usable(account):  # refreshed by someone else while we waited for the lock
            return box.decrypt(account.access_token_enc or "")
        refusal: TokenRevoked | None = None
        if account.refresh_token_enc is None:
            refusal = TokenRevoked("no refresh token")
        else:
            try:
                tokens = await provider.refresh(box.decrypt(account.refresh_token_enc))
            except TokenRevoked as exc:
                refusal = exc
        if refusal is None:
            account.access_token_enc = box.encrypt(tokens.access_token)
            account.refresh_token_enc = (box.encrypt(tokens.refresh_token)
                                         if tokens.refresh_token
                                         else account.refresh_token_enc)
            account.token_expires_at = tokens.expires_at
            await account.save(update_fields=["access_token_enc", "refresh_token_enc",
                                              "token_expires_at"])
    if refusal is not None:  # after the lock's transaction: the withdrawals must commit
        await revoked(org, account)
        raise refusal
    return tokens.access_token


def _usable(account: SocialAccount) -> bool:
    return (account.access_token_enc is not None and account.token_expires_at is not None
            and account.token_expires_at > timefmt.now() + EARLY_REFRESH)


async def revoked(org: Organisation, account: SocialAccount) -> None:
    """The person revoked the app: the account's pledges leave the reach, its tokens go."""
    await scoped(SocialAccount, org).filter(id=account.id).update(revoked_at=timefmt.now())
    for pledge in await scoped(Pledge, org).filter(account_id=account.id,
                                                   status=PledgeStatus.ACTIVE):
        await pledging.withdraw(org, pledge.id)
    await pledging.delete_tokens(org, account.id)


async def check_profile(org: Organisation, account_id: int, provider: SocialProvider,
                        box: SecretBox) -> SocialAccount:
    """Re-read followers and token validity (before the auction closes, before the
    broadcast); the account's active pledges are recounted in the same transaction."""
    token = await access_token(org, account_id, provider, box)
    try:
        profile = await provider.profile(token)
    except TokenExpired:
        await scoped(SocialAccount, org).filter(id=account_id).update(token_expires_at=None)
        profile = await provider.profile(await access_token(org, account_id, provider, box))
    async with atomic():
        account = await scoped(SocialAccount, org).select_for_update().get(id=account_id)
        account.followers, account.following = profile.followers, profile.following
        account.protected, account.verified = profile.protected, profile.verified
        account.profile_checked_at = timefmt.now()
        await account.save()
        for pledge in await scoped(Pledge, org).filter(account_id=account_id,
                                                       status=PledgeStatus.ACTIVE):
            await pledging.recount(org, pledge.id, account)
    return account
