"""Who may act on a project: staff on one still open (locked for the change), and the
people who act for its co-op."""

from __future__ import annotations

from app.accounts.models import User
from app.errors import Conflict
from app.i18n import lazy_gettext as _l
from app.orgs.models import Organisation
from app.tenancy import get_locked, get_scoped
from grants.applications.models import Application
from grants.coops.service import contact_for
from grants.projects.models import Project
from grants.projects.statuses import ProjectStatus

OPEN = (ProjectStatus.AGREEMENT, ProjectStatus.ACTIVE)


async def open_project(org: Organisation, project_id: int) -> Project:
    """The project, locked until the transaction ends, if it is not closed (Conflict)."""
    project = await get_locked(Project, org, id=project_id)
    if project.status not in OPEN:
        raise Conflict(_l("This project is closed."), code="project_closed")
    return project


async def check_coop(user: User, org: Organisation, project: Project) -> None:
    """NotFound unless the user acts for the project's co-op."""
    application = await get_scoped(Application, org, id=project.application_id)
    await contact_for(user, org, application.cooperative_id)
