"""Applications, from the applicant's side: start, save as a draft (a valid answer saved is
never lost), attach files, submit (once, however often the button is pressed), withdraw,
reopen. Only the co-op's contacts see an application; anyone else gets 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from app import audit, queue, timefmt
from app.accounts.models import User
from app.db import atomic
from app.errors import Conflict, Invalid, NotFound
from app.i18n import LOCALES
from app.i18n import lazy_gettext as _l
from app.moves import move
from app.orgs.models import Organisation
from app.storage import CheckedFile
from app.tenancy import get_locked, get_scoped, scoped
from app.transitions import Transition
from grants.applications.models import Application, ApplicationMessage, Attachment, Revision
from grants.applications.schemas import ApplicationIn, ApplicationPatch
from grants.applications.statuses import ApplicationStatus, MessageKind
from grants.calls import deadlines, eligibility
from grants.calls.formdef import MAX_FILES_PER_FIELD, FieldType, FormDef, merge_answers, problems
from grants.calls.models import Call
from grants.calls.service import is_taking_applications
from grants.coops.models import CoopContact, Cooperative
from grants.coops.service import contact_for
from grants.review.models import Decision
from grants.shared.workflow import APPLICATIONS, Actor, Effect

PAST_DEADLINE = _l("The deadline for this application has passed: it can no longer be changed "
                   "or submitted.")
NOT_EDITABLE = _l("This application has been submitted: withdraw it to change it.")
NOT_READY = _l("The application cannot be submitted yet: see each problem below.")
EDITABLE = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.CHANGES_REQUESTED})


@dataclass(frozen=True)
class NewFile:
    """A checked upload already in storage (written before the transaction), for a question."""

    field_key: str
    checked: CheckedFile
    storage_key: str


@dataclass(frozen=True)
class Editing:
    """An application with what its editor needs: the call, the co-op and the files."""

    application: Application
    call: Call
    cooperative: Cooperative
    attachments: list[Attachment]

    @property
    def form(self) -> FormDef:
        return FormDef.model_validate(self.application.form)


def deadline_of(call: Call, application: Application) -> datetime:
    return deadlines.deadline(closes_at=call.closes_at, override=application.deadline_override,
                              status=application.status)


def is_accepting(call: Call, application: Application) -> bool:
    return deadlines.accepting(
        call_status=call.status, opens_at=call.opens_at, closes_at=call.closes_at,
        override=application.deadline_override, status=application.status,
        moment=timefmt.now())


async def start(user: User, org: Organisation, data: ApplicationIn) -> Application:
    """A new draft, or the co-op's existing application to this call (one per call)."""
    contact = await contact_for(user, org, data.cooperative_id)
    call = await get_scoped(Call, org, id=data.call_id)
    existing = await scoped(Application, org).get_or_none(call_id=call.id,
                                                          cooperative_id=contact.cooperative_id)
    if existing is not None:
        return existing
    if not is_taking_applications(call):
        raise Conflict(_l("This call is not taking applications."), code="call_not_open")
    language = data.language or (user.locale if user.locale in LOCALES else "en")
    try:
        async with atomic():
            application = await Application.create(
                organisation=org, call=call, cooperative_id=contact.cooperative_id,
                language=language, currency=call.currency, form=call.form,
                created_by_id=user.id)
            await audit.record(verb="application.created", obj=application, actor_id=user.id,
                               organisation_id=org.id)
    except IntegrityError:  # a second click started it a moment ago
        return await get_scoped(Application, org, call_id=call.id,
                                cooperative_id=contact.cooperative_id)
    return application


async def _mine(user: User, org: Organisation, application_id: int) -> Application:
    """The application, with its call and co-op, if the user acts for its co-op."""
    application = await scoped(Application, org).filter(
        id=application_id, cooperative__contacts__user_id=user.id
    ).select_related("call", "cooperative").first()
    if application is None:
        raise NotFound()
    return application


async def editing(user: User, org: Organisation, application_id: int) -> Editing:
    application = await _mine(user, org, application_id)
    files = await scoped(Attachment, org).filter(application_id=application.id).order_by("id")
    return Editing(application, application.call, application.cooperative, list(files))


async def locked_editable(user: User, org: Organisation, application_id: int
                           ) -> tuple[Application, Call]:
    """Inside a transaction: the application locked, still a draft, before its deadline."""
    await _mine(user, org, application_id)
    application = await get_locked(Application, org, id=application_id)
    call = await get_scoped(Call, org, id=application.call_id)
    if not is_accepting(call, application):
        raise Conflict(PAST_DEADLINE, code="deadline_passed")
    if application.status not in EDITABLE:
        raise Conflict(NOT_EDITABLE, code="not_editable")
    return application, call


async def save(user: User, org: Organisation, application_id: int, patch: ApplicationPatch,
               ) -> tuple[Application, dict[str, str]]:
    """Save what was sent; each invalid answer is named and leaves its saved value alone.
    Only a real change counts: an autosave of the same answers is not a new version."""
    async with atomic():
        application, call = await locked_editable(user, org, application_id)
        errors = await save_answers(user, application, call, patch)
    return application, errors


