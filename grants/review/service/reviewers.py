"""The reviewer pool and conflicts of interest: reviewers keep their own profile and declare
conflicts; staff see the pool, record conflicts and lift them, always with a reason."""

from __future__ import annotations

from dataclasses import dataclass

from app import audit, timefmt
from app.accounts.models import User
from app.db import atomic
from app.errors import Conflict as Refused
from app.errors import NotFound
from app.i18n import lazy_gettext as _l
from app.orgs.models import Membership, Organisation, Role
from app.tenancy import get_locked, get_scoped, scoped
from grants.applications.models import Application
from grants.coops.models import CoopContact, Cooperative
from grants.review import conflicts
from grants.review.models import Conflict, Review, ReviewerProfile
from grants.review.schemas import ConflictIn, LiftIn, ReviewerProfileIn, WaiveIn
from grants.review.statuses import ConflictKind, ReviewStatus
from grants.shared.common import require_staff

REVIEWER_ROLES = (Role.REVIEWER,)


@dataclass(frozen=True)
class PoolMember:
    user: User
    profile: ReviewerProfile


async def profile_of(org: Organisation, user: User) -> ReviewerProfile:
    """The reviewer's profile; an unsaved one reading the user's language until they save."""
    found = await scoped(ReviewerProfile, org).get_or_none(user_id=user.id)
    return found or _default_profile(org, user)


def _default_profile(org: Organisation, user: User) -> ReviewerProfile:
    return ReviewerProfile(organisation_id=org.id, user_id=user.id, languages=[user.locale],
                           max_load=10)


async def pool(org: Organisation) -> list[PoolMember]:
    """Every member with the reviewer role, with their profile, by name."""
    members = await scoped(Membership, org).filter(role__in=REVIEWER_ROLES).select_related(
        "user")
    profiles = {p.user_id: p for p in await scoped(ReviewerProfile, org).filter(
        user_id__in=[m.user_id for m in members])}
    found = [PoolMember(m.user, profiles.get(m.user_id) or _default_profile(org, m.user))
             for m in members]
    return sorted(found, key=lambda p: (p.user.display_name.casefold(), p.user.id))


async def save_profile(membership: Membership, data: ReviewerProfileIn,
                       user_id: int | None = None) -> ReviewerProfile:
    """A reviewer saves their own profile; staff may save any reviewer's (user_id)."""
    org = membership.organisation
    if user_id is not None and user_id != membership.user_id:
        require_staff(membership)
        await _reviewer(org, user_id)
    owner = user_id or membership.user_id
    values = {"languages": data.languages, "countries": data.countries,
              "regions": data.region_list(), "commodities": data.commodities,
              "categories": data.categories, "max_load": data.max_load}
    async with atomic():
        profile, _created = await ReviewerProfile.get_or_create(
            organisation_id=org.id, user_id=owner, defaults=values)
        profile.update_from_dict(values)
        await profile.save()
        await audit.record(verb="reviewer.profile", obj=profile, actor_id=membership.user_id,
                           organisation_id=org.id, changed=list(values))
    return profile


async def _reviewer(org: Organisation, user_id: int) -> Membership:
    found = await scoped(Membership, org).get_or_none(user_id=user_id, role__in=REVIEWER_ROLES)
    if found is None:
        raise NotFound()
    return found


async def ties(org: Organisation, reviewer_ids: list[int]) -> dict[int, conflicts.Ties]:
    """The co-ops each reviewer acts for, and those co-ops' networks."""
    contacts = await scoped(CoopContact, org).filter(user_id__in=reviewer_ids).select_related(
        "cooperative")
    coops: dict[int, set[int]] = {}
    networks: dict[int, set[int]] = {}
    for contact in contacts:
        coops.setdefault(contact.user_id, set()).add(contact.cooperative_id)
        if contact.cooperative.network_id is not None:
            networks.setdefault(contact.user_id, set()).add(contact.cooperative.network_id)
    return {user_id: conflicts.Ties(frozenset(coops.get(user_id, ())),
                                    frozenset(networks.get(user_id, ())))
            for user_id in reviewer_ids if user_id in coops}


