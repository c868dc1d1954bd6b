"""Projects and their money: an awarded application becomes a project with its
agreement (milestones, the indicators the co-op commits to), which the co-op accepts online
(who and when kept); staff schedule its tranches within the award, one approves a tranche
and another marks it paid once the agreement is accepted (grants/disbursement.py has the
rules), and the payment takes the amount out of the fund by a ledger row of its own (kind
"tranche", the reference `tranche:<id>`).

Every move on a project's money happens under the project's row lock, so two staff members
scheduling or paying at once cannot take it past the award. The fund's balance is the sum
of its ledger, so it always equals credits minus reversals minus paid tranches; what the
fund still owes its projects (`committed_minor`) is their awards less what they have paid.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tortoise.expressions import Subquery
from tortoise.functions import Sum

from app import audit, moves, timefmt
from app.accounts.models import User
from app.db import atomic
from app.errors import Conflict, Invalid, NotFound
from app.i18n import Msg, lazy_ngettext
from app.i18n import lazy_gettext as _l
from app.money import format_money
from app.orgs.models import Membership, Organisation
from app.tenancy import get_locked, get_scoped, scoped
from grants import funds
from grants.applications.models import Application
from grants.applications.statuses import ApplicationStatus
from grants.calls.models import Call
from grants.funds.models import Fund, LedgerEntry
from grants.funds.statuses import LedgerKind
from grants.projects import disbursement
from grants.projects.disbursement import TRANCHES, Actor, Effect
from grants.projects.models import Project, Tranche
from grants.projects.service import reports
from grants.projects.service.access import OPEN, check_coop, open_project
from grants.projects.service.indicators import catalogue
from grants.projects.statuses import ProjectStatus, TrancheStatus
from grants.review.models import Decision
from grants.review.statuses import DecisionKind
from grants.shared import vocab
from grants.shared.common import paragraphs, require_staff

NOT_AWARDED = _l("Only an awarded application becomes a project.")
ACCEPTED = _l("The co-op has accepted this agreement: it cannot change now.")
NOT_ACCEPTED = _l("The co-op has not accepted the agreement yet: nothing is paid before.")
MAX_SUMMARY = 2000
MAX_MILESTONES = 40


async def start_project(membership: Membership, application_id: int, *, starts_on: date,
                        ends_on: date) -> Project:
    """The awarded application's project, its agreement waiting for the co-op (once)."""
    require_staff(membership)
    org = membership.organisation
    if ends_on <= starts_on:
        raise Invalid(fields={"ends_on": _l("The end comes after the start.")})
    async with atomic():
        application = await get_locked(Application, org, id=application_id)
        decision = await scoped(Decision, org).get_or_none(application_id=application.id)
        if (application.status is not ApplicationStatus.AWARDED or decision is None
                or decision.kind is not DecisionKind.AWARD or not decision.amount_minor):
            raise Conflict(NOT_AWARDED, code="not_awarded")
        existing = await scoped(Project, org).get_or_none(application_id=application.id)
        if existing is not None:
            return existing
        call = await get_scoped(Call, org, id=application.call_id)
        project = await Project.create(
            organisation=org, application=application, call_id=call.id, fund_id=call.fund_id,
            amount_minor=decision.amount_minor, currency=decision.currency,
            starts_on=starts_on, ends_on=ends_on, created_by_id=membership.user_id,
            indicators=list(call.indicators or []))
        await reports.schedule_reports(org, project)
        await audit.record(verb="project.started", obj=project, actor_id=membership.user_id,
                           organisation_id=org.id)
    return project


