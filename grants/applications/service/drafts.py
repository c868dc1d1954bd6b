"""The editor's use cases: "Save draft" and "Submit" take the whole form as it was read, in
one transaction — every readable answer saved, each new file attached, a file removed and,
for "Submit", the application submitted when nothing stands in the way. The files are
written to storage before the transaction opens and passed in by key: the transaction
holds no disk or network I/O, and a file the transaction did not keep is deleted after it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.accounts.models import User
from app.db import after_commit, atomic
from app.errors import AppError, Invalid
from app.orgs.models import Organisation
from app.storage import Storage, check_upload
from grants.applications.models import Application, Revision
from grants.applications.schemas import ApplicationPatch
from grants.applications.service.applicant import (
    NewFile,
    attach_stored,
    detach_file,
    locked_editable,
    save_answers,
    submit_locked,
)

MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Upload:
    """A file as it came from the form: its question, its name and its bytes."""

    field_key: str
    filename: str
    data: bytes


@dataclass(frozen=True)
class Draft:
    """What the editor sent, read (grants/applications/editor_form.py)."""

    patch: ApplicationPatch
    files: Sequence[NewFile] = ()
    remove_file: int | None = None
    submit: bool = False


@dataclass(frozen=True)
class Saved:
    application: Application
    errors: dict[str, str] = field(default_factory=dict)   # answers and files not kept
    revision: Revision | None = None                       # submitted
    problems: dict[str, str] = field(default_factory=dict)  # why it could not be submitted


async def store_files(uploads: Sequence[Upload], storage: Storage
                      ) -> tuple[list[NewFile], dict[str, str]]:
    """Check each upload and write the good ones to storage (before any transaction); the
    refused ones are named by their question."""
    stored: list[NewFile] = []
    refused: dict[str, str] = {}
    for upload in uploads:
        try:
            checked = check_upload(upload.filename, upload.data, MAX_FILE_BYTES)
        except AppError as error:
            refused[upload.field_key] = error.message
            continue
        key = await storage.put(upload.data, checked.kind.extensions[0])
        stored.append(NewFile(upload.field_key, checked, key))
    return stored, refused


async def save_draft(user: User, org: Organisation, application_id: int, draft: Draft,
                     storage: Storage) -> Saved:
    """One transaction: the answers, the files, the removal and, asked to, the submission.
    A refused submission still saves the draft; the problems come back with it."""
    kept: set[str] = set()
    try:
        async with atomic():
            application, call = await locked_editable(user, org, application_id)
            errors = await save_answers(user, application, call, draft.patch)
            for new in draft.files:
                try:
                    async with atomic():           # a savepoint: one refused file, not all
                        await attach_stored(user, application, new)
                    kept.add(new.storage_key)
                except Invalid as error:
                    errors[new.field_key] = error.fields.get(new.field_key) or error.message
            if draft.remove_file is not None:
                await detach_file(user, org, application, draft.remove_file)
            saved = Saved(application, errors)
            if draft.submit and not errors:
                saved = await _submitted(user, org, application, saved)
            await after_commit(lambda: _forget(storage, draft.files, kept))
    except BaseException:
        await _forget(storage, draft.files, set())
        raise
    return saved


async def _submitted(user: User, org: Organisation, application: Application, saved: Saved
                     ) -> Saved:
    try:
        async with atomic():                       # a savepoint: the draft stays saved
            revision = await submit_locked(user, org, application)
    except Invalid as error:
        return Saved(application, saved.errors, problems=dict(error.fields))
    return Saved(application, saved.errors, revision=revision)


async def _forget(storage: Storage, files: Sequence[NewFile], kept: set[str]) -> None:
    for new in files:
        if new.storage_key not in kept:
            await storage.delete(new.storage_key)
