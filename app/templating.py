"""The Jinja2 environment (autoescaped, gettext installed) and the one render helper."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from app import i18n
from app.csrf import LazyFormToken
from app.money import format_money, to_major_text
from app.timefmt import format_date, format_datetime, format_duration
from app.urls import url

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"


def _request_context(request: Request) -> dict[str, Any]:
    session = request.scope.get("session")
    session = {} if session is None else session  # an empty Session is falsy: keep it
    return {
        "current_user": request.scope.get("user"),
        "csrf_token": LazyFormToken(session),
        "locale": i18n.current_locale(),
        "locales": i18n.language_choices(),
    }


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["url"] = url  # internal links by route name (app/urls.py)
    env.filters["datetime"] = format_datetime
    env.filters["date"] = format_date
    env.filters["duration"] = format_duration
    env.filters["money"] = format_money
    env.filters["number"] = i18n.format_number
    env.filters["amount"] = to_major_text  # a number as a form field shows it back
    env.filters["loc"] = i18n.localised
    # Translate a message chosen in Python (marked there with _l); unlike _(), the result is
    # escaped like any other value and never %-formatted.
    env.filters["t"] = i18n.gettext
    return env


@cache
def templates() -> Jinja2Templates:
    return Jinja2Templates(env=environment(), context_processors=[_request_context])


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    response = templates().TemplateResponse(request, name, context or {}, status_code=status_code)
    assert isinstance(response, HTMLResponse)
    return response


def render_text(name: str, context: dict[str, Any]) -> str:
    """Render a template outside a request (mail), in the current locale."""
    return environment().get_template(name).render(**context)
