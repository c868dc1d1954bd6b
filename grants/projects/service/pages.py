"""What the project pages show: a project with its application, co-op, tranches,
reports and the indicators it reports — for staff, and for the people who act for the co-op
(who see their agreement, what was paid to them and their reports, never staff's records of
who approved or paid)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tortoise.expressions import Subquery

from app.accounts.models import User
from app.orgs.models import Membership, Organisation
from app.pagination import Page, paginate
from app.tenancy import get_scoped, scoped
from grants.applications.models import Application
from grants.applications.statuses import ApplicationStatus
from grants.coops.models import CoopContact, Cooperative
from grants.projects import disbursement
from grants.projects.models import Indicator, OutcomeReport, Project, Tranche
from grants.projects.service.access import check_coop
from grants.projects.service.indicators import catalogue
from grants.projects.statuses import ProjectStatus
from grants.shared.common import require_staff


@dataclass
class ProjectDetail:
    project: Project
    application: Application
    coop: Cooperative
    tranches: list[Tranche]
    reports: list[OutcomeReport]
    indicators: dict[str, Indicator]           # the catalogue, by key
    scheduled_minor: int = 0                   # tranches not cancelled
    paid_minor: int = 0
    accepted: set[str] = field(default_factory=set)

    @property
    def committed(self) -> list[Indicator]:
        """The indicators of the agreement, in its order (unknown keys left out)."""
        return [self.indicators[key] for key in self.project.indicators
                if key in self.indicators]


async def _detail(org: Organisation, project: Project) -> ProjectDetail:
    application = await get_scoped(Application, org, id=project.application_id)
    tranches = await scoped(Tranche, org).filter(project_id=project.id).order_by("due_on", "id")
    reports = await scoped(OutcomeReport, org).filter(project_id=project.id).order_by(
        "due_on", "id")
    rules = [disbursement.Tranche(t.amount_minor, t.status) for t in tranches]
    return ProjectDetail(
        project=project, application=application,
        coop=await get_scoped(Cooperative, org, id=application.cooperative_id),
        tranches=tranches, reports=reports,
        indicators={row.key: row for row in await catalogue(org)},
        scheduled_minor=sum(t.amount_minor for t in tranches if t.status != "cancelled"),
        paid_minor=disbursement.paid_minor(rules),
        accepted={str(r.kind) for r in reports if r.status == "accepted"})


async def project_of(membership: Membership, application_id: int) -> Project | None:
    """The project an application became, if it did."""
    require_staff(membership)
    return await scoped(Project, membership.organisation).get_or_none(
        application_id=application_id)


async def staff_project(membership: Membership, project_id: int) -> ProjectDetail:
    require_staff(membership)
    org = membership.organisation
    return await _detail(org, await get_scoped(Project, org, id=project_id))


async def coop_project(user: User, org: Organisation, project_id: int) -> ProjectDetail:
    """A project for someone who acts for its co-op (NotFound for anyone else)."""
    project = await get_scoped(Project, org, id=project_id)
    await check_coop(user, org, project)
    return await _detail(org, project)


@dataclass(frozen=True)
class ProjectRow:
    project: Project
    title: str
    coop_name: str
    next_report: OutcomeReport | None
    overdue: int                          # reports past their date, waiting for the co-op


async def staff_projects(membership: Membership, page_number: int, today: date,
                         status: str = "") -> tuple[list[ProjectRow], Page[Project]]:
    """Projects, newest first, with the co-op, the next report due and the overdue ones
    (three queries a page, whatever the number of projects)."""
    require_staff(membership)
    org = membership.organisation
    query = scoped(Project, org).select_related("application", "application__cooperative")
    if status in tuple(ProjectStatus):
        query = query.filter(status=status)
    page = await paginate(query.order_by("-id"), page_number)
    ids = [project.id for project in page.items]
    waiting = await scoped(OutcomeReport, org).filter(
        project_id__in=ids, status__in=["due", "returned"]).order_by("due_on")
    rows = []
    for project in page.items:
        mine = [r for r in waiting if r.project_id == project.id]
        rows.append(ProjectRow(project=project, title=project.application.title,
                               coop_name=project.application.cooperative.legal_name,
                               next_report=mine[0] if mine else None,
                               overdue=sum(1 for r in mine if r.due_on < today)
                               if project.status is ProjectStatus.ACTIVE else 0))
    return rows, page


async def awaiting_projects(membership: Membership) -> list[Application]:
    """Awarded applications (their award published) that are not projects yet."""
    require_staff(membership)
    org = membership.organisation
    made = Subquery(scoped(Project, org).values("application_id"))
    return await scoped(Application, org).filter(
        status=ApplicationStatus.AWARDED, decision__published_at__isnull=False).exclude(
        id__in=made).select_related("cooperative").order_by("id").limit(100)


async def coop_projects(user: User, org: Organisation) -> list[Project]:
    """The projects of every co-op the user acts for, newest first."""
    coop_ids = await scoped(CoopContact, org).filter(user_id=user.id).values_list(
        "cooperative_id", flat=True)
    return await scoped(Project, org).filter(
        application__cooperative_id__in=list(coop_ids)).select_related(
        "application").order_by("-id")
