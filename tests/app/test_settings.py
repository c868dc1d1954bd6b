"""Configuration: read once; production refuses missing secrets and development defaults."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from app.settings import Env, SettingsError, load_settings

GOOD = {
    "HARAMBEE_ENV": "production",
    "SECRET_KEY": "k" * 48,
    "TOKEN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "DATABASE_URL": "postgres://harambee@db/harambee",
    "BASE_URL": "https://grants.example.org",
    "MAIL_FROM": "Harambee <grants@example.org>",
}


def test_development_generates_and_keeps_its_secrets(tmp_path: Path) -> None:
    first = load_settings({"HARAMBEE_VAR": str(tmp_path)})
    second = load_settings({"HARAMBEE_VAR": str(tmp_path)})
    assert first.env is Env.DEVELOPMENT
    assert str(first.secret_key) == str(second.secret_key)
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    Fernet(str(first.token_encryption_keys[0]))
    assert first.database_url.startswith("sqlite://") and first.redis_url is None


def test_production_starts_with_everything_set(tmp_path: Path) -> None:
    settings = load_settings({**GOOD, "HARAMBEE_VAR": str(tmp_path)})
    assert settings.production and not settings.argon2_cheap
    assert not (tmp_path / "secret_key").exists()
    assert "k" * 48 not in repr(settings)


@pytest.mark.parametrize(("change", "named"), [
    ({"SECRET_KEY": ""}, "SECRET_KEY is missing"),
    ({"SECRET_KEY": "dev-" + "x" * 40}, "SECRET_KEY is a development default"),
    ({"TOKEN_ENCRYPTION_KEYS": ""}, "TOKEN_ENCRYPTION_KEYS is missing"),
    ({"TOKEN_ENCRYPTION_KEYS": "not-a-key"}, "entry 1 is not a Fernet key"),
    ({"DATABASE_URL": "sqlite:///var/x.sqlite3"}, "SQLite"),
    ({"BASE_URL": "http://grants.example.org"}, "BASE_URL must be https"),
])
def test_production_refuses_and_says_which(tmp_path: Path, change: dict[str, str],
                                           named: str) -> None:
    with pytest.raises(SettingsError, match=named) as caught:
        load_settings({**GOOD, **change, "HARAMBEE_VAR": str(tmp_path)})
    assert "k" * 48 not in str(caught.value)


def test_token_keys_keep_their_order_newest_first(tmp_path: Path) -> None:
    keys = [Fernet.generate_key().decode() for _ in range(2)]
    settings = load_settings({**GOOD, "TOKEN_ENCRYPTION_KEYS": ",".join(keys),
                              "HARAMBEE_VAR": str(tmp_path)})
    assert [str(k) for k in settings.token_encryption_keys] == keys
