"""Jobs of outcome reports: the hourly reminder round, each reminder (once: the
row is marked sent under its lock, in the transaction that queues one mail per person), and
staff's review told to the co-op. Each person's mail is a job of its own, so a mail server
that refuses one address retries that mail alone."""

from __future__ import annotations

from typing import Any

from app import queue, timefmt
from app.accounts.models import User
from app.db import atomic
from app.mail import send_mail
from app.queue import JobFunc, Periodic
from app.urls import url
from grants.applications.models import Application
from grants.coops.tasks import coop_user_ids
from grants.projects.models import OutcomeReport, Project, ReportReminder
from grants.projects.outcomes import KIND_LABELS, WAITING_FOR_COOP
from grants.projects.service.reports import queue_reminders
from grants.projects.statuses import ProjectStatus


async def _rows(report: OutcomeReport) -> tuple[Project, Application]:
    project = await Project.get(id=report.project_id)  # unscoped: a job, by id
    application = await Application.get(id=project.application_id,  # unscoped: its own
                                        organisation_id=project.organisation_id)
    return project, application


async def _people(report: OutcomeReport) -> tuple[Project, list[int]]:
    """The report's project, and who acts for its co-op."""
    project, application = await _rows(report)
    return project, await coop_user_ids(project.organisation_id, application.cooperative_id)


async def queue_report_reminders(ctx: dict[str, Any]) -> None:
    await queue_reminders(timefmt.now())


async def send_report_reminder(ctx: dict[str, Any], reminder_id: int) -> None:
    """Once: a second run finds the row sent. A report submitted, moved to another date or
    whose project stopped since is not reminded (the row is closed without a mail)."""
    async with atomic():
        reminder = await ReportReminder.filter(  # unscoped: a job, by id
            id=reminder_id, sent_at=None).select_for_update().first()
        if reminder is None:
            return
        report = await OutcomeReport.get(id=reminder.report_id)  # unscoped: its own report
        project, user_ids = await _people(report)
        if (report.status in WAITING_FOR_COOP and report.due_on == reminder.due_on
                and project.status is ProjectStatus.ACTIVE):
            for user_id in user_ids:
                await queue.enqueue("mail_report", report.id, user_id, "report_reminder",
                                    reminder.step, job_id=f"report-reminder:{reminder.id}:"
                                                          f"{user_id}")
        reminder.sent_at = timefmt.now()
        await reminder.save(update_fields=["sent_at"])


async def send_report_reviewed(ctx: dict[str, Any], report_id: int, action: str) -> None:
    """Staff accepted the report, or returned it: each person of the co-op is told."""
    report = await OutcomeReport.get_or_none(id=report_id)  # unscoped: a job, by id
    if report is None:
        return
    _project, user_ids = await _people(report)
    for user_id in user_ids:
        await queue.enqueue("mail_report", report.id, user_id, "report_reviewed", action)


async def mail_report(ctx: dict[str, Any], report_id: int, user_id: int, template: str,
                      detail: str) -> None:
    """One person's mail about a report, in their language: `detail` is the reminder's step
    or the review's action."""
    report = await OutcomeReport.get_or_none(id=report_id)  # unscoped: a job, by id
    user = await User.get_or_none(id=user_id)
    if report is None or user is None:
        return
    project, application = await _rows(report)
    await project.fetch_related("organisation")
    org = project.organisation
    context = {
        "report": report, "project": project, "organisation": org, "application": application,
        "user": user, "report_kinds": KIND_LABELS, "step": detail, "action": detail,
        "link": url("grants:my_project", org=org.slug, project_id=project.id)}
    await send_mail(ctx, to=user.email, template=f"grants/projects/mail/{template}",
                    locale=user.locale, context=context)


JOBS: tuple[JobFunc, ...] = (queue_report_reminders, send_report_reminder, send_report_reviewed,
                             mail_report)
PERIODIC: tuple[Periodic, ...] = (Periodic("queue_report_reminders", every_seconds=3600),)
