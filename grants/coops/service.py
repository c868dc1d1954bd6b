"""Co-op profiles: any signed-in person may create one and becomes its owner; the owner adds
other contacts. Someone who is not a contact of a co-op gets 404 for it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tortoise.exceptions import IntegrityError

from app import audit, invitations, queue
from app.accounts import tokens
from app.accounts.models import User
from app.accounts.service import normalise_email
from app.db import atomic
from app.errors import Forbidden, Invalid, NotFound
from app.i18n import lazy_gettext as _l
from app.orgs.models import Organisation
from app.settings import Settings
from app.tenancy import get_locked, get_scoped, scoped
from app.throttle import Throttle
from app.timefmt import now
from grants.coops.models import CoopContact, Cooperative, CoopInvitation, Network
from grants.coops.schemas import ContactIn, CooperativeIn


async def _network(org: Organisation, name: str) -> Network | None:
    """The shared list of unions and networks: the same name (any case) is the same one."""
    if not name:
        return None
    for network in await scoped(Network, org).filter(name__iexact=name):
        return network
    try:
        async with atomic():
            return await Network.create(organisation=org, name=name)
    except IntegrityError:  # created a moment ago by someone else
        return await get_scoped(Network, org, name=name)


def _values(data: CooperativeIn) -> dict[str, Any]:
    values = data.model_dump(exclude={"network"})
    values["certifications"] = [c.model_dump() for c in data.certifications]
    return values


async def create_cooperative(user: User, org: Organisation, data: CooperativeIn) -> Cooperative:
    async with atomic():
        network = await _network(org, data.network)
        coop = await Cooperative.create(organisation=org, network=network, **_values(data))
        await CoopContact.create(organisation=org, cooperative=coop, user_id=user.id,
                                 is_owner=True)
        await audit.record(verb="cooperative.created", obj=coop, actor_id=user.id,
                           organisation_id=org.id)
    return coop


async def contact_for(user: User, org: Organisation, coop_id: int) -> CoopContact:
    """The user's place in the co-op; NotFound for anyone who does not act for it."""
    contact = await scoped(CoopContact, org).filter(
        cooperative_id=coop_id, user_id=user.id).select_related("cooperative").first()
    if contact is None:
        raise NotFound()
    return contact


async def update_cooperative(user: User, org: Organisation, coop_id: int,
                             data: CooperativeIn) -> Cooperative:
    await contact_for(user, org, coop_id)
    async with atomic():
        coop = await get_locked(Cooperative, org, id=coop_id)
        network = await _network(org, data.network)
        values = {**_values(data), "network_id": network.id if network else None}
        changed = [name for name, value in values.items() if getattr(coop, name) != value]
        coop.update_from_dict(values)
        await coop.save()
        await audit.record(verb="cooperative.updated", obj=coop, actor_id=user.id,
                           organisation_id=org.id, changed=changed)
    return coop


async def cooperatives_of(user: User, org: Organisation) -> list[Cooperative]:
    return await scoped(Cooperative, org).filter(
        contacts__user_id=user.id).order_by("legal_name").distinct()


async def network_name(coop: Cooperative) -> str:
    if coop.network_id is None:
        return ""
    network = await Network.get_or_none(id=coop.network_id)  # unscoped: the co-op's own
    return network.name if network else ""


async def networks(org: Organisation) -> list[str]:
    return [str(name) for name in
            await scoped(Network, org).order_by("name").values_list("name", flat=True)]


async def contacts(org: Organisation, coop: Cooperative) -> list[tuple[CoopContact, User]]:
    rows = await scoped(CoopContact, org).filter(cooperative_id=coop.id).order_by("id")
    users = {u.id: u for u in await User.filter(id__in=[r.user_id for r in rows])}
    return [(row, users[row.user_id]) for row in rows if row.user_id in users]


INVITATION_DAYS = 14


async def invite_contact(user: User, org: Organisation, coop_id: int, data: ContactIn, *,
                         throttle: Throttle) -> CoopInvitation:
    """The owner invites someone by email; they accept through the link they are sent."""
    mine = await contact_for(user, org, coop_id)
    if not mine.is_owner:
        raise Forbidden(_l("Only the co-op's owner can add contacts."))
    email = normalise_email(str(data.email))
    known = await User.get_or_none(email=email)
    if known and await scoped(CoopContact, org).filter(cooperative_id=coop_id,
                                                       user_id=known.id).exists():
        raise Invalid(fields={"email": _l("This person already acts for the co-op.")})
    await invitations.may_invite(throttle, user, email)
    async with atomic():
        invitation = await CoopInvitation.create(
            organisation=org, cooperative_id=coop_id, email=email, invited_by_id=user.id,
            expires_at=now() + timedelta(days=INVITATION_DAYS))
        await audit.record(verb="cooperative.contact_invited", obj=invitation,
                           actor_id=user.id, organisation_id=org.id)
        await queue.enqueue("send_coop_invitation", invitation.id)
    return invitation


async def pending_invitations(org: Organisation, coop: Cooperative) -> list[CoopInvitation]:
    return await scoped(CoopInvitation, org).filter(
        cooperative_id=coop.id, accepted_at=None, expires_at__gt=now()).order_by("-id")


async def invitation_for_token(settings: Settings, token: str) -> CoopInvitation:
    return await invitations.from_token(
        settings, tokens.COOP_INVITATION, token, "ciid",
        lambda invitation_id: CoopInvitation.get_or_none(  # unscoped: a signed token
            id=invitation_id, accepted_at=None, expires_at__gt=now()
        ).select_related("cooperative", "organisation"))


async def accept_invitation(settings: Settings, token: str, user: User) -> CoopInvitation:
    invitation = await invitation_for_token(settings, token)
    invitations.check_addressee(user, invitation.email)
    async with atomic():
        await invitations.claim(CoopInvitation, invitation.id)
        contact, created = await CoopContact.get_or_create(
            organisation_id=invitation.organisation_id,
            cooperative_id=invitation.cooperative_id, user_id=user.id)
        if created:
            await audit.record(verb="cooperative.contact_added", obj=contact, actor_id=user.id,
                               organisation_id=invitation.organisation_id)
    return invitation

