"""Screening, from the staff's side: the queue with filters, the automatic eligibility
findings, and the three decisions (eligible, ineligible with a reason, changes requested
with comments and a deadline of the application's own)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from tortoise.queryset import QuerySet

from app import timefmt
from app.db import atomic
from app.errors import Invalid
from app.i18n import gettext
from app.i18n import lazy_gettext as _l
from app.money import to_major_text
from app.moves import move
from app.orgs.models import Membership
from app.pagination import Page, paginate
from app.tenancy import get_locked, get_scoped, scoped
from grants.applications.models import Application, ApplicationMessage, Attachment
from grants.applications.schemas import ChangesIn, ReasonIn
from grants.applications.service.applicant import carry_out, messages
from grants.applications.statuses import ApplicationStatus
from grants.calls.eligibility import Finding
from grants.calls.models import Call
from grants.coops.models import Cooperative
from grants.review.models import Decision
from grants.review.service import decisions
from grants.review.service.reviewing import user_names
from grants.shared import vocab
from grants.shared.common import require_staff, spreadsheet_cell
from grants.shared.workflow import APPLICATIONS, Actor

SCREENABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.CHANGES_REQUESTED,
              ApplicationStatus.ELIGIBLE, ApplicationStatus.INELIGIBLE,
              ApplicationStatus.AWARDED, ApplicationStatus.DECLINED,
              ApplicationStatus.WAITLISTED)


@dataclass(frozen=True)
class Filters:
    status: str = ""
    country: str = ""
    commodity: str = ""
    category: str = ""

    @classmethod
    def from_query(cls, query: dict[str, str]) -> Filters:
        """Only known values filter; anything else is ignored (a shared link stays useful)."""
        status, commodity = query.get("status", ""), query.get("commodity", "")
        country = query.get("country", "").upper()
        return cls(status=status if status in {s.value for s in SCREENABLE} else "",
                   country=country if vocab.is_country(country) else "",
                   commodity=commodity if commodity in vocab.COMMODITIES else "",
                   category=_printable(query.get("category", ""))[:64])


def _queue(membership: Membership, call: Call, filters: Filters) -> QuerySet[Application]:
    rows = scoped(Application, membership.organisation).filter(
        call_id=call.id, status__in=[s.value for s in SCREENABLE])
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.country:
        rows = rows.filter(cooperative__country=filters.country)
    if filters.category:
        rows = rows.filter(category=filters.category)
    return rows.select_related("cooperative").order_by("submitted_at", "id")


def _printable(text: str) -> str:
    return text if text.isprintable() else ""


async def screening_queue(membership: Membership, call_id: int, filters: Filters, page: int
                          ) -> tuple[Call, Page[Application]]:
    require_staff(membership)
    call = await get_scoped(Call, membership.organisation, id=call_id)
    rows = _queue(membership, call, filters)
    if filters.commodity:  # a JSON list: filtered here, the same on SQLite and PostgreSQL
        matching = [a.id for a in await rows if filters.commodity in a.cooperative.commodities]
        rows = rows.filter(id__in=matching)
    return call, await paginate(rows, page)


async def export_csv(membership: Membership, call_id: int, filters: Filters) -> str:
    require_staff(membership)
    call = await get_scoped(Call, membership.organisation, id=call_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([gettext(_l("Application")), gettext(_l("Co-op")), gettext(_l("Country")),
                     gettext(_l("Commodities")), gettext(_l("Challenge")),
                     gettext(_l("Title")), gettext(_l("Amount requested")),
                     gettext(_l("Currency")), gettext(_l("Status")),
                     gettext(_l("Automatic checks")), gettext(_l("Submitted"))])
    for application in await _queue(membership, call, filters):
        coop = application.cooperative
        if filters.commodity and filters.commodity not in coop.commodities:
            continue
        failed = [gettext(Finding.from_json(f).text()) for f in application.screening
                  if not f["passed"]]
        writer.writerow([application.id, spreadsheet_cell(coop.legal_name), coop.country,
                         " ".join(coop.commodities), spreadsheet_cell(application.category),
                         spreadsheet_cell(application.title),
                         to_major_text(application.requested_minor or 0, application.currency),
                         application.currency, application.status.value,
                         spreadsheet_cell(" / ".join(failed)) or "ok",
                         application.submitted_at.isoformat() if application.submitted_at
                         else ""])
    return out.getvalue()


@dataclass(frozen=True)
class Screening:
    """One application as staff see it: with its call, co-op, files and messages."""

    application: Application
    call: Call
    cooperative: Cooperative
    attachments: list[Attachment]
    messages: list[ApplicationMessage]


async def staff_application(membership: Membership, application_id: int) -> Screening:
    require_staff(membership)
    org = membership.organisation
    application = await get_scoped(Application, org, id=application_id)
    files = await scoped(Attachment, org).filter(application_id=application.id).order_by("id")
    return Screening(application, await get_scoped(Call, org, id=application.call_id),
                     await get_scoped(Cooperative, org, id=application.cooperative_id),
                     list(files), await messages(application))


@dataclass(frozen=True)
class ApplicationPage:
    """The staff's page of one application: it, its reviews and decision, who reviewed."""

    found: Screening
    standing: decisions.Standing
    names: dict[int, str]


async def application_page(membership: Membership, application_id: int) -> ApplicationPage:
    found = await staff_application(membership, application_id)
    standing = await decisions.standing(membership, found.application, found.call)
    return ApplicationPage(found, standing,
                           await user_names([r.reviewer_id for r in standing.reviews]))


async def _decide(membership: Membership, application_id: int, action: str, body: str = ""
                  ) -> Application:
    require_staff(membership)
    async with atomic():
        application = await get_locked(Application, membership.organisation, id=application_id)
        transition = await move(APPLICATIONS, application, action, Actor.STAFF,
                                membership.user_id)
        await carry_out(transition, application, actor_id=membership.user_id, body=body)
    return application


async def mark_eligible(membership: Membership, application_id: int) -> Application:
    return await _decide(membership, application_id, "mark_eligible")


async def mark_ineligible(membership: Membership, application_id: int, data: ReasonIn
                          ) -> Application:
    """An unpublished funding decision goes with it: it no longer counts against the budget."""
    async with atomic():
        application = await _decide(membership, application_id, "mark_ineligible",
                                    data.reason)
        await scoped(Decision, membership.organisation).filter(
            application_id=application.id, published_at=None).delete()
    return application


async def request_changes(membership: Membership, application_id: int, data: ChangesIn
                          ) -> Application:
    if data.deadline <= timefmt.now():
        raise Invalid(fields={"deadline": _l("Give a deadline in the future.")})
    require_staff(membership)
    async with atomic():
        application = await get_locked(Application, membership.organisation, id=application_id)
        application.deadline_override = data.deadline
        transition = await move(APPLICATIONS, application, "request_changes", Actor.STAFF,
                                membership.user_id)
        await carry_out(transition, application, actor_id=membership.user_id,
                        body=data.comments)
    return application


async def staff_attachment(membership: Membership, attachment_id: int) -> Attachment:
    require_staff(membership)
    return await get_scoped(Attachment, membership.organisation, id=attachment_id)
