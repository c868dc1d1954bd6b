"""Jobs of co-ops: the invitation mail to a new contact, and who acts for a co-op (the people
other packages' mail goes to)."""

from __future__ import annotations

from typing import Any

from app.accounts import tokens
from app.accounts.models import User
from app.mail import send_mail
from app.queue import JobFunc
from app.urls import url
from grants.coops.models import CoopContact, CoopInvitation


async def coop_user_ids(org_id: int, coop_id: int) -> list[int]:
    """The ids of everyone who acts for a co-op, in order."""
    contacts = await CoopContact.filter(organisation_id=org_id,  # unscoped: a job, by ids
                                        cooperative_id=coop_id).values("user_id")
    return sorted(int(row["user_id"]) for row in contacts)


async def coop_people(org_id: int, coop_id: int) -> list[User]:
    """Everyone who acts for a co-op: each is mailed in their own language."""
    return await User.filter(id__in=await coop_user_ids(org_id, coop_id)).order_by("id")


async def send_coop_invitation(ctx: dict[str, Any], invitation_id: int) -> None:
    invitation = await CoopInvitation.get_or_none(  # unscoped: a job, by id
        id=invitation_id, accepted_at=None).select_related("cooperative", "organisation")
    if invitation is None:
        return
    token = tokens.sign(ctx["settings"], tokens.COOP_INVITATION, {"ciid": invitation.id})
    inviter = await User.get_or_none(id=invitation.invited_by_id)
    known = await User.get_or_none(email=invitation.email)
    # Someone we know reads their own language; a newcomer, the inviter's.
    locale = known.locale if known else inviter.locale if inviter else "en"
    await send_mail(ctx, to=invitation.email, template="grants/coops/mail/coop_invitation",
                    locale=locale,
                    context={"invitation": invitation, "coop": invitation.cooperative,
                             "organisation": invitation.organisation, "inviter": inviter,
                             "link": url("grants:coop_invitation", token=token)})


JOBS: tuple[JobFunc, ...] = (send_coop_invitation,)
