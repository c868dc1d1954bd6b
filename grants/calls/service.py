"""Calls for proposals: staff create, edit and move them; anyone reads the open ones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.functions import Count
from tortoise.queryset import QuerySet

from app import audit, timefmt
from app.db import atomic
from app.errors import Conflict, Invalid
from app.i18n import Msg
from app.i18n import lazy_gettext as _l
from app.money import format_money
from app.moves import move
from app.orgs.models import Membership, Organisation
from app.pagination import Page, paginate
from app.tenancy import get_locked, get_scoped, scoped
from grants.calls.formdef import FormDef
from grants.calls.models import Call
from grants.calls.schemas import CallIn
from grants.calls.statuses import CallStatus
from grants.funds.models import Fund
from grants.projects.service.indicators import catalogue
from grants.review.models import Review
from grants.review.rubric import DEFAULT_RUBRIC, Rubric
from grants.review.service.commitments import committed
from grants.review.statuses import ReviewStatus
from grants.shared.common import require_staff
from grants.shared.workflow import CALLS, Actor, Effect

EDITABLE = frozenset({CallStatus.DRAFT, CallStatus.OPEN, CallStatus.CLOSED})


def _call_values(data: CallIn, fund: Fund) -> dict[str, Any]:
    values = data.model_dump(exclude={"timezone", "fund_id", "custom_categories"})
    values["form"] = data.form.model_dump(mode="json", exclude_defaults=True)
    values["eligibility"] = data.eligibility.model_dump(exclude_defaults=True)
    values["rubric"] = data.rubric.model_dump(mode="json")
    values["currency"] = fund.currency
    return values


async def _check_indicators(org: Organisation, keys: list[str]) -> None:
    """The indicators its projects will report: keys of the organisation's catalogue."""
    if set(keys) - {row.key for row in await catalogue(org)}:
        raise Invalid(fields={"indicators": _l("Choose indicators from the catalogue.")})


async def create_call(membership: Membership, data: CallIn) -> Call:
    require_staff(membership)
    org = membership.organisation
    async with atomic():
        await _check_indicators(org, data.indicators)
        fund = await get_scoped(Fund, org, id=data.fund_id)
        call = await Call.create(organisation=org, fund=fund, **_call_values(data, fund))
        await audit.record(verb="call.created", obj=call, actor_id=membership.user_id,
                           organisation_id=org.id)
    return call


async def update_call(membership: Membership, call_id: int, data: CallIn) -> Call:
    require_staff(membership)
    org = membership.organisation
    async with atomic():
        await _check_indicators(org, data.indicators)
        fund = await get_scoped(Fund, org, id=data.fund_id)
        call = await get_locked(Call, org, id=call_id)
        if call.status not in EDITABLE:
            raise Conflict(_l("A decided or archived call can no longer be changed."))
        if call.status is not CallStatus.DRAFT and fund.id != call.fund_id:
            raise Invalid(fields={"fund_id": _l("The fund can change only while the call is "
                                                "a draft.")})
        values = _call_values(data, fund)
        if not call.rubric:  # a call saved before rubrics were kept had the default one
            call.rubric = Rubric.model_validate(DEFAULT_RUBRIC).model_dump(mode="json")
        changed = [name for name, value in values.items() if getattr(call, name) != value]
        await _keep_review_promises(org, call, changed, data)
        call.update_from_dict({**values, "fund_id": fund.id})
        await call.save()
        await audit.record(verb="call.updated", obj=call, actor_id=membership.user_id,
                           organisation_id=org.id, changed=changed)
    return call


async def _keep_review_promises(org: Organisation, call: Call, changed: list[str],
                                data: CallIn) -> None:
    """Once reviewing has started, the rubric and blind mode stay as reviewers were told;
    the budget never drops below the awards already decided (the call's row is locked)."""
    reviews = scoped(Review, org).filter(call_id=call.id)
    if "rubric" in changed and await reviews.filter(status=ReviewStatus.SUBMITTED).exists():
        raise Invalid(fields={"rubric": _l("Reviews were submitted against this rubric: it "
                                           "can no longer change.")})
    if "blind" in changed and await reviews.exists():
        raise Invalid(fields={"blind": _l("Reviewers are already assigned: blind review can "
                                          "no longer be switched on or off.")})
    if "budget_minor" in changed and data.budget_minor < await committed(org, call):
        raise Invalid(fields={"budget_minor": Msg(
            _l("The awards already decided in this call come to %(amount)s: the budget "
               "cannot be less."), amount=format_money(await committed(org, call),
                                                       call.currency))})


