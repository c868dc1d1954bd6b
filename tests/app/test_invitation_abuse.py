"""Invitations mail strangers what the inviter wrote: only a verified inviter, a few at a time."""

from __future__ import annotations

import httpx

from app.invitations import INVITATIONS_PER_ADDRESS_PER_DAY, INVITATIONS_PER_HOUR
from app.orgs.models import Invitation
from app.settings import Settings
from grants.coops.models import CoopInvitation
from tests.grants.factories import make_coop
from tests.helpers import login, make_org, make_user, outbox, post_form


async def _org_invite(client: httpx.AsyncClient, slug: str, email: str) -> httpx.Response:
    page = f"/o/{slug}/members"
    return await post_form(client, page, {"email": email, "role": "reviewer"}, token_from=page)


async def _coop_invite(client: httpx.AsyncClient, page: str, email: str) -> httpx.Response:
    return await post_form(client, page + "/contacts", {"email": email}, token_from=page)


async def test_an_unverified_coop_owner_cannot_mail_invitations(
        client: httpx.AsyncClient, settings: Settings) -> None:
    org = await make_org()
    owner = await make_user(verified=False)
    coop = await make_coop(org, owner, legal_name="Claim your prize at evil.example")
    await login(client, owner.email)
    page = f"/o/{org.slug}/coops/{coop.id}"
    refused = await _coop_invite(client, page, "victim@example.org")
    assert refused.status_code == 403 and "Confirm your email address" in refused.text
    assert not await CoopInvitation.exists()
    assert not [m for m in outbox(settings) if "victim@example.org" in m["To"]]


async def test_an_unverified_org_owner_cannot_mail_invitations(
        client: httpx.AsyncClient) -> None:
    owner = await make_user(verified=False)
    org = await make_org(owner=owner)
    await login(client, owner.email)
    refused = await _org_invite(client, org.slug, "victim@example.org")
    assert refused.status_code == 403 and not await Invitation.exists()


async def test_one_person_is_invited_a_few_times_a_day_at_most(
        client: httpx.AsyncClient) -> None:
    org = await make_org()
    owner = await make_user()
    coop = await make_coop(org, owner)
    await login(client, owner.email)
    page = f"/o/{org.slug}/coops/{coop.id}"
    for _ in range(INVITATIONS_PER_ADDRESS_PER_DAY):
        assert (await _coop_invite(client, page, "Peter@Kiambu.example")).status_code == 303
    again = await _coop_invite(client, page, "peter@kiambu.example")  # however it is spelt
    assert again.status_code == 429 and "invited several times today" in again.text
    assert 'value="peter@kiambu.example"' in again.text  # the form again, as typed
    assert await CoopInvitation.filter(email="peter@kiambu.example").count() == \
        INVITATIONS_PER_ADDRESS_PER_DAY
    assert (await _coop_invite(client, page, "amina@kiambu.example")).status_code == 303


async def test_an_inviter_sends_a_limited_number_an_hour_across_kinds(
        client: httpx.AsyncClient) -> None:
    owner = await make_user()
    org = await make_org(owner=owner)
    coop = await make_coop(org, owner)
    await login(client, owner.email)
    page = f"/o/{org.slug}/coops/{coop.id}"
    for number in range(INVITATIONS_PER_HOUR // 2):
        assert (await _org_invite(client, org.slug, f"r{number}@example.org")).status_code == 303
    for number in range(INVITATIONS_PER_HOUR - INVITATIONS_PER_HOUR // 2):
        assert (await _coop_invite(client, page, f"c{number}@example.org")).status_code == 303
    refused = await _org_invite(client, org.slug, "one-more@example.org")
    assert refused.status_code == 429 and "many invitations" in refused.text
    assert 'value="one-more@example.org"' in refused.text and 'id="e-email"' in refused.text
    refused = await _coop_invite(client, page, "one-more@example.org")
    assert refused.status_code == 429
    sent = await Invitation.filter().count() + await CoopInvitation.filter().count()
    assert sent == INVITATIONS_PER_HOUR