async def set_agreement(membership: Membership, project_id: int, *,
                        milestones: list[dict[str, str]], indicators: list[str],
                        kind: str | None = None) -> Project:
    """The agreement's milestones (a title and a date each), the indicators the co-op
    commits to and the project's type; only before the co-op accepts it (after, it is what
    they agreed)."""
    require_staff(membership)
    org = membership.organisation
    if any(not str(m.get("title", "")).strip() or not m.get("due_on") for m in milestones):
        raise Invalid(fields={"milestones": _l("Give each milestone a title and a date.")})
    if len(milestones) > MAX_MILESTONES or any(len(str(m["title"])) > 200 for m in milestones):
        raise Invalid(fields={"milestones": lazy_ngettext(
            "At most %(n)s milestone of at most 200 characters.",
            "At most %(n)s milestones of at most 200 characters each.", MAX_MILESTONES,
            n=MAX_MILESTONES)})
    known = {row.key for row in await catalogue(org)}
    if set(indicators) - known:
        raise Invalid(fields={"indicators": _l("Choose indicators from the catalogue.")})
    async with atomic():
        project = await get_locked(Project, org, id=project_id)
        if project.status is not ProjectStatus.AGREEMENT:
            raise Conflict(ACCEPTED, code="accepted")
        project.milestones = [{"title": str(m["title"]).strip(), "due_on": str(m["due_on"])}
                              for m in milestones]
        project.indicators = list(dict.fromkeys(indicators))
        if kind is not None:
            project.kind = kind if kind in vocab.PROJECT_TYPES else ""
        await project.save(update_fields=["milestones", "indicators", "kind", "updated_at"])
        await audit.record(verb="project.agreement_set", obj=project,
                           actor_id=membership.user_id, organisation_id=org.id,
                           changed=["milestones", "indicators", "kind"])
    return project


async def accept_agreement(user: User, org: Organisation, project_id: int, *,
                           publish_name: bool = False, publish_outcomes: bool = False,
                           public_summary: dict[str, str] | None = None,
                           version: str | None = None) -> Project:
    """The co-op accepts its agreement online: who and when are kept; the project starts.
    It says, at the same time, what the public directory may show: its name, its outcome
    highlights and a summary written for the public. Only someone who acts for the co-op
    may (NotFound for anyone else), only once staff have written it, and only the version
    they read (`version`, from `agreement_version`)."""
    async with atomic():
        project = await get_locked(Project, org, id=project_id)
        await check_coop(user, org, project)
        if project.status is not ProjectStatus.AGREEMENT:
            raise Conflict(ACCEPTED, code="accepted")
        if not project.indicators:
            raise Conflict(_l("The foundation is still writing this agreement: you can accept "
                              "it once it names what you will measure."), code="unwritten")
        if version is not None and version != agreement_version(project):
            raise Conflict(_l("The foundation changed the agreement while you were reading "
                              "it: read it again, then accept it."), code="changed")
        project.status = ProjectStatus.ACTIVE
        project.accepted_by_id, project.accepted_at = user.id, timefmt.now()
        project.publish_name, project.publish_outcomes = publish_name, publish_outcomes
        project.public_summary = _public_summary({}, public_summary or {})
        await project.save(update_fields=["status", "accepted_by_id", "accepted_at",
                                          "publish_name", "publish_outcomes",
                                          "public_summary", "updated_at"])
        await audit.record(verb="project.accepted", obj=project, actor_id=user.id,
                           organisation_id=org.id, changed=["status"])
    return project


def _public_summary(kept: dict[str, str], typed: dict[str, str]) -> dict[str, str]:
    """The summary for the public by language: what was typed replaces what was kept, and
    a language typed empty is taken down."""
    merged = {**kept, **{code: paragraphs(text, "public_summary", MAX_SUMMARY)
                         for code, text in typed.items()}}
    return {code: text for code, text in merged.items() if text}


def agreement_version(project: Project) -> str:
    """What the co-op read: the agreement as of its last change."""
    return project.updated_at.isoformat()


