"""What the application editor's form sends, read into what its use cases take: the patch of
every readable answer, what could not be read (named by field), the files chosen, the file
to remove and the button pressed. The answers themselves are read by the form's own rules
(grants/calls/form_input.py); this module adds the fields every application has.

The autosave names what it carries ("present"), so an unchanged answer is not sent and
cannot overwrite what a colleague saved meanwhile; the plain form carries every field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData, UploadFile

from app.forms import nest, validate_partial
from app.i18n import LOCALES
from app.money import parse_amount
from app.web import form_dict
from grants.applications.schemas import ApplicationPatch
from grants.calls.form_input import answers_from_form
from grants.calls.formdef import NOT_MONEY, FieldType, FormDef

CORE_FIELDS = ("title", "category", "requested_minor", "language")


@dataclass(frozen=True)
class EditorForm:
    patch: ApplicationPatch
    errors: dict[str, str]                      # what could not be read, by input name
    sent: dict[str, Any]                        # what was typed, to show back
    uploads: list[tuple[str, UploadFile]] = field(default_factory=list)  # (question, file)
    remove_file: int | None = None
    action: str | None = None                   # "submit", or None for "Save draft"


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


def _remove(value: object) -> int | None:
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def input_name(key: str) -> str:
    """Problems name answers by their key: the editor's inputs are a.<key>."""
    return key if key in CORE_FIELDS else f"a.{key}"


def read_editor(form: FormData, definition: FormDef, currency: str) -> EditorForm:
    sent: dict[str, Any] = nest({k: v for k, v in form_dict(form).items()
                                 if not isinstance(v, UploadFile)})
    present = {str(name) for name in form.getlist("present")} or None
    if present is not None:
        sent = {k: v for k, v in sent.items() if k in present or k == "a"}
    only = {name[2:] for name in present if name.startswith("a.")} if present else None
    core, errors = _core(sent, currency)
    answers, unread = answers_from_form(definition, sent.get("a"), currency, only)
    patch, refused = validate_partial(ApplicationPatch, {**core, "answers": answers})
    errors.update({**refused, **{f"a.{key}": text for key, text in unread.items()}})
    uploads = [(question.key, upload) for question in definition.fields()
               if question.type is FieldType.FILE
               for upload in form.getlist(f"file.{question.key}")
               if isinstance(upload, UploadFile) and upload.filename]
    action = form.get("action")
    return EditorForm(patch=patch, errors=errors, sent=sent, uploads=uploads,
                      remove_file=_remove(form.get("remove_file")),
                      action=action if isinstance(action, str) else None)
