"""CSRF tokens: a secret per session, carried in pages under a fresh mask each time."""

from __future__ import annotations

import base64
import secrets
from collections.abc import MutableMapping
from typing import Any


def new_csrf_token() -> str:
    """The session's CSRF secret; pages carry it masked (see `csrf_form_token`)."""
    return secrets.token_urlsafe(32)


def csrf_form_token(session: MutableMapping[str, Any]) -> str:
    """The session's secret under a fresh random mask, so a compressed page never repeats
    it byte for byte (BREACH). The secret is made on first use: only pages get a cookie."""
    if "csrf" not in session:
        session["csrf"] = new_csrf_token()
    secret = session["csrf"].encode()
    pad = secrets.token_bytes(len(secret))
    return base64.urlsafe_b64encode(pad + _xor(pad, secret)).decode()


def unmask(token: str) -> bytes:
    """The secret a form sent back; empty bytes for anything malformed."""
    try:
        raw = base64.urlsafe_b64decode(token.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return b""
    half = len(raw) // 2
    return _xor(raw[:half], raw[half:2 * half])


def _xor(left: bytes, right: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(left, right, strict=True))


class LazyFormToken:
    """The page's CSRF token, made only if the page shows it: a page without a form sets no
    session cookie, so the same page can be served to every anonymous visitor."""

    def __init__(self, session: MutableMapping[str, Any]) -> None:
        self._session = session
        self._value: str | None = None

    def __str__(self) -> str:
        if self._value is None:
            self._value = csrf_form_token(self._session)
        return self._value

    def __html__(self) -> str:
        return str(self)  # URL-safe base64: nothing to escape