async def add_tranche(membership: Membership, project_id: int, *, amount_minor: int,
                      due_on: date, condition: str | None = None) -> Tranche:
    """A tranche in the project's schedule, the schedule kept within the award."""
    require_staff(membership)
    org = membership.organisation
    if condition is not None and condition not in disbursement.WAITING:
        raise Invalid(fields={"condition": _l("Choose one of the options.")})
    async with atomic():
        project = await open_project(org, project_id)
        live = await scoped(Tranche, org).filter(project_id=project.id).exclude(
            status="cancelled").values_list("amount_minor", flat=True)
        refusal = disbursement.refuse_schedule(project.amount_minor, project.currency,
                                               [*live, amount_minor])  # type: ignore[list-item]
        if refusal is not None:
            raise Invalid(fields={"amount_minor": refusal})
        tranche = await Tranche.create(organisation=org, project=project,
                                       amount_minor=amount_minor, due_on=due_on,
                                       condition=condition)
        await audit.record(verb="tranche.scheduled", obj=tranche, actor_id=membership.user_id,
                           organisation_id=org.id)
    return tranche


async def move_tranche(membership: Membership, tranche_id: int, action: str, *,
                       reference: str = "", paid_on: date | None = None,
                       project_id: int | None = None) -> Tranche:
    """Approve (its condition met: the report accepted), pay or cancel a tranche by the
    table, under its project's lock; paying debits the fund. With `project_id` (the page it
    was asked from), a tranche of another project is NotFound."""
    require_staff(membership)
    org, actor = membership.organisation, membership.user_id
    async with atomic():
        tranche = await get_scoped(Tranche, org, id=tranche_id)
        if project_id is not None and tranche.project_id != project_id:
            raise NotFound()
        project = await open_project(org, tranche.project_id)
        tranche = await get_locked(Tranche, org, id=tranche_id)
        answer = moves.decide(TRANCHES, tranche, action, Actor.STAFF)
        rule = disbursement.Tranche(tranche.amount_minor, tranche.status, tranche.condition,
                                    tranche.approved_by_id)
        refusal = (disbursement.refuse_approve(rule, await reports.accepted_kinds(org, project.id))
                   if action == "approve"
                   else disbursement.refuse_pay(rule, actor) if action == "pay" else None)
        if refusal is not None:
            raise Conflict(refusal, code=f"{action}_refused")
        changes: dict[str, object] = {}
        if action == "approve":
            changes = {"approved_by_id": actor, "approved_at": timefmt.now()}
        if Effect.DEBIT_FUND in answer.effects:
            if project.status is not ProjectStatus.ACTIVE:
                raise Conflict(NOT_ACCEPTED, code="not_accepted")
            if not reference.strip():
                raise Invalid(fields={"reference": _l("Give the payment's reference.")})
            await _refuse_overdraw(org, project, tranche.amount_minor)
            changes = {"paid_by_id": actor, "paid_at": timefmt.now(),
                       "paid_on": paid_on or timefmt.now().date(),
                       "payment_reference": reference.strip()}
            await LedgerEntry.create(
                organisation=org, fund_id=project.fund_id, kind=LedgerKind.TRANCHE,
                amount_minor=-tranche.amount_minor, currency=project.currency,
                source="tranche", reference=f"tranche:{tranche.id}", created_by_id=actor)
        await moves.apply(TRANCHES, tranche, answer, actor, changes=changes)
    return tranche


async def _refuse_overdraw(org: Organisation, project: Project, amount_minor: int) -> None:
    """A payment never takes the fund below zero: the fund's row is locked, so two payments
    at once cannot both spend the same money."""
    await get_locked(Fund, org, id=project.fund_id)
    balance = (await funds.fund_summary(org, project.fund_id)).balance_minor
    if balance < amount_minor:
        raise Conflict(Msg(_l("The fund holds %(balance)s, less than this tranche: record "
                              "the money received first."),
                           balance=format_money(balance, project.currency)), code="overdraw")


