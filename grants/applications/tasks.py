"""Jobs of applications: a message to the co-op, mailed to each of its people in their language."""

from __future__ import annotations

from typing import Any

from app.mail import send_mail
from app.queue import JobFunc
from app.urls import url
from grants.applications.models import ApplicationMessage
from grants.calls.models import Call
from grants.coops.tasks import coop_people
from grants.review.models import Decision


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
        await send_mail(ctx, to=user.email, template="grants/applications/mail/application_message",
                        locale=user.locale,
                        context={"message": message, "application": application, "call": call,
                                 "organisation": org, "user": user, "decision": decision,
                                 "link": url("grants:application", org=org.slug,
                                             application_id=application.id)})


JOBS: tuple[JobFunc, ...] = (send_application_message,)
