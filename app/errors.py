"""AppError, the one error every expected failure raises, and the handler that renders it."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from app.i18n import gettext
from app.i18n import lazy_gettext as _l
from app.templating import render

logger = logging.getLogger(__name__)


class AppError(Exception):
    """An expected failure: a code for programs, a message for people, an HTTP status."""

    status_code = 400
    code = "bad_request"
    message = _l("The request could not be understood.")

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        status_code: int | None = None,
        fields: Mapping[str, str] | None = None,
        reasons: Sequence[str] = (),
    ) -> None:
        self.message = message if message is not None else self.message
        self.code = code or self.code
        self.status_code = status_code or self.status_code
        self.fields: dict[str, str] = dict(fields or {})
        self.reasons = tuple(reasons)  # why, in detail, when there are several causes
        super().__init__(str(self.message))


class BadRequest(AppError):
    pass


class NotAuthenticated(AppError):
    status_code = 401
    code = "not_authenticated"
    message = _l("Please sign in to continue.")


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"
    message = _l("You do not have permission to do this.")


class NotFound(AppError):
    status_code = 404
    code = "not_found"
    message = _l("We could not find that page.")


class Conflict(AppError):
    status_code = 409
    code = "conflict"
    message = _l("This conflicts with the current state. Reload and try again.")


class Invalid(AppError):
    status_code = 422
    code = "invalid"
    message = _l("Some fields need your attention.")


class TooLarge(AppError):
    status_code = 413
    code = "too_large"
    message = _l("What you sent is too large.")


class TooManyRequests(AppError):
    status_code = 429
    code = "too_many_requests"
    message = _l("Too many attempts. Please wait a few minutes and try again.")


_HTTP_ERRORS: dict[int, type[AppError]] = {
    400: BadRequest, 401: NotAuthenticated, 403: Forbidden, 404: NotFound,
    409: Conflict, 413: TooLarge, 422: Invalid, 429: TooManyRequests,
}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def handle_app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    message = gettext(exc.message)
    fields = {name: gettext(text) for name, text in exc.fields.items()}
    reasons = [gettext(text) for text in exc.reasons]
    if isinstance(exc, NotAuthenticated) and not wants_json(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)
    if wants_json(request):
        body: dict[str, dict[str, object]] = {
            "error": {"code": exc.code, "message": message, "fields": fields}}
        if reasons:
            body["error"]["reasons"] = reasons
        return JSONResponse(body, status_code=exc.status_code)
    return render(
        request, "error.html", {"error": exc, "message": message, "fields": fields,
                  "reasons": reasons},
        status_code=exc.status_code,
    )


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 become AppErrors so they look and translate the same."""
    assert isinstance(exc, HTTPException)
    error_class = _HTTP_ERRORS.get(exc.status_code, BadRequest)
    error = error_class(status_code=exc.status_code, code=None if exc.status_code in _HTTP_ERRORS
                        else "http_error")
    return await handle_app_error(request, error)


async def handle_server_error(request: Request, exc: Exception) -> Response:
    # The handler's name, not the URL: paths and queries may carry signed tokens.
    endpoint = request.scope.get("endpoint")
    logger.exception("unhandled error in %s %s", request.method,
                     getattr(endpoint, "__qualname__", "an unknown handler"))
    error = AppError(_l("Something went wrong on our side. Please try again."),
                     code="server_error", status_code=500)
    return await handle_app_error(request, error)
