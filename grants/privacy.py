"""What the grants hold about a user and their co-ops (app/privacy.py): each co-op they act
for with its applications (answers, revisions, messages, files, published decisions), its
projects (agreement, payments, outcome reports); what they did as a reviewer (profile,
reviews, conflicts declared); invitations they sent.

Deleting the account takes the person out of their co-ops and the reviewer pool (reviews
they had not submitted go back to staff to give to someone else); the co-op,
its applications, projects, payments and reports stay (they are the foundation's records of
money given), pointing to the anonymised user, and reviews keep their scores.
"""

from __future__ import annotations

from typing import Any

from app.accounts.models import User
from app.privacy import Section, StoredFile
from grants.applications.models import Application, ApplicationMessage, Attachment, Revision
from grants.coops.models import CoopContact, Cooperative, CoopInvitation
from grants.projects.models import OutcomeReport, Project, Tranche
from grants.review.models import Conflict as ConflictRecord
from grants.review.models import Decision, Review, ReviewerProfile
from grants.review.statuses import ReviewStatus

COOP_FIELDS = ("legal_name", "country", "region", "legal_form", "commodities", "members_total",
               "members_women", "members_youth", "certifications", "year_founded",
               "created_at")
APPLICATION_FIELDS = ("id", "call_id", "status", "title", "category", "language", "currency",
                      "requested_minor", "answers", "submitted_at", "created_at")


def _pick(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


async def _applications(coop: Cooperative) -> tuple[list[dict[str, Any]], list[StoredFile]]:
    found, files = [], []
    applications = await Application.filter(  # unscoped: the co-op's own
        cooperative_id=coop.id).order_by("id")
    ids = [a.id for a in applications]
    revisions = await Revision.filter(application_id__in=ids).order_by("id")  # unscoped: theirs
    messages = await ApplicationMessage.filter(  # unscoped: sent to them
        application_id__in=ids).order_by("id")
    attachments = await Attachment.filter(application_id__in=ids).order_by(  # unscoped: theirs
        "id")
    decisions = {d.application_id: d for d in await Decision.filter(  # unscoped: theirs
        application_id__in=ids, published_at__isnull=False)}
    for application in applications:
        mine = [a for a in attachments if a.application_id == application.id]
        for attachment in mine:
            files.append(StoredFile(f"applications/{application.id}/{attachment.id}-"
                                    f"{attachment.filename}", attachment.storage_key))
        decision = decisions.get(application.id)
        found.append({
            **_pick(application, APPLICATION_FIELDS),
            "revisions": [{"number": r.number, "snapshot": r.snapshot,
                           "created_at": r.created_at}
                          for r in revisions if r.application_id == application.id],
            "messages": [{"kind": m.kind, "body": m.body, "comments": m.comments,
                          "created_at": m.created_at}
                         for m in messages if m.application_id == application.id],
            "files": [{"filename": a.filename, "content_type": a.content_type, "size": a.size,
                       "sha256": a.sha256} for a in mine],
            "decision": {"kind": decision.kind, "amount_minor": decision.amount_minor,
                         "currency": decision.currency, "message": decision.message,
                         "published_at": decision.published_at} if decision else None,
        })
    return found, files


async def _projects(coop: Cooperative) -> list[dict[str, Any]]:
    projects = await Project.filter(  # unscoped: the co-op's own
        application__cooperative_id=coop.id).order_by("id")
    ids = [p.id for p in projects]
    tranches = await Tranche.filter(project_id__in=ids).order_by("id")  # unscoped: theirs
    reports = await OutcomeReport.filter(project_id__in=ids).order_by("id")  # unscoped: theirs
    return [{
        "application_id": p.application_id, "status": p.status, "amount_minor": p.amount_minor,
        "currency": p.currency, "starts_on": p.starts_on, "ends_on": p.ends_on,
        "milestones": p.milestones, "indicators": p.indicators, "accepted_at": p.accepted_at,
        "publish_name": p.publish_name, "publish_outcomes": p.publish_outcomes,
        "public_summary": p.public_summary,
        "payments": [{"amount_minor": t.amount_minor, "due_on": t.due_on, "status": t.status,
                      "paid_on": t.paid_on} for t in tranches if t.project_id == p.id],
        "reports": [{"kind": r.kind, "number": r.number, "due_on": r.due_on,
                     "status": r.status, "narrative": r.narrative, "values": r.values,
                     "comments_from_staff": r.review_comment if r.status == "returned"
                     else "", "submitted_at": r.submitted_at}
                    for r in reports if r.project_id == p.id],
    } for p in projects]


async def export(user: User) -> Section:
    contacts = await CoopContact.filter(user_id=user.id).select_related(  # unscoped: theirs
        "cooperative").order_by("id")
    coops, files = [], []
    for contact in contacts:
        applications, attached = await _applications(contact.cooperative)
        files += attached
        coops.append({"organisation_id": contact.organisation_id, "owner": contact.is_owner,
                      **_pick(contact.cooperative, COOP_FIELDS),
                      "applications": applications,
                      "projects": await _projects(contact.cooperative)})
    reviews = await Review.filter(reviewer_id=user.id).order_by("id")  # unscoped: theirs
    return Section(data={
        "cooperatives": coops,
        "invitations_sent": await CoopInvitation.filter(  # unscoped: sent by them
            invited_by_id=user.id).values("email", "created_at", "accepted_at"),
        "reviewer_profiles": await ReviewerProfile.filter(  # unscoped: their own
            user_id=user.id).values("organisation_id", "languages", "countries", "regions",
                                    "commodities", "categories", "max_load"),
        "reviews": [{"application_id": r.application_id, "status": r.status,
                     "scores": r.scores, "comment_applicant": r.comment_applicant,
                     "comment_staff": r.comment_staff, "recommendation": r.recommendation,
                     "submitted_at": r.submitted_at} for r in reviews],
        "conflicts_declared": await ConflictRecord.filter(  # unscoped: their own
            reviewer_id=user.id).values("kind", "application_id", "cooperative_id", "reason",
                                        "created_at"),
    }, files=files)


async def blocker(user: User) -> str | None:
    return None


async def erase(user: User, replacement: str) -> None:
    await CoopContact.filter(user_id=user.id).delete()  # unscoped: theirs, every organisation
    if user.email_verified_at:        # an address someone proved is theirs
        await CoopInvitation.filter(email=user.email).delete()  # unscoped: addressed to them
    await ReviewerProfile.filter(user_id=user.id).delete()  # unscoped: their own
    # Reviews they had not submitted go back to staff to give to someone else.
    await Review.filter(reviewer_id=user.id,  # unscoped: theirs, every organisation
                        status=ReviewStatus.DRAFT).delete()