async def save_answers(user: User, application: Application, call: Call,
                        patch: ApplicationPatch) -> dict[str, str]:
    """In the caller's transaction, on the locked draft: what was sent is saved, but for the
    invalid answers, which are named."""
    sent = patch.model_fields_set
    form = FormDef.model_validate(application.form)
    files = {key: value for key, value in patch.answers.items()
             if (field := form.field(key)) is not None and field.type is FieldType.FILE}
    answers = {key: value for key, value in patch.answers.items() if key not in files}
    merged, errors = merge_answers(form, application.answers, answers)
    changed = [f"answers.{key}" for key in answers
               if merged.get(key) != application.answers.get(key)]
    if patch.category and patch.category not in call.categories:
        errors["category"] = _l("Choose one of the options.")
        sent = sent - {"category"}
    if "language" in sent and patch.language is None:
        sent = sent - {"language"}  # a blank language keeps the one recorded
    for name in ("title", "category", "language", "requested_minor"):
        value = getattr(patch, name)
        value = "" if value is None and name != "requested_minor" else value
        if name in sent and getattr(application, name) != value:
            setattr(application, name, value)
            changed.append(name)
    application.answers = merged
    if changed:
        application.version += 1
        await application.save()
        await audit.record(verb="application.saved", obj=application, actor_id=user.id,
                           organisation_id=application.organisation_id, changed=changed)
    return errors


async def attach_stored(user: User, application: Application, new: NewFile) -> Attachment:
    """In the caller's transaction: a stored file becomes the answer's next file."""
    field = FormDef.model_validate(application.form).field(new.field_key)
    if field is None or field.type is not FieldType.FILE:
        raise Invalid(fields={new.field_key: _l("This question does not take files.")})
    current = list(application.answers.get(new.field_key) or [])
    if len(current) >= MAX_FILES_PER_FIELD:
        raise Invalid(fields={new.field_key: _l("Remove a file before adding another.")})
    checked = new.checked
    attachment = await Attachment.create(
        organisation_id=application.organisation_id, application=application,
        field_key=new.field_key, filename=checked.filename,
        content_type=checked.kind.content_type, size=checked.size, sha256=checked.sha256,
        storage_key=new.storage_key, uploaded_by_id=user.id)
    application.answers = {**application.answers, new.field_key: [*current, attachment.id]}
    application.version += 1
    await application.save(update_fields=["answers", "version", "updated_at"])
    await audit.record(verb="application.file_added", obj=application, actor_id=user.id,
                       organisation_id=application.organisation_id,
                       changed=[f"answers.{new.field_key}"])
    return attachment


async def detach_file(user: User, org: Organisation, application: Application, attachment_id: int
                  ) -> None:
    attachment = await get_scoped(Attachment, org, id=attachment_id,
                                  application_id=application.id)
    current = list(application.answers.get(attachment.field_key) or [])
    if attachment.id in current:
        current.remove(attachment.id)
        answers = {**application.answers, attachment.field_key: current}
        application.answers = {k: v for k, v in answers.items() if v != []}
        application.version += 1
        await application.save(update_fields=["answers", "version", "updated_at"])
        await audit.record(verb="application.file_removed", obj=application,
                           actor_id=user.id, organisation_id=org.id,
                           changed=[f"answers.{attachment.field_key}"])


async def attachment_for(user: User, org: Organisation, attachment_id: int) -> Attachment:
    attachment = await get_scoped(Attachment, org, id=attachment_id)
    await _mine(user, org, attachment.application_id)
    return attachment


def submission_problems(application: Application, call: Call, files: set[int]
                        ) -> dict[str, str]:
    """Everything that keeps the application from being submitted, named at once."""
    found: dict[str, str] = {}
    if not application.title:
        found["title"] = _l("Give the project a title.")
    if application.category not in call.categories:
        found["category"] = _l("Choose the challenge this project tackles.")
    requested = application.requested_minor
    if requested is None:
        found["requested_minor"] = _l("Enter the amount you request.")
    elif not call.min_request_minor <= requested <= call.max_request_minor:
        found["requested_minor"] = _l("Request an amount between the call's smallest and "
                                      "largest grant.")
    form = FormDef.model_validate(application.form)
    found.update(problems(form, application.answers, requested, files))
    return found


def snapshot(application: Application, coop: Cooperative) -> dict[str, Any]:
    return {
        "title": application.title, "category": application.category,
        "language": application.language, "currency": application.currency,
        "requested_minor": application.requested_minor, "answers": application.answers,
        "form": application.form,
        "cooperative": {"legal_name": coop.legal_name, "country": coop.country,
                        "region": coop.region, "legal_form": coop.legal_form,
                        "commodities": coop.commodities, "members_total": coop.members_total,
                        "members_women": coop.members_women,
                        "members_youth": coop.members_youth,
                        "certifications": coop.certifications},
    }


async def submit(user: User, org: Organisation, application_id: int) -> Revision:
    """Submit once: a second request (a double click, a retry) gets the same revision."""
    await _mine(user, org, application_id)
    async with atomic():
        application = await get_locked(Application, org, id=application_id)
        return await submit_locked(user, org, application)


