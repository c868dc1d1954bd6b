"""The applicant's pages: start an application, "my applications", and the editor.

The editor is one multipart form that works without JavaScript: "Save draft" saves every
readable answer and every chosen file; "Submit" saves, then submits. With JavaScript,
static/autosave.js posts the same form (without files) to the autosave address as people
type, and retries when the connection drops.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.errors import AppError, Invalid
from app.forms import nest, validate, validate_partial
from app.i18n import LOCALES, gettext, language_choices
from app.money import parse_amount, to_major_text
from app.orgs.models import Organisation
from app.storage import ACCEPT_ATTRIBUTE, check_upload, uploads
from app.templating import render
from app.web import attachment_response, form_dict, redirect, require_user, settings_of
from grants.applications.models import Application, Attachment
from grants.applications.schemas import ApplicationIn, ApplicationPatch
from grants.applications.service import applicant as applications
from grants.applications.service.applicant import EDITABLE, Editing
from grants.applications.statuses import ApplicationStatus
from grants.calls.form_input import answers_from_form, shown_back
from grants.calls.formdef import NOT_MONEY, FieldType
from grants.coops import service as coops
from grants.web import org_of, page_context
from grants.workflow import APPLICATIONS, Actor

MAX_FILE_BYTES = 5 * 1024 * 1024
FORM_LIMITS = {"max_files": 10, "max_fields": 1000, "max_part_size": 64 * 1024}


def _link(application: Application, org_slug: str) -> str:
    return f"/o/{org_slug}/applications/{application.id}"


async def start(request: Request) -> Response:
    """From a call's page: start (or find) the co-op's application, then open the editor."""
    user = require_user(request)
    org = await org_of(request)
    call_id = request.path_params["call_id"]
    mine = await coops.cooperatives_of(user, org)
    if not mine:
        return redirect(f"/o/{org.slug}/coops/new?next=/o/{org.slug}/calls/{call_id}")
    async with request.form() as form:
        chosen = form.get("cooperative_id") or str(mine[0].id)
    application = await applications.start(user, org, validate(ApplicationIn, {
        "call_id": call_id, "cooperative_id": chosen}))
    return redirect(_link(application, org.slug))


async def my_applications(request: Request) -> Response:
    user = require_user(request)
    org = await org_of(request)
    return render(request, "grants/applications/my_applications.html", page_context(
        request, org, applications=await applications.mine(user, org),
        cooperatives=await coops.cooperatives_of(user, org)))


def _core(sent: dict[str, Any], currency: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The fields every application has, as the patch takes them; blank clears."""
    core: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in ("title", "category"):
        if name in sent:
            core[name] = sent[name] if isinstance(sent[name], str) and sent[name] else None
    if sent.get("language") in LOCALES:
        core["language"] = sent["language"]
    if "requested" in sent:
        text = sent["requested"] if isinstance(sent["requested"], str) else ""
        amount = parse_amount(text, currency) if text.strip() else None
        if text.strip() and amount is None:
            errors["requested_minor"] = NOT_MONEY
        else:
            core["requested_minor"] = amount
    return core, errors


async def _save_form(request: Request, org: Organisation, found: Editing, form: FormData
                     ) -> tuple[dict[str, str], dict[str, Any]]:
    """Save what the editor sent; (errors by field, what was sent, for showing back)."""
    user = require_user(request)
    application = found.application
    sent: dict[str, Any] = nest({k: v for k, v in form_dict(form).items()
                                 if not isinstance(v, UploadFile)})
    # The autosave names what it carries ("present"), so an unchanged answer is not sent
    # and cannot overwrite what a colleague saved meanwhile; the plain form carries all.
    present = {str(name) for name in form.getlist("present")} or None
    if present is not None:
        sent = {k: v for k, v in sent.items() if k in present or k == "a"}
    only = {name[2:] for name in present if name.startswith("a.")} if present else None
    core, errors = _core(sent, application.currency)
    answers, read_errors = answers_from_form(found.form, sent.get("a"), application.currency,
                                             only)
    patch, patch_errors = validate_partial(ApplicationPatch, {**core, "answers": answers})
    _saved, save_errors = await applications.save(user, org, application.id, patch)
    errors.update({**patch_errors, **save_errors, **_answer_errors(read_errors)})
    for field in found.form.fields():
        if field.type is not FieldType.FILE:
            continue
        for upload in form.getlist(f"file.{field.key}"):
            if isinstance(upload, UploadFile) and upload.filename:
                errors.update(await _attach(request, org, found, field.key, upload))
    return errors, sent


def _answer_errors(errors: dict[str, str]) -> dict[str, str]:
    return {f"a.{key}": text for key, text in errors.items()}


