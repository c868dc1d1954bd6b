"""Spreading what works: staff mark a completed project as a practice worth
spreading, with a title and summary in several languages; co-ops see the practices that fit
their crops and the call's challenges when they start an application; and a new call can
replicate a practice — a draft with the original call's form, the practice's challenges and
the indicators the project reported, for staff to finish and open."""

from __future__ import annotations

from datetime import timedelta

from app import audit, i18n, timefmt
from app.db import atomic
from app.errors import Conflict, Invalid
from app.i18n import lazy_gettext as _l
from app.orgs.models import Membership, Organisation
from app.tenancy import get_locked, get_scoped, scoped
from grants.applications.models import Application
from grants.calls.models import Call
from grants.calls.statuses import CallStatus
from grants.coops.models import Cooperative
from grants.impact.models import Practice
from grants.projects.models import Project
from grants.projects.statuses import ProjectStatus
from grants.shared.common import require_staff

MAX_SUMMARY = 4000


def _per_locale(texts: dict[str, str], limit: int) -> dict[str, str]:
    return {code: text.strip()[:limit] for code, text in texts.items()
            if code in i18n.LOCALES and text.strip()}


async def mark_practice(membership: Membership, project_id: int, *, title: dict[str, str],
                        summary: dict[str, str]) -> Practice:
    """Mark (or edit) a completed project's practice, which is public: only where the co-op
    agreed to publish its results. Its crops and challenges are the project's."""
    require_staff(membership)
    org = membership.organisation
    title, summary = _per_locale(title, 200), _per_locale(summary, MAX_SUMMARY)
    errors = {}
    if not title:
        errors["title"] = _l("Give the practice a title in at least one language.")
    if not summary:
        errors["summary"] = _l("Summarise the practice in at least one language.")
    if errors:
        raise Invalid(fields=errors)
    async with atomic():
        project = await get_locked(Project, org, id=project_id)
        if project.status is not ProjectStatus.COMPLETED:
            raise Conflict(_l("Only a completed project can be a practice to spread."),
                           code="not_completed")
        if not project.publish_outcomes:
            raise Conflict(_l("The co-op did not agree to publish its results, and a "
                              "practice is public."), code="not_published")
        application = await get_scoped(Application, org, id=project.application_id)
        coop = await get_scoped(Cooperative, org, id=application.cooperative_id)
        practice, created = await Practice.get_or_create(
            organisation=org, project=project, defaults={
                "title": title, "summary": summary, "commodities": coop.commodities,
                "categories": [application.category] if application.category else [],
                "created_by_id": membership.user_id})
        if not created:
            practice.title, practice.summary = title, summary
            await practice.save(update_fields=["title", "summary", "updated_at"])
        await audit.record(verb="practice.marked" if created else "practice.edited",
                           obj=practice, actor_id=membership.user_id, organisation_id=org.id)
    return practice


async def practice_of(org: Organisation, project_id: int) -> Practice | None:
    return await scoped(Practice, org).get_or_none(project_id=project_id)


async def library(org: Organisation, *, commodities: list[str] | None = None,
                  categories: list[str] | None = None) -> list[Practice]:
    """The practices, newest first, those that share a crop or a challenge with the filters
    (any when a filter is empty)."""
    found = await scoped(Practice, org).order_by("-id")
    return [p for p in found
            if (not commodities or set(p.commodities) & set(commodities))
            and (not categories or set(p.categories) & set(categories))]


async def replicate(membership: Membership, practice_id: int) -> Call:
    """A draft call that replicates the practice in other co-ops: the original call's form,
    rules, rubric and amounts, the practice's challenges and the project's indicators."""
    require_staff(membership)
    org = membership.organisation
    practice = await get_scoped(Practice, org, id=practice_id)
    project = await get_scoped(Project, org, id=practice.project_id)
    source = await get_scoped(Call, org, id=project.call_id)
    opens = timefmt.now().replace(microsecond=0) + timedelta(days=14)
    async with atomic():
        call = await Call.create(
            organisation=org, fund_id=source.fund_id, status=CallStatus.DRAFT,
            title={code: _replicate_title(code, text) for code, text in practice.title.items()},
            description=practice.summary, opens_at=opens, closes_at=opens + timedelta(days=45),
            currency=source.currency, budget_minor=source.budget_minor,
            min_request_minor=source.min_request_minor,
            max_request_minor=source.max_request_minor,
            categories=practice.categories or source.categories,
            eligibility=source.eligibility, form=source.form, rubric=source.rubric,
            identifying_fields=source.identifying_fields,
            reviews_per_application=source.reviews_per_application, blind=source.blind,
            indicators=list(project.indicators), practice_id=practice.id)
        await audit.record(verb="call.replicated", obj=call, actor_id=membership.user_id,
                           organisation_id=org.id, details={"practice_id": practice.id})
    return call


REPLICATE = _l("Replicate: %(practice)s")


def _replicate_title(code: str, text: str) -> str:
    with i18n.use_locale(code):
        return i18n.gettext(i18n.Msg(REPLICATE, practice=text))
