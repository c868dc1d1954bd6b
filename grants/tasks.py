"""Jobs of the grants pipeline: mail to applicants and reviewers, and closing calls whose
time has come."""

from __future__ import annotations

from typing import Any

from app.accounts import tokens
from app.accounts.models import User
from app.mail import send_mail
from app.queue import JobFunc, Periodic
from grants.models import (
    ApplicationMessage,
    Call,
    CoopContact,
    CoopInvitation,
    Decision,
    Review,
    ReviewStatus,
)
from grants.service.calls import close_due_calls as close_calls


async def coop_user_ids(org_id: int, coop_id: int) -> list[int]:
    """The ids of everyone who acts for a co-op, in order."""
    contacts = await CoopContact.filter(organisation_id=org_id,  # unscoped: a job, by ids
                                        cooperative_id=coop_id).values("user_id")
    return sorted(int(row["user_id"]) for row in contacts)


async def coop_people(org_id: int, coop_id: int) -> list[User]:
    """Everyone who acts for a co-op: each is mailed in their own language."""
    return await User.filter(id__in=await coop_user_ids(org_id, coop_id)).order_by("id")


async def send_application_message(ctx: dict[str, Any], message_id: int) -> None:
    """Each contact of the co-op gets the message in their own language and timezone."""
    message = await ApplicationMessage.get_or_none(id=message_id).select_related(  # unscoped: job
        "application", "application__organisation")
    if message is None:
        return
    application = message.application
    org = application.organisation
    call = await Call.get(id=application.call_id, organisation_id=org.id)  # unscoped: its own
    decision = await Decision.get_or_none(application_id=application.id,  # unscoped: its own
                                          organisation_id=org.id)
    for user in await coop_people(org.id, application.cooperative_id):
        await send_mail(ctx, to=user.email, template="application_message", locale=user.locale,
                        context={"message": message, "application": application, "call": call,
                                 "organisation": org, "user": user, "decision": decision,
                                 "link": f"/o/{org.slug}/applications/{application.id}"})


async def tell_reviewer(ctx: dict[str, Any], call_id: int, reviewer_id: int) -> None:
    """A reviewer given new applications hears how many they have to do, in their language."""
    call = await Call.get_or_none(id=call_id).select_related("organisation")  # unscoped: job
    user = await User.get_or_none(id=reviewer_id)
    if call is None or user is None:
        return
    org = call.organisation
    count = await Review.filter(organisation_id=org.id, call_id=call.id,  # unscoped: its own
                                reviewer_id=user.id, status=ReviewStatus.DRAFT).count()
    if count:
        await send_mail(ctx, to=user.email, template="reviews_assigned", locale=user.locale,
                        context={"call": call, "organisation": org, "user": user,
                                 "count": count, "link": f"/o/{org.slug}/reviews"})


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
    await send_mail(ctx, to=invitation.email, template="coop_invitation", locale=locale,
                    context={"invitation": invitation, "coop": invitation.cooperative,
                             "organisation": invitation.organisation, "inviter": inviter,
                             "link": f"/coop-invitations/{token}"})


async def close_due_calls(ctx: dict[str, Any]) -> None:
    await close_calls()


JOBS: tuple[JobFunc, ...] = (send_application_message, send_coop_invitation, tell_reviewer,
                             close_due_calls)
PERIODIC: tuple[Periodic, ...] = (Periodic("close_due_calls", every_seconds=60),)