async def submit_locked(user: User, org: Organisation, application: Application) -> Revision:
    """In the caller's transaction, on the locked application: Invalid names every problem
    (before anything is written)."""
    latest = await scoped(Revision, org).filter(
        application_id=application.id).order_by("-number").first()
    if (application.status is ApplicationStatus.SUBMITTED and latest is not None
            and latest.version == application.version):
        return latest  # already done by an earlier request
    call = await get_scoped(Call, org, id=application.call_id)
    if not is_accepting(call, application):
        raise Conflict(PAST_DEADLINE, code="deadline_passed")
    files = {a.id for a in await scoped(Attachment, org).filter(
        application_id=application.id).only("id")}
    found = submission_problems(application, call, files)
    if found:
        raise Invalid(NOT_READY, fields=found)
    transition = await move(APPLICATIONS, application, "submit", Actor.APPLICANT, user.id)
    coop = await get_scoped(Cooperative, org, id=application.cooperative_id)
    revision = await Revision.create(
        organisation=org, application=application, number=(latest.number + 1 if latest
                                                            else 1),
        version=application.version, snapshot=snapshot(application, coop),
        submitted_by_id=user.id)
    await carry_out(transition, application, actor_id=user.id, coop=coop)
    return revision


async def carry_out(transition: Transition, application: Application, *, actor_id: int,
                    coop: Cooperative | None = None, body: str = "") -> None:
    """The transition's effects, in the caller's transaction."""
    org_id = application.organisation_id
    if Effect.SCREEN in transition.effects:
        coop = coop or await Cooperative.get(id=application.cooperative_id,  # unscoped: its own
                                             organisation_id=org_id)
        call = await Call.get(id=application.call_id, organisation_id=org_id)  # unscoped: ditto
        rules = eligibility.Rules.model_validate(call.eligibility)
        application.screening = [f.as_json() for f in eligibility.check(rules, coop.profile())]
    if Effect.SNAPSHOT in transition.effects:
        application.submitted_at = timefmt.now()
    await application.save()
    kind = {Effect.NOTIFY_RECEIPT: MessageKind.RECEIPT,
            Effect.NOTIFY_CHANGES: MessageKind.CHANGES_REQUESTED}
    for effect, message_kind in kind.items():
        if effect in transition.effects:
            await tell(application, message_kind, body, actor_id)
    if Effect.NOTIFY_OUTCOME in transition.effects:
        outcome = (MessageKind.ELIGIBLE if application.status is ApplicationStatus.ELIGIBLE
                   else MessageKind.INELIGIBLE)
        await tell(application, outcome, body, actor_id)


async def tell(application: Application, kind: MessageKind, body: str, actor_id: int,
               comments: list[str] | None = None) -> None:
    """Keep the message on the application and mail it to the co-op's contacts."""
    message = await ApplicationMessage.create(
        organisation_id=application.organisation_id, application=application, kind=kind,
        body=body, author_id=actor_id, comments=comments)
    await queue.enqueue("send_application_message", message.id)


async def withdraw(user: User, org: Organisation, application_id: int) -> Application:
    return await _applicant_action(user, org, application_id, "withdraw")


async def reopen(user: User, org: Organisation, application_id: int) -> Application:
    return await _applicant_action(user, org, application_id, "reopen")


async def _applicant_action(user: User, org: Organisation, application_id: int, action: str
                            ) -> Application:
    await _mine(user, org, application_id)
    async with atomic():
        application = await get_locked(Application, org, id=application_id)
        call = await get_scoped(Call, org, id=application.call_id)
        if not is_accepting(call, application):
            raise Conflict(PAST_DEADLINE, code="deadline_passed")
        await move(APPLICATIONS, application, action, Actor.APPLICANT, user.id)
        if action == "reopen":
            application.version += 1
            await application.save(update_fields=["version", "updated_at"])
    return application


async def mine(user: User, org: Organisation) -> list[Application]:
    """The applications of every co-op the user acts for, newest first."""
    coop_ids = await scoped(CoopContact, org).filter(user_id=user.id).values_list(
        "cooperative_id", flat=True)
    return await scoped(Application, org).filter(cooperative_id__in=list(coop_ids)).order_by(
        "-updated_at").select_related("call", "cooperative")


@dataclass(frozen=True)
class Told:
    """What the API shows of an application beside its own fields."""

    deadline: datetime
    messages: list[ApplicationMessage]


async def told(application: Application) -> Told:
    """The application's deadline (its call's, or its own extension) and its messages."""
    call = await Call.get(id=application.call_id,  # unscoped: the application's own
                          organisation_id=application.organisation_id)
    return Told(deadline_of(call, application), await messages(application))


async def messages(application: Application) -> list[ApplicationMessage]:
    return await ApplicationMessage.filter(  # unscoped: the application's own
        application_id=application.id, organisation_id=application.organisation_id)


async def published_decision(application: Application) -> Decision | None:
    """The funding decision the applicant has been told, if any."""
    return await Decision.get_or_none(  # unscoped: the application's own
        application_id=application.id, organisation_id=application.organisation_id,
        published_at__not_isnull=True)
