"""The account's data: download everything held about you, or delete the account."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app import privacy
from app.csrf import new_csrf_token
from app.errors import AppError, TooManyRequests
from app.storage import uploads
from app.templating import render
from app.timefmt import now
from app.urls import url
from app.web import attachment_response, form_dict, redirect, require_user, settings_of

EXPORTS_PER_HOUR = 10      # each reads every file of the user's co-ops: not a loop's toy


async def export_data(request: Request) -> Response:
    """harambee-<date>.zip: the JSON of everything held about the user, and their files."""
    user = require_user(request)
    if await request.app.state.throttle.hit(f"export:{user.id}", 3600) > EXPORTS_PER_HOUR:
        raise TooManyRequests()
    data = await privacy.export_zip(user, uploads(settings_of(request)))
    name = f"harambee-{now().date().isoformat()}.zip"
    return attachment_response(data, filename=name, media_type="application/zip")


async def delete_account(request: Request) -> Response:
    """What deleting keeps and erases; the password confirms; then signed out."""
    user = require_user(request)
    message: str | None = None
    errors: dict[str, str] = {}
    if request.method == "POST":
        async with request.form() as form:
            values = form_dict(form)
        try:
            await privacy.erase_account(user, str(values.get("password", "")),
                                        cheap=settings_of(request).argon2_cheap)
        except AppError as error:
            message, errors = error.message, getattr(error, "fields", {})
        else:
            request.session.clear()
            request.session["csrf"] = new_csrf_token()
            return redirect(url("landing", query={"deleted": 1}))
    return render(request, "accounts/delete.html", {"message": message, "errors": errors,
                                                    "values": {}},
                  status_code=422 if message else 200)
