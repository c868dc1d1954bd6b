"""Jobs of outcome reports (Grants III): the hourly reminder round, each reminder's mail
(once: the row is marked sent under its lock), and staff's review told to the co-op."""

from __future__ import annotations

from typing import Any

from app import timefmt
from app.db import atomic
from app.mail import send_mail
from app.queue import JobFunc, Periodic
from grants.models import Application
from grants.outcome_models import OutcomeReport, ReportReminder
from grants.outcomes import KIND_LABELS, WAITING_FOR_COOP
from grants.project_models import Project
from grants.service.reports import queue_reminders
from grants.tasks import coop_people


async def _mail_coop(ctx: dict[str, Any], report: OutcomeReport, template: str,
                     **context: object) -> None:
    project = await Project.get(id=report.project_id).select_related(  # unscoped: a job, by id
        "organisation")
    org = project.organisation
    application = await Application.get(id=project.application_id,  # unscoped: its own
                                        organisation_id=org.id)
    for user in await coop_people(org.id, application.cooperative_id):
        await send_mail(ctx, to=user.email, template=template, locale=user.locale,
                        context={"report": report, "project": project, "organisation": org,
                                 "application": application, "user": user,
                                 "report_kinds": KIND_LABELS,
                                 "link": f"/o/{org.slug}/my-projects/{project.id}", **context})


async def queue_report_reminders(ctx: dict[str, Any]) -> None:
    await queue_reminders(timefmt.now().date())


async def send_report_reminder(ctx: dict[str, Any], reminder_id: int) -> None:
    """Mail one reminder, once: a second run finds it sent; a report submitted or moved to
    another date since is not reminded (the row is closed without a mail)."""
    async with atomic():
        reminder = await ReportReminder.filter(  # unscoped: a job, by id
            id=reminder_id, sent_at=None).select_for_update().first()
        if reminder is None:
            return
        report = await OutcomeReport.get(id=reminder.report_id)  # unscoped: its own report
        if report.status in WAITING_FOR_COOP and report.due_on == reminder.due_on:
            await _mail_coop(ctx, report, "report_reminder", step=reminder.step,
                             today=timefmt.now().date())
        reminder.sent_at = timefmt.now()
        await reminder.save(update_fields=["sent_at"])


async def send_report_reviewed(ctx: dict[str, Any], report_id: int) -> None:
    report = await OutcomeReport.get_or_none(id=report_id)  # unscoped: a job, by id
    if report is not None:
        await _mail_coop(ctx, report, "report_reviewed")


JOBS: tuple[JobFunc, ...] = (queue_report_reminders, send_report_reminder, send_report_reviewed)
PERIODIC: tuple[Periodic, ...] = (Periodic("queue_report_reminders", every_seconds=3600),)