def _ready(call: Call) -> None:
    """A call opens only when it can take applications: a valid form, a future deadline."""
    FormDef.model_validate(call.form)
    if call.closes_at <= timefmt.now():
        raise Invalid(_l("Set a closing time in the future before opening the call."),
                      fields={"closes_at": _l("Set a closing time in the future.")})


async def transition_call(membership: Membership, call_id: int, action: str) -> Call:
    require_staff(membership)
    async with atomic():
        call = await get_locked(Call, membership.organisation, id=call_id)
        transition = await move(CALLS, call, action, Actor.STAFF, membership.user_id)
        if Effect.CHECK_READY in transition.effects:
            _ready(call)
    return call


async def close_due_calls() -> int:
    """The system closes every open call whose closing time has passed (a periodic job)."""
    closed = 0
    due = Call.filter(status=CallStatus.OPEN, closes_at__lte=timefmt.now())  # unscoped: all tenants
    for call_id in await due.values_list("id", flat=True):
        async with atomic():
            call = await Call.filter(id=call_id, status=CallStatus.OPEN  # unscoped: by id
                                     ).select_for_update().first()
            if call is not None and call.closes_at <= timefmt.now():
                await move(CALLS, call, "close", Actor.SYSTEM, None)
                closed += 1
    return closed


LISTED = ("id", "organisation_id", "fund_id", "status", "title", "opens_at", "closes_at",
          "currency", "budget_minor", "min_request_minor", "max_request_minor", "categories")


def _listed(calls: QuerySet[Call], summary: bool) -> QuerySet[Call]:
    """A page of calls shows a few columns: with `summary`, forms, rules and descriptions are
    not loaded (a list of 50 would decode them all for nothing)."""
    return calls.only(*LISTED) if summary else calls


async def staff_calls(membership: Membership, page: int, *, summary: bool = True
                      ) -> Page[Call]:
    require_staff(membership)
    calls = scoped(Call, membership.organisation).order_by("-closes_at", "-id")
    return await paginate(_listed(calls, summary), page)


async def staff_call(membership: Membership, call_id: int) -> Call:
    require_staff(membership)
    return await get_scoped(Call, membership.organisation, id=call_id)


async def open_calls(org: Organisation, page: int = 1, *, summary: bool = True) -> Page[Call]:
    """The public list: open calls still taking applications, soonest deadline first."""
    calls = scoped(Call, org).filter(status=CallStatus.OPEN, closes_at__gt=timefmt.now())
    return await paginate(_listed(calls.order_by("closes_at", "id"), summary), page)


@dataclass(frozen=True)
class Listed:
    organisation: Organisation
    open_calls: int


async def directory() -> list[Listed]:
    """The organisations with calls open now, for anyone: where a co-op can apply."""
    counts = await Call.filter(  # unscoped: the public directory, across organisations
        status=CallStatus.OPEN, closes_at__gt=timefmt.now()
    ).annotate(n=Count("id")).group_by("organisation_id").values("organisation_id", "n")
    found = {row["organisation_id"]: int(row["n"]) for row in counts}
    orgs = await Organisation.filter(id__in=list(found)).order_by("name")
    return [Listed(org, found[org.id]) for org in orgs]


def is_taking_applications(call: Call) -> bool:
    return call.status is CallStatus.OPEN and call.opens_at <= timefmt.now() < call.closes_at


async def public_call(org: Organisation, call_id: int) -> Call:
    """Any call that has been opened; drafts and archived calls are not public."""
    return await get_scoped(Call, org, id=call_id, status__in=[
        CallStatus.OPEN, CallStatus.CLOSED, CallStatus.DECIDED])
