"""The app's own jobs: account and invitation mail. Links are signed when the mail is sent."""

from __future__ import annotations

import importlib
from datetime import timedelta
from typing import Any

from app import storage_sweep
from app.accounts import tokens
from app.accounts.models import User, UserSession
from app.accounts.service import password_reset_token
from app.mail import send_mail
from app.orgs.models import Invitation
from app.queue import JobFunc, Periodic
from app.queue_models import QueuedJob
from app.registry import FILE_MODULES
from app.storage import uploads
from app.timefmt import now
from app.urls import url

UNUSED_AFTER = timedelta(days=1)


async def send_verification_email(ctx: dict[str, Any], user_id: int) -> None:
    user = await User.get_or_none(id=user_id)
    if user is None or user.is_verified:
        return
    token = tokens.sign(ctx["settings"], tokens.VERIFY_EMAIL, {"uid": user.id, "email": user.email})
    await send_mail(ctx, to=user.email, template="mail/verify_email", locale=user.locale,
                context={"user": user,
                         "link": url("accounts:verify_email", query={"token": token})})


async def send_password_reset(ctx: dict[str, Any], user_id: int) -> None:
    user = await User.get_or_none(id=user_id)
    if user is None:
        return
    token = password_reset_token(ctx["settings"], user)
    await send_mail(ctx, to=user.email, template="mail/password_reset", locale=user.locale,
                context={"user": user, "link": url("accounts:password_reset_confirm",
                                                    query={"token": token})})


async def send_invitation(ctx: dict[str, Any], invitation_id: int) -> None:
    invitation = await Invitation.get_or_none(  # unscoped: a job, by id
        id=invitation_id, accepted_at=None, revoked_at=None
    ).select_related("organisation")
    if invitation is None:
        return
    token = tokens.sign(ctx["settings"], tokens.INVITATION, {"iid": invitation.id})
    org = invitation.organisation
    inviter = await User.get_or_none(id=invitation.invited_by_id or 0)
    known = await User.get_or_none(email=invitation.email)
    # Someone we know reads their own language; a newcomer, the organisation's first.
    locale = known.locale if known else (org.locales or ["en"])[0]
    await send_mail(ctx, to=invitation.email, template="mail/invitation", locale=locale,
                context={"invitation": invitation, "organisation": invitation.organisation,
                         "inviter": inviter, "link": url("orgs:invitation", token=token)})


async def prune_expired(ctx: dict[str, Any]) -> None:
    """Expired sessions, and the embedded runner's finished jobs, are not kept forever."""
    moment = now()
    await UserSession.filter(expires_at__lt=moment).delete()
    await QueuedJob.filter(finished_at__lt=moment - timedelta(days=7)).delete()


async def remove_unused_files(ctx: dict[str, Any]) -> None:
    """Files no row points to, a day after they were written: an upload stored before its
    transaction, which then failed or was never committed (a process stopped between)."""
    await storage_sweep.remove_unused(uploads(ctx["settings"]), now() - UNUSED_AFTER,
                                      [importlib.import_module(name).kept
                                       for name in FILE_MODULES])


JOBS: tuple[JobFunc, ...] = (send_verification_email, send_password_reset, send_invitation,
                             prune_expired, remove_unused_files)
PERIODIC: tuple[Periodic, ...] = (Periodic("prune_expired", every_seconds=3600),
                                  Periodic("remove_unused_files", every_seconds=3600))