async def _attach(request: Request, org: Organisation, found: Editing, key: str,
                  upload: UploadFile) -> dict[str, str]:
    data = await upload.read(MAX_FILE_BYTES + 1)
    try:
        checked = check_upload(upload.filename or "", data, MAX_FILE_BYTES)
        await applications.attach(require_user(request), org, found.application.id, key,
                                  checked, data, uploads(settings_of(request)))
    except AppError as error:
        return {f"a.{key}": error.fields.get(key) or error.message}
    return {}


async def editor(request: Request) -> Response:
    user = require_user(request)
    org = await org_of(request)
    application_id = request.path_params["application_id"]
    found = await applications.editing(user, org, application_id)
    if request.method != "POST":
        return await _render(request, org, found)
    async with request.form(**FORM_LIMITS) as form:
        action = form.get("action")
        if action == "submit" and found.application.status is ApplicationStatus.SUBMITTED:
            # A double click, or the browser sending the form again: submitted once already.
            await applications.submit(user, org, application_id)
            return redirect(_link(found.application, org.slug) + "?submitted=1")
        errors, sent = await _save_form(request, org, found, form)
        remove = str(form.get("remove_file") or "")
    if remove.isascii() and remove.isdigit() and len(remove) < 10:
        await applications.detach(user, org, application_id, int(remove))
    if not errors and action == "submit":
        try:
            await applications.submit(user, org, application_id)
        except Invalid as error:
            errors = {_field_name(k): v for k, v in error.fields.items()}
            found = await applications.editing(user, org, application_id)
            return await _render(request, org, found, errors=errors, message=error.message,
                                 status_code=422)
        return redirect(_link(found.application, org.slug) + "?submitted=1")
    if errors:
        found = await applications.editing(user, org, application_id)
        return await _render(request, org, found, errors=errors, sent=sent, status_code=422,
                             message=Invalid.message)
    return redirect(_link(found.application, org.slug) + "?saved=1")


def _core_shown(sent: dict[str, Any]) -> dict[str, str]:
    return {name: sent[name] for name in ("title", "category", "requested")
            if isinstance(sent.get(name), str)}


def _field_name(key: str) -> str:
    """Submission problems name answers by their key: the editor's inputs are a.<key>."""
    return key if key in ("title", "category", "requested_minor", "language") else f"a.{key}"


async def autosave(request: Request) -> Response:
    """The editor's script saves as people type: JSON in return, never a page."""
    user = require_user(request)
    org = await org_of(request)
    found = await applications.editing(user, org, request.path_params["application_id"])
    try:
        async with request.form(**FORM_LIMITS) as form:
            errors, _sent = await _save_form(request, org, found, form)
    except AppError as error:
        return JSONResponse({"saved": False, "message": gettext(error.message)},
                            status_code=error.status_code)
    fresh = await applications.editing(user, org, found.application.id)
    return JSONResponse({"saved": True, "version": fresh.application.version,
                         "errors": {k: gettext(v) for k, v in errors.items()}})


async def withdraw(request: Request) -> Response:
    org = await org_of(request)
    application = await applications.withdraw(require_user(request), org,
                                              request.path_params["application_id"])
    return redirect(_link(application, org.slug) + "?withdrawn=1")


async def reopen(request: Request) -> Response:
    org = await org_of(request)
    application = await applications.reopen(require_user(request), org,
                                            request.path_params["application_id"])
    return redirect(_link(application, org.slug))


async def download(request: Request) -> Response:
    org = await org_of(request)
    attachment = await applications.attachment_for(require_user(request), org,
                                                   request.path_params["attachment_id"])
    return await send_file(request, attachment)


async def send_file(request: Request, attachment: Attachment) -> Response:
    """A stored file as a download, never shown inline (it came from outside)."""
    data = await uploads(settings_of(request)).get(attachment.storage_key)
    return attachment_response(data, filename=attachment.filename,
                               media_type=attachment.content_type)


async def _render(request: Request, org: Organisation, found: Editing, *,
                  errors: dict[str, str] | None = None, sent: dict[str, Any] | None = None,
                  message: str | None = None, status_code: int = 200) -> Response:
    application = found.application
    editable = (application.status in EDITABLE and applications.is_accepting(found.call,
                                                                              application))
    return render(request, "grants/applications/editor.html", page_context(
        request, org, found=found, application=application, call=found.call,
        form=found.form, errors=errors or {}, sent=_core_shown(sent or {}),
        given=shown_back(found.form, (sent or {}).get("a")), message=message,
        editable=editable, accept=ACCEPT_ATTRIBUTE, max_file_mb=MAX_FILE_BYTES // 2**20,
        files={a.id: a for a in found.attachments}, major=to_major_text,
        deadline=applications.deadline_of(found.call, application),
        actions=APPLICATIONS.available(application.status, Actor.APPLICANT)
        if applications.is_accepting(found.call, application) else [],
        languages=language_choices(), decision=await applications.published_decision(
            application),
        messages=await applications.messages(application)), status_code=status_code)