async def paid_minor(org: Organisation, fund_id: int) -> int:
    """What the fund's projects have been paid."""
    rows = await scoped(LedgerEntry, org).filter(fund_id=fund_id, kind=LedgerKind.TRANCHE
                                                 ).annotate(total=Sum("amount_minor")
                                                            ).values("total")
    return -_total(rows)


async def committed_minor(org: Organisation, fund_id: int) -> int:
    """What the fund still owes its open projects: their awards less what they were paid
    (two sums, whatever the number of projects)."""
    open_projects = scoped(Project, org).filter(fund_id=fund_id, status__in=list(OPEN))
    awarded = await open_projects.annotate(total=Sum("amount_minor")).values("total")
    paid = await scoped(Tranche, org).filter(
        project_id__in=Subquery(open_projects.values("id")),
        status=TrancheStatus.PAID).annotate(total=Sum("amount_minor")).values("total")
    return _total(awarded) - _total(paid)


def _total(rows: list[dict[str, Any]]) -> int:
    """A Sum's answer: no row, or one whose total is None, when nothing was summed."""
    return int(rows[0]["total"] or 0) if rows else 0


async def cancel_project(membership: Membership, project_id: int, reason: str) -> Project:
    """Staff stop a project: its tranches not yet paid are cancelled (what was paid stays
    paid), and the fund no longer owes it anything; the reason is kept."""
    require_staff(membership)
    org = membership.organisation
    reason = paragraphs(reason, "reason", MAX_SUMMARY)
    if not reason:
        raise Invalid(fields={"reason": _l("Say why.")})
    async with atomic():
        project = await open_project(org, project_id)
        await scoped(Tranche, org).filter(project_id=project.id, status__in=[
            TrancheStatus.SCHEDULED, TrancheStatus.APPROVED]).update(
            status=TrancheStatus.CANCELLED)
        project.status = ProjectStatus.CANCELLED
        await project.save(update_fields=["status", "updated_at"])
        await audit.record(verb="project.cancelled", obj=project, actor_id=membership.user_id,
                           organisation_id=org.id, changed=["status"],
                           details={"reason": reason})
    return project


async def set_publication(user: User, org: Organisation, project_id: int, *,
                          publish_name: bool, publish_outcomes: bool,
                          public_summary: dict[str, str]) -> Project:
    """The co-op changes, at any time after accepting, what the public directory shows."""
    async with atomic():
        project = await get_locked(Project, org, id=project_id)
        await check_coop(user, org, project)
        if project.status is ProjectStatus.AGREEMENT:
            raise Conflict(NOT_ACCEPTED, code="not_accepted")
        project.publish_name, project.publish_outcomes = publish_name, publish_outcomes
        project.public_summary = _public_summary(project.public_summary or {}, public_summary)
        await project.save(update_fields=["publish_name", "publish_outcomes",
                                          "public_summary", "updated_at"])
        await audit.record(verb="project.publication_set", obj=project, actor_id=user.id,
                           organisation_id=org.id,
                           changed=["publish_name", "publish_outcomes", "public_summary"])
    return project


async def complete_project(membership: Membership, project_id: int) -> Project:
    """Staff close a project once its final report is accepted and no tranche is open."""
    require_staff(membership)
    org = membership.organisation
    async with atomic():
        project = await open_project(org, project_id)
        statuses = await scoped(Tranche, org).filter(project_id=project.id).values_list(
            "status", flat=True)
        refusal = disbursement.refuse_complete(
            project.status is ProjectStatus.ACTIVE, await reports.accepted_kinds(org, project.id),
            [TrancheStatus(s) for s in statuses])  # type: ignore[arg-type]
        if refusal is not None:
            raise Conflict(refusal, code="cannot_complete")
        project.status = ProjectStatus.COMPLETED
        await project.save(update_fields=["status", "updated_at"])
        await audit.record(verb="project.completed", obj=project, actor_id=membership.user_id,
                           organisation_id=org.id, changed=["status"])
    return project
