"""Signed links expire, are bound to their purpose, and cannot be forged."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.accounts import tokens
from app.settings import load_settings


def test_links_expire_and_keep_to_their_purpose(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings({"HARAMBEE_VAR": str(tmp_path)})
    fresh = tokens.sign(settings, tokens.RESET_PASSWORD, {"uid": 1})
    assert tokens.unsign(settings, tokens.RESET_PASSWORD, fresh) == {"uid": 1}
    assert tokens.unsign(settings, tokens.VERIFY_EMAIL, fresh) is None
    assert tokens.unsign(settings, tokens.RESET_PASSWORD, fresh[:-2] + "xx") is None

    two_hours_ago = time.time() - 2 * 3600
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: two_hours_ago)
    old = tokens.sign(settings, tokens.RESET_PASSWORD, {"uid": 1})
    monkeypatch.undo()
    assert tokens.unsign(settings, tokens.RESET_PASSWORD, old) is None  # one hour at most

    other = load_settings({"HARAMBEE_VAR": str(tmp_path / "elsewhere")})
    assert tokens.unsign(other, tokens.RESET_PASSWORD, fresh) is None  # another secret key
