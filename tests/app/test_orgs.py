"""Organisations: self-service creation, invitations, roles, and tenant isolation (404)."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import httpx
import pytest

from app.audit import AuditEvent
from app.orgs.models import Invitation, Membership, Organisation, Role
from app.settings import Settings
from tests.helpers import (
    add_member,
    link_in,
    login,
    make_org,
    make_user,
    post_form,
    wait_for_mail,
)

ORG = {"name": "Andes Coffee Fund", "slug": "andes-coffee", "default_currency": "usd",
       "locales": ["en", "es"], "timezone": "America/Lima"}


async def test_verified_user_creates_an_organisation_and_owns_it(
        client: httpx.AsyncClient) -> None:
    user = await make_user()
    await login(client, user.email)
    response = await post_form(client, "/orgs/new", ORG, token_from="/orgs/new")
    assert response.status_code == 303 and response.headers["location"] == "/o/andes-coffee/"
    org = await Organisation.get(slug="andes-coffee")
    assert org.default_currency == "USD" and org.locales == ["en", "es"]
    membership = await Membership.get(organisation=org, user=user)
    assert membership.role is Role.OWNER
    assert await AuditEvent.filter(verb="organisation.created", organisation_id=org.id).exists()
    dashboard = await client.get("/o/andes-coffee/")
    assert dashboard.status_code == 200 and "Andes Coffee Fund" in dashboard.text


async def test_unverified_user_cannot_create_an_organisation(client: httpx.AsyncClient) -> None:
    user = await make_user(verified=False)
    await login(client, user.email)
    response = await post_form(client, "/orgs/new", ORG, token_from="/orgs/new")
    assert response.status_code == 403 and "Verify your email" in response.text
    assert not await Organisation.exists()


async def test_taken_slug_and_bad_fields_are_named(client: httpx.AsyncClient) -> None:
    user = await make_user()
    await make_org(slug="andes-coffee")
    await login(client, user.email)
    response = await post_form(client, "/orgs/new", {**ORG, "default_currency": "dollars",
                                                     "locales": "xx"}, token_from="/orgs/new")
    assert response.status_code == 422
    assert 'id="e-default_currency"' in response.text
    taken = await post_form(client, "/orgs/new", ORG, token_from="/orgs/new")
    assert taken.status_code == 422 and "already taken" in taken.text
    assert await Organisation.filter().count() == 1


async def test_owner_invites_a_reviewer_who_accepts_after_signing_up(
        client: httpx.AsyncClient, settings: Settings) -> None:
    owner = await make_user()
    org = await make_org(owner=owner)
    await login(client, owner.email)
    response = await post_form(client, f"/o/{org.slug}/members",
                               {"email": "Joseph@Example.org", "role": "reviewer"},
                               token_from=f"/o/{org.slug}/members")
    assert response.status_code == 303
    link = link_in(await wait_for_mail(settings, "joseph@example.org"))

    client.cookies.clear()
    page = await client.get(link)
    assert page.status_code == 200 and "Mlima Fund" in page.text
    signup = {"email": "joseph@example.org", "password": "a long password", "display_name":
              "Joseph", "locale": "en", "timezone": "Africa/Kampala"}
    assert f"/signup?next={quote(link)}" in page.text
    signed_up = await post_form(client, f"/signup?next={quote(link)}", signup,
                                token_from="/signup")
    assert signed_up.headers["location"] == link  # back to the invitation, to accept it
    accepted = await post_form(client, link, {}, token_from=link)
    assert accepted.status_code == 303 and accepted.headers["location"] == f"/o/{org.slug}/"
    membership = await Membership.get(organisation=org, user__email="joseph@example.org")
    assert membership.role is Role.REVIEWER
    assert (await Invitation.get(email="joseph@example.org")).accepted_at is not None
    again = await post_form(client, link, {}, token_from="/home")
    assert again.status_code == 400


async def test_invitation_for_someone_else_is_refused(
        client: httpx.AsyncClient, settings: Settings) -> None:
    owner = await make_user()
    org = await make_org(owner=owner)
    await make_user(email="other@example.org")
    await login(client, owner.email)
    await post_form(client, f"/o/{org.slug}/members", {"email": "joseph@example.org",
                                                       "role": "staff"},
                    token_from=f"/o/{org.slug}/members")
    link = link_in(await wait_for_mail(settings, "joseph@example.org"))
    client.cookies.clear()
    await login(client, "other@example.org")
    response = await post_form(client, link, {}, token_from=link)
    assert response.status_code == 403
    assert await Membership.filter(organisation=org).count() == 1


async def test_only_owners_manage_members_and_the_last_owner_stays(
        client: httpx.AsyncClient) -> None:
    owner = await make_user()
    staff = await make_user(email="staff@example.org")
    org = await make_org(owner=owner)
    staff_membership = await add_member(org, staff, Role.STAFF)
    owner_membership = await Membership.get(user=owner)

    await login(client, staff.email)
    refused = await post_form(client, f"/o/{org.slug}/members/{owner_membership.id}/role",
                              {"role": "reviewer"}, token_from=f"/o/{org.slug}/members")
    assert refused.status_code == 403

    client.cookies.clear()
    await login(client, owner.email)
    last = await post_form(client, f"/o/{org.slug}/members/{owner_membership.id}/role",
                           {"role": "staff"}, token_from=f"/o/{org.slug}/members")
    assert last.status_code == 409
    assert (await Membership.get(id=owner_membership.id)).role is Role.OWNER
    changed = await post_form(client, f"/o/{org.slug}/members/{staff_membership.id}/role",
                              {"role": "reviewer"}, token_from=f"/o/{org.slug}/members")
    assert changed.status_code == 303
    assert (await Membership.get(id=staff_membership.id)).role is Role.REVIEWER
    event = await AuditEvent.get(verb="membership.role_changed")
    assert event.changed_fields == ["role"] and event.actor_id == owner.id


async def test_a_foreign_tenant_answers_404_never_403(client: httpx.AsyncClient) -> None:
    alice = await make_user(email="alice@example.org")
    bob = await make_user(email="bob@example.org")
    await make_org(slug="alice-fund", owner=alice)
    bob_org = await make_org(slug="bob-fund", owner=bob)
    bob_membership = await Membership.get(user=bob)
    await login(client, alice.email)
    for path in ("/o/bob-fund/", "/o/bob-fund/members", "/o/no-such-fund/"):
        assert (await client.get(path)).status_code == 404, path
    response = await post_form(client, f"/o/bob-fund/members/{bob_membership.id}/role",
                               {"role": "staff"}, token_from="/home")
    assert response.status_code == 404
    # Alice's own org, with Bob's membership id: still not found.
    response = await post_form(client, f"/o/alice-fund/members/{bob_membership.id}/role",
                               {"role": "staff"}, token_from="/home")
    assert response.status_code == 404
    assert (await Membership.get(id=bob_membership.id)).role is Role.OWNER
    assert bob_org.id


async def test_reviewer_sees_a_reviewers_dashboard(client: httpx.AsyncClient) -> None:
    owner = await make_user()
    reviewer = await make_user(email="reviewer@example.org")
    org = await make_org(owner=owner)
    await add_member(org, reviewer, Role.REVIEWER)
    await login(client, reviewer.email)
    home = await client.get("/home")
    assert f'href="/o/{org.slug}/"' in home.text
    dashboard = await client.get(f"/o/{org.slug}/")
    assert dashboard.status_code == 200
    assert "assigned to you for review" in dashboard.text and "Currency" not in dashboard.text
    assert "Invite people" not in dashboard.text


async def test_user_without_membership_sees_what_they_can_do(client: httpx.AsyncClient) -> None:
    await make_user(email="coop@example.org")
    await login(client, "coop@example.org")
    home = await client.get("/home")
    assert home.status_code == 200
    assert "What you can do" in home.text and "/orgs/new" in home.text


async def test_long_member_lists_are_paginated(client: httpx.AsyncClient) -> None:
    owner = await make_user(name="Aaron Owner")
    org = await make_org(owner=owner)
    for index in range(55):
        await add_member(org, await make_user(email=f"r{index:02}@example.org",
                                              name=f"Reviewer {index:02}"), Role.REVIEWER)
    await login(client, owner.email)
    first = await client.get(f"/o/{org.slug}/members")
    assert "Reviewer 48" in first.text and "Reviewer 49" not in first.text
    assert "page=2" in first.text
    second = await client.get(f"/o/{org.slug}/members?page=2")
    assert "Reviewer 49" in second.text and "Reviewer 00" not in second.text
    odd = await client.get(f"/o/{org.slug}/members?page=-3")
    assert odd.status_code == 200 and "Reviewer 00" in odd.text


@pytest.mark.postgres_only
async def test_two_owners_demoting_each_other_at_once_leave_one_owner(
        settings: Settings) -> None:
    from app.errors import Conflict, Forbidden
    from app.orgs.service import change_role

    first, second = await make_user(), await make_user(email="second@example.org")
    org = await make_org(owner=first)
    await add_member(org, second, Role.OWNER)
    a = await Membership.get(user=first).select_related("organisation")
    b = await Membership.get(user=second).select_related("organisation")
    results = await asyncio.gather(change_role(a, b.id, Role.STAFF),
                                   change_role(b, a.id, Role.STAFF), return_exceptions=True)
    assert await Membership.filter(organisation=org, role=Role.OWNER).count() == 1
    # The second to run finds itself no longer an owner (403) or the last one (409).
    assert sum(isinstance(result, Conflict | Forbidden) for result in results) == 1