KIND_REASON = {ConflictKind.DECLARED: conflicts.Reason.DECLARED,
               ConflictKind.TIE: conflicts.Reason.TIE,
               ConflictKind.STAFF: conflicts.Reason.STAFF,
               ConflictKind.WAIVED: None}


async def recorded(org: Organisation, reviewer_ids: list[int]) -> list[conflicts.Recorded]:
    rows = await scoped(Conflict, org).filter(reviewer_id__in=reviewer_ids, lifted_at=None)
    return [conflicts.Recorded(row.reviewer_id, KIND_REASON[row.kind], row.application_id,
                               row.cooperative_id) for row in rows]


async def applicants(org: Organisation, applications: list[Application]
                     ) -> list[conflicts.Applicant]:
    coop_ids = {a.cooperative_id for a in applications}
    networks = dict(await scoped(Cooperative, org).filter(id__in=list(coop_ids)).values_list(
        "id", "network_id"))
    return [conflicts.Applicant(a.id, a.cooperative_id, networks.get(a.cooperative_id))
            for a in applications]


async def conflicted(org: Organisation, applications: list[Application],
                     reviewer_ids: list[int]) -> dict[tuple[int, int], conflicts.Reason]:
    """(application id, reviewer id) -> reason, for these applications and reviewers."""
    return conflicts.find(await applicants(org, applications), await ties(org, reviewer_ids),
                          await recorded(org, reviewer_ids))


async def is_conflicted(org: Organisation, application: Application, reviewer_id: int) -> bool:
    return bool(await conflicted(org, [application], [reviewer_id]))


async def declare(membership: Membership, data: ConflictIn) -> Conflict:
    """A reviewer declares a conflict with an application (its draft review, if any, is
    withdrawn from them) or a tie to a co-op; staff record one for a reviewer."""
    org = membership.organisation
    reviewer_id = membership.user_id
    kind = ConflictKind.TIE if data.cooperative_id else ConflictKind.DECLARED
    if data.reviewer_id is not None and data.reviewer_id != membership.user_id:
        require_staff(membership)
        await _reviewer(org, data.reviewer_id)
        reviewer_id, kind = data.reviewer_id, ConflictKind.STAFF
    if data.cooperative_id is not None:
        await get_scoped(Cooperative, org, id=data.cooperative_id)
    if data.application_id is not None:
        await _visible_to(membership, data.application_id, reviewer_id)
    async with atomic():
        row = await Conflict.create(
            organisation_id=org.id, reviewer_id=reviewer_id, kind=kind,
            application_id=data.application_id, cooperative_id=data.cooperative_id,
            reason=data.reason, created_by_id=membership.user_id)
        await audit.record(verb="conflict.declare", obj=row, actor_id=membership.user_id,
                           organisation_id=org.id, changed=["kind", "reason"])
        await _drop_unsubmitted(org, row)
    return row


async def _visible_to(membership: Membership, application_id: int, reviewer_id: int) -> None:
    """A reviewer may only name an application they were assigned; staff any of theirs."""
    application = await get_scoped(Application, membership.organisation, id=application_id)
    if reviewer_id == membership.user_id and not await scoped(
            Review, membership.organisation).filter(application_id=application.id,
                                                    reviewer_id=reviewer_id).exists():
        raise NotFound()


async def _drop_unsubmitted(org: Organisation, row: Conflict) -> None:
    """The conflicted reviewer's drafts on the applications concerned go: they will never
    see them again. Submitted reviews stay for staff, who decide what to do."""
    reviews = scoped(Review, org).filter(reviewer_id=row.reviewer_id,
                                         status=ReviewStatus.DRAFT)
    if row.application_id is not None:
        reviews = reviews.filter(application_id=row.application_id)
    else:
        reviews = reviews.filter(application__cooperative_id=row.cooperative_id)
    await reviews.delete()


