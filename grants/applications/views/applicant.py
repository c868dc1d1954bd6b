"""The applicant's pages: start an application, "my applications", and the editor.

The editor is one multipart form that works without JavaScript: "Save draft" saves every
readable answer and every chosen file; "Submit" saves, then submits. With JavaScript,
static/autosave.js posts the same form (without files) to the autosave address as people
type, and retries when the connection drops.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.errors import AppError, Invalid
from app.forms import validate
from app.i18n import gettext, language_choices
from app.money import to_major_text
from app.orgs.models import Organisation
from app.storage import ACCEPT_ATTRIBUTE, Storage, uploads
from app.templating import render
from app.urls import url
from app.web import attachment_response, redirect, require_user, settings_of
from grants.applications.editor_form import EditorForm, input_name, read_editor
from grants.applications.models import Application, Attachment
from grants.applications.schemas import ApplicationIn
from grants.applications.service import applicant as applications
from grants.applications.service import drafts
from grants.applications.service.applicant import EDITABLE, Editing
from grants.applications.statuses import ApplicationStatus
from grants.calls.form_input import shown_back
from grants.coops import service as coops
from grants.shared.web import org_of, page_context
from grants.shared.workflow import APPLICATIONS, Actor

FORM_LIMITS = {"max_files": 10, "max_fields": 1000, "max_part_size": 64 * 1024}


def _link(application: Application, org_slug: str,
          query: Mapping[str, object] | None = None) -> str:
    return url("grants:application", org=org_slug, application_id=application.id, query=query)


async def start(request: Request) -> Response:
    """From a call's page: start (or find) the co-op's application, then open the editor."""
    user = require_user(request)
    org = await org_of(request)
    call_id = request.path_params["call_id"]
    mine = await coops.cooperatives_of(user, org)
    if not mine:
        return redirect(url("grants:new_coop", org=org.slug, query={
            "next": url("grants:call", org=org.slug, call_id=call_id)}))
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


async def _read(request: Request, found: Editing, form: FormData
                ) -> tuple[EditorForm, drafts.Draft, dict[str, str]]:
    """The form read, its files written to storage: the draft to save, and what was refused."""
    read = read_editor(form, found.form, found.application.currency)
    uploads = [drafts.Upload(key, upload.filename or "",
                             await upload.read(drafts.MAX_FILE_BYTES + 1))
               for key, upload in read.uploads]
    stored, refused = await drafts.store_files(uploads, uploads_of(request))
    errors = {**read.errors, **_named(refused)}
    draft = drafts.Draft(read.patch, stored, read.remove_file,
                         submit=read.action == "submit" and not errors)   # nothing unread
    return read, draft, errors


def _named(errors: dict[str, str]) -> dict[str, str]:
    return {input_name(key): text for key, text in errors.items()}


async def editor(request: Request) -> Response:
    user = require_user(request)
    org = await org_of(request)
    application_id = request.path_params["application_id"]
    found = await applications.editing(user, org, application_id)
    if request.method != "POST":
        return await _render(request, org, found)
    async with request.form(**FORM_LIMITS) as form:
        if (form.get("action") == "submit"
                and found.application.status is ApplicationStatus.SUBMITTED):
            # A double click, or the browser sending the form again: submitted once already.
            await applications.submit(user, org, application_id)
            return redirect(_link(found.application, org.slug, {"submitted": 1}))
        read, draft, errors = await _read(request, found, form)
    saved = await drafts.save_draft(user, org, application_id, draft, uploads_of(request))
    errors.update(_named(saved.errors))
    if saved.revision is not None:
        return redirect(_link(found.application, org.slug, {"submitted": 1}))
    if saved.problems:
        found = await applications.editing(user, org, application_id)
        return await _render(request, org, found, errors=_named(saved.problems),
                             message=applications.NOT_READY, status_code=422)
    if errors:
        found = await applications.editing(user, org, application_id)
        return await _render(request, org, found, errors=errors, sent=read.sent,
                             status_code=422, message=Invalid.message)
    return redirect(_link(found.application, org.slug, {"saved": 1}))


def _core_shown(sent: dict[str, Any]) -> dict[str, str]:
    return {name: sent[name] for name in ("title", "category", "requested")
            if isinstance(sent.get(name), str)}


async def autosave(request: Request) -> Response:
    """The editor's script saves as people type: JSON in return, never a page."""
    user = require_user(request)
    org = await org_of(request)
    found = await applications.editing(user, org, request.path_params["application_id"])
    try:
        async with request.form(**FORM_LIMITS) as form:
            _read_form, draft, errors = await _read(request, found, form)
        saved = await drafts.save_draft(user, org, found.application.id,
                                        replace(draft, submit=False), uploads_of(request))
    except AppError as error:
        return JSONResponse({"saved": False, "message": gettext(error.message)},
                            status_code=error.status_code)
    errors.update(_named(saved.errors))
    return JSONResponse({"saved": True, "version": saved.application.version,
                         "errors": {k: gettext(v) for k, v in errors.items()}})


async def withdraw(request: Request) -> Response:
    org = await org_of(request)
    application = await applications.withdraw(require_user(request), org,
                                              request.path_params["application_id"])
    return redirect(_link(application, org.slug, {"withdrawn": 1}))


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


def uploads_of(request: Request) -> Storage:
    return uploads(settings_of(request))


async def send_file(request: Request, attachment: Attachment) -> Response:
    """A stored file as a download, never shown inline (it came from outside)."""
    data = await uploads_of(request).get(attachment.storage_key)
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
        editable=editable, accept=ACCEPT_ATTRIBUTE, max_file_mb=drafts.MAX_FILE_BYTES // 2**20,
        files={a.id: a for a in found.attachments}, major=to_major_text,
        deadline=applications.deadline_of(found.call, application),
        actions=APPLICATIONS.available(application.status, Actor.APPLICANT)
        if applications.is_accepting(found.call, application) else [],
        languages=language_choices(), decision=await applications.published_decision(
            application),
        messages=await applications.messages(application)), status_code=status_code)
