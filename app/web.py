"""Small helpers every HTML handler shares: who is asking, forms, redirects."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

from pydantic import BaseModel
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from app.accounts.models import User
from app.errors import AppError, Invalid, NotAuthenticated
from app.forms import nest, validate
from app.orgs.models import Organisation
from app.settings import Settings
from app.templating import render
from app.urls import url

Schema = TypeVar("Schema", bound=BaseModel)


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def current_user(request: Request) -> User | None:
    user = request.scope.get("user")
    return user if isinstance(user, User) else None


def viewer_timezone(request: Request, org: Organisation) -> str:
    """Times are shown in the signed-in person's timezone, else the organisation's."""
    user = current_user(request)
    return user.timezone if user is not None else org.timezone


def require_user(request: Request) -> User:
    user = current_user(request)
    if user is None:
        raise NotAuthenticated()
    return user


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_body(text: str) -> str:
    """A CSV that Excel opens as UTF-8 (the byte-order mark), accents and all."""
    return "\ufeff" + text


def attachment_response(body: bytes | str, *, filename: str, media_type: str,
             private: bool = True) -> Response:
    """A file to save, never shown inline nor sniffed; a private one is never kept by a cache."""
    headers = {"content-disposition": f"attachment; filename*=UTF-8''{quote(filename, safe='')}",
               "x-content-type-options": "nosniff"}
    if private:  # an applicant's file, a staff export: not for a shared or a browser cache
        headers["cache-control"] = "no-store"
    return Response(body, media_type=media_type, headers=headers)


def safe_next(target: str | None, default: str | None = None) -> str:
    """Only our own absolute paths: never another host, scheme, or protocol-relative URL;
    otherwise `default` (the home page when not given)."""
    fallback = url("home") if default is None else default
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or any(ord(c) < 32 for c in target):
        return fallback
    return target


def form_dict(form: FormData) -> dict[str, Any]:
    """Form fields as a dict; a field sent several times becomes a list."""
    data: dict[str, Any] = {}
    for key in form:
        values = form.getlist(key)
        data[key] = values if len(values) > 1 else values[0]
    data.pop("csrf_token", None)
    return data


async def form_page(
    request: Request,
    template: str,
    schema: type[Schema],
    action: Callable[[Schema], Awaitable[Response]],
    context: dict[str, Any] | None = None,
    validation_context: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Response:
    """GET shows the form; POST validates, runs `action`, or shows the form again with errors.
    `validation_context` gives the schema what it needs from the values (their currency)."""
    context = dict(context or {})
    if request.method != "POST":
        return render(request, template, {"values": {}, "errors": {}, **context})
    async with request.form() as form:
        values = nest(form_dict(form))
    try:
        extra = validation_context(values) if validation_context else None
        return await action(validate(schema, values, extra))
    except AppError as error:
        if not error.fields:  # not about what was typed: the error page says it
            raise
        values.pop("password", None)
        # A refusal about a field (too many invitations to this address) shows on the form,
        # with what was typed kept, under its own status; the top says there is a problem.
        message = error.message if isinstance(error, Invalid) else Invalid.message
        return render(request, template, {
            "values": values, "errors": error.fields, "message": message, **context,
        }, status_code=error.status_code)