async def waive(membership: Membership, call_id: int, data: WaiveIn) -> Conflict:
    """Staff lift a computed conflict (same network) for one application of the call."""
    require_staff(membership)
    org = membership.organisation
    application_id, reviewer_id = data.application_id, data.reviewer_id
    application = await get_scoped(Application, org, id=application_id, call_id=call_id)
    reason = (await conflicted(org, [application], [reviewer_id])).get(
        (application_id, reviewer_id))
    if reason is not conflicts.Reason.NETWORK:
        raise Refused(_l("Only a conflict through the same union or network can be lifted "
                         "this way; lift a recorded conflict from its own line."),
                      code="not_waivable")
    async with atomic():
        row = await Conflict.create(
            organisation_id=org.id, reviewer_id=reviewer_id, kind=ConflictKind.WAIVED,
            application_id=application_id, reason=data.reason,
            created_by_id=membership.user_id)
        await audit.record(verb="conflict.waive", obj=row, actor_id=membership.user_id,
                           organisation_id=org.id, changed=["reason"])
    return row


async def lift(membership: Membership, conflict_id: int, data: LiftIn) -> Conflict:
    """Staff lift a recorded conflict: kept, with who lifted it, when and why."""
    require_staff(membership)
    org = membership.organisation
    async with atomic():
        row = await get_locked(Conflict, org, id=conflict_id)
        if row.lifted_at is not None:
            raise Refused(_l("This conflict was already lifted."), code="already_lifted")
        row.lifted_at, row.lifted_by_id, row.lifted_reason = (
            timefmt.now(), membership.user_id, data.reason)
        await row.save(update_fields=["lifted_at", "lifted_by_id", "lifted_reason"])
        await audit.record(verb="conflict.lift", obj=row, actor_id=membership.user_id,
                           organisation_id=org.id, changed=["lifted_at", "lifted_reason"])
    return row


async def recorded_rows(membership: Membership, reviewer_id: int | None = None
                        ) -> list[Conflict]:
    """Conflicts on record, newest first: staff see everyone's; a reviewer sees those they
    declared themselves (what staff recorded about them, and why, is staff's)."""
    rows = scoped(Conflict, membership.organisation)
    if reviewer_id is None or reviewer_id != membership.user_id:
        require_staff(membership)
    else:
        rows = rows.filter(created_by_id=membership.user_id)
    if reviewer_id is not None:
        rows = rows.filter(reviewer_id=reviewer_id)
    return await rows.order_by("-created_at", "-id")


async def coop_names(org: Organisation) -> dict[int, str]:
    return dict(await scoped(Cooperative, org).values_list("id", "legal_name"))


@dataclass(frozen=True)
class PoolPage:
    """What staff's pool page shows: the reviewers, the conflicts on record, the co-ops."""

    pool: list[PoolMember]
    conflicts: list[Conflict]
    coops: dict[int, str]


async def pool_page(membership: Membership) -> PoolPage:
    org = membership.organisation
    return PoolPage(await pool(org), await recorded_rows(membership), await coop_names(org))


@dataclass(frozen=True)
class ProfilePage:
    """A reviewer's profile page: whose, their profile, the co-ops to declare a tie with (by
    name) and the conflicts on record that the viewer may see."""

    person: User
    profile: ReviewerProfile
    coops: list[tuple[int, str]]
    conflicts: list[Conflict]


async def profile_page(membership: Membership, user_id: int, viewer: User) -> ProfilePage:
    """The viewer's own page, or (staff) a pool member's; NotFound for anyone else, never
    someone else's page under their id."""
    org = membership.organisation
    member = next((m for m in await pool(org) if m.user.id == user_id), None)
    if member is None and user_id != membership.user_id:
        raise NotFound()
    person = member.user if member else viewer
    profile = member.profile if member else await profile_of(org, person)
    coops = sorted((await coop_names(org)).items(), key=lambda pair: pair[1])
    return ProfilePage(person, profile, coops, await recorded_rows(membership, user_id))
