"""Stored secrets are encrypted, and survive a key rotation."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from app.crypto import SecretBox
from app.settings import load_settings


def box(tmp_path: Path, *keys: str) -> SecretBox:
    return SecretBox(load_settings({"HARAMBEE_VAR": str(tmp_path),
                                    "TOKEN_ENCRYPTION_KEYS": ",".join(keys)}))


def test_encrypted_tokens_survive_a_key_rotation(tmp_path: Path) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    stored = box(tmp_path, old).encrypt("oauth-access-token")
    assert "oauth-access-token" not in stored
    rotated_box = box(tmp_path, new, old)
    assert rotated_box.decrypt(stored) == "oauth-access-token"
    rotated = rotated_box.rotate(stored)
    assert box(tmp_path, new).decrypt(rotated) == "oauth-access-token"
    with pytest.raises(ValueError, match="cannot be decrypted") as caught:
        box(tmp_path, new).decrypt(stored)
    assert "oauth-access-token" not in str(caught.value)
