"""Organisation use cases: self-service creation, invitations, roles."""

from __future__ import annotations

from datetime import timedelta

from tortoise.exceptions import IntegrityError

from app import audit, invitations, queue
from app.accounts import tokens
from app.accounts.models import User
from app.accounts.service import normalise_email
from app.db import atomic
from app.errors import Conflict, Forbidden, Invalid
from app.i18n import lazy_gettext as _l
from app.orgs.models import Invitation, Membership, Organisation, Role
from app.orgs.permissions import OWNERS_ONLY, can_create_organisation, can_manage_members
from app.orgs.schemas import InvitationIn, OrganisationIn
from app.pagination import Page, paginate
from app.permissions import require
from app.settings import Settings
from app.tenancy import get_scoped, scoped
from app.throttle import Throttle
from app.timefmt import now

SLUG_TAKEN = _l("This address is already taken. Choose another.")
INVITATION_DAYS = 14


async def create_organisation(user: User, data: OrganisationIn) -> Organisation:
    allowed = can_create_organisation(user)
    if not allowed:
        raise Forbidden(allowed.reason)
    if await Organisation.exists(slug=data.slug):
        raise Invalid(fields={"slug": SLUG_TAKEN})
    try:
        async with atomic():
            org = await Organisation.create(**data.model_dump())
            owner = await Membership.create(organisation=org, user=user, role=Role.OWNER)
            await audit.record(verb="organisation.created", obj=org, actor_id=user.id,
                               organisation_id=org.id)
            await audit.record(verb="membership.created", obj=owner, actor_id=user.id,
                               organisation_id=org.id)
    except IntegrityError as exc:
        raise Invalid(fields={"slug": SLUG_TAKEN}) from exc
    return org


async def memberships_of(user: User) -> list[Membership]:
    mine = Membership.filter(user_id=user.id)  # unscoped: one person's, across organisations
    return await mine.select_related("organisation").order_by("organisation__name")


async def list_members(org: Organisation, page: int = 1) -> Page[Membership]:
    members = scoped(Membership, org).select_related("user").order_by("user__display_name", "id")
    return await paginate(members, page)


async def pending_invitations(org: Organisation) -> list[Invitation]:
    return await scoped(Invitation, org).filter(
        accepted_at=None, revoked_at=None, expires_at__gt=now()
    ).order_by("-created_at")


def _require_owner(actor: Membership) -> None:
    require(can_manage_members(actor))


async def invite(actor: Membership, data: InvitationIn, *, throttle: Throttle) -> Invitation:
    _require_owner(actor)
    org = actor.organisation
    email = normalise_email(str(data.email))
    if await scoped(Membership, org).filter(user__email=email).exists():
        raise Invalid(fields={"email": _l("This person is already a member.")})
    await invitations.may_invite(throttle, await User.get(id=actor.user_id), email)
    async with atomic():
        superseded = scoped(Invitation, org).filter(email=email, accepted_at=None,
                                                    revoked_at=None)
        for old in await superseded.select_for_update():
            await _revoke(old, actor)
        invitation = await Invitation.create(
            organisation=org, email=email, role=data.role, invited_by_id=actor.user_id,
            expires_at=now() + timedelta(days=INVITATION_DAYS),
        )
        await audit.record(verb="invitation.created", obj=invitation, actor_id=actor.user_id,
                           organisation_id=org.id)
        await queue.enqueue("send_invitation", invitation.id)
    return invitation


async def revoke_invitation(actor: Membership, invitation_id: int) -> None:
    _require_owner(actor)
    invitation = await get_scoped(Invitation, actor.organisation, id=invitation_id,
                                  accepted_at=None, revoked_at=None)
    async with atomic():
        await _revoke(invitation, actor)


async def _revoke(invitation: Invitation, actor: Membership) -> None:
    invitation.revoked_at = now()
    await invitation.save(update_fields=["revoked_at"])
    await audit.record(verb="invitation.revoked", obj=invitation, actor_id=actor.user_id,
                       organisation_id=actor.organisation.id, changed=["revoked_at"])


async def invitation_for_token(settings: Settings, token: str) -> Invitation:
    return await invitations.from_token(
        settings, tokens.INVITATION, token, "iid",
        lambda invitation_id: Invitation.get_or_none(  # unscoped: signed token
            id=invitation_id, accepted_at=None, revoked_at=None, expires_at__gt=now()
        ).select_related("organisation"))


async def accept_invitation(settings: Settings, token: str, user: User) -> Organisation:
    invitation = await invitation_for_token(settings, token)
    invitations.check_addressee(user, invitation.email)
    org = invitation.organisation
    async with atomic():
        await invitations.claim(Invitation, invitation.id)
        if not await scoped(Membership, org).filter(user_id=user.id).exists():
            try:
                async with atomic():  # a savepoint: a second invitation accepted at once
                    membership = await Membership.create(organisation=org, user=user,
                                                         role=invitation.role)
            except IntegrityError:
                return org  # made a moment ago by the other invitation: already a member
            await audit.record(verb="membership.created", obj=membership, actor_id=user.id,
                               organisation_id=org.id)
        if not user.is_verified:  # the invitation reached this address
            user.email_verified_at = now()
            await user.save(update_fields=["email_verified_at"])
            await audit.record(verb="user.verified", obj=user, actor_id=user.id,
                               changed=["email_verified_at"])
    return org


async def change_role(actor: Membership, membership_id: int, role: Role) -> Membership:
    _require_owner(actor)
    org = actor.organisation
    async with atomic():
        # Lock the owners' rows (count() would drop FOR UPDATE): two owners demoting each
        # other at once must not leave the organisation with none.
        owners = await scoped(Membership, org).filter(role=Role.OWNER).select_for_update()
        if actor.id not in {owner.id for owner in owners}:  # demoted a moment ago
            raise Forbidden(OWNERS_ONLY)
        membership = await get_scoped(Membership, org, id=membership_id)
        if membership.role is Role.OWNER and role is not Role.OWNER and len(owners) <= 1:
            raise Conflict(_l("An organisation needs at least one owner."))
        if membership.role is not role:
            membership.role = role
            await membership.save(update_fields=["role"])
            await audit.record(verb="membership.role_changed", obj=membership,
                               actor_id=actor.user_id, organisation_id=org.id, changed=["role"])
    return membership

