"""Signed, expiring tokens for links sent by mail, and random secrets stored as hashes."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.settings import Settings

VERIFY_EMAIL = "verify-email"
RESET_PASSWORD = "reset-password"
INVITATION = "invitation"
COOP_INVITATION = "coop-invitation"
PLEDGE = "pledge"  # a supporter manages their pledge through it (no account needed)
DEVICE = "device"  # a browser that signed in to an account before (the device cookie)
MAX_AGE = {VERIFY_EMAIL: 7 * 24 * 3600, RESET_PASSWORD: 3600, INVITATION: 14 * 24 * 3600,
           COOP_INVITATION: 14 * 24 * 3600, PLEDGE: 400 * 24 * 3600, DEVICE: 365 * 24 * 3600}


def _serializer(settings: Settings, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(str(settings.secret_key), salt=f"harambee.{purpose}")


def sign(settings: Settings, purpose: str, payload: dict[str, Any]) -> str:
    return str(_serializer(settings, purpose).dumps(payload))


def unsign(settings: Settings, purpose: str, token: str) -> dict[str, Any] | None:
    """The payload, or None when the token is forged, for another purpose, or expired."""
    try:
        payload = _serializer(settings, purpose).loads(token, max_age=MAX_AGE[purpose])
    except BadSignature:
        return None
    return payload if isinstance(payload, dict) else None


def fingerprint(value: str) -> str:
    """A short digest, so a reset link dies once the password it was sent for changes."""
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def hash_secret(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
