"""AppError, the one error every expected failure raises: a code, a message in the reader's
language, a status, and the fields at fault (app/error_pages.py renders it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from app.i18n import lazy_gettext as _l


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
