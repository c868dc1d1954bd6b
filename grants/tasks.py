"""Jobs of the grants pipeline: mail to applicants, and closing calls whose time has come."""

from __future__ import annotations

from typing import Any

from app.accounts.models import User
from app.mail import send_mail
from app.queue import JobFunc, Periodic
from grants.models import ApplicationMessage, Call, CoopContact
from grants.service.calls import close_due_calls as close_calls


async def send_application_message(ctx: dict[str, Any], message_id: int) -> None:
    """Each contact of the co-op gets the message in their own language and timezone."""
    message = await ApplicationMessage.get_or_none(id=message_id).select_related(  # unscoped: job
        "application", "application__organisation")
    if message is None:
        return
    application = message.application
    org = application.organisation
    call = await Call.get(id=application.call_id, organisation_id=org.id)  # unscoped: its own
    contacts = CoopContact.filter(organisation_id=org.id,  # unscoped: the application's co-op
                                  cooperative_id=application.cooperative_id)
    user_ids = await contacts.values_list("user_id", flat=True)
    for user in await User.filter(id__in=list(user_ids)).order_by("id"):
        await send_mail(ctx, to=user.email, template="application_message", locale=user.locale,
                        context={"message": message, "application": application, "call": call,
                                 "organisation": org, "user": user,
                                 "link": f"/o/{org.slug}/applications/{application.id}"})


async def close_due_calls(ctx: dict[str, Any]) -> None:
    await close_calls()


JOBS: tuple[JobFunc, ...] = (send_application_message, close_due_calls)
PERIODIC: tuple[Periodic, ...] = (Periodic("close_due_calls", every_seconds=60),)
