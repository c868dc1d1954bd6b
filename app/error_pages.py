"""The one handler of errors: an AppError (or Starlette's own 404 and 405, or an unexpected
exception) becomes an HTML page in the reader's language, a redirect to sign in, or the
API's {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from app.errors import (
    AppError,
    BadRequest,
    Conflict,
    Forbidden,
    Invalid,
    NotAuthenticated,
    NotFound,
    TooLarge,
    TooManyRequests,
)
from app.i18n import gettext
from app.i18n import lazy_gettext as _l
from app.templating import render
from app.urls import API_PREFIX, url

logger = logging.getLogger(__name__)

_HTTP_ERRORS: dict[int, type[AppError]] = {
    400: BadRequest, 401: NotAuthenticated, 403: Forbidden, 404: NotFound,
    409: Conflict, 413: TooLarge, 422: Invalid, 429: TooManyRequests,
}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


async def handle_app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    message = gettext(exc.message)
    fields = {name: gettext(text) for name, text in exc.fields.items()}
    reasons = [gettext(text) for text in exc.reasons]
    if isinstance(exc, NotAuthenticated) and not wants_json(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"{url('accounts:login')}?{urlencode({'next': target})}",
                                status_code=303)
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
