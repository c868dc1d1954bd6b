"""No secret in git: nothing in var/ is tracked; production refuses every key once committed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from app.committed_keys import COMMITTED_KEY_SHA256, key_digest, was_committed
from app.settings import ROOT, SettingsError, load_settings
from tests.app.test_settings import GOOD


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout


def _committed_var_files() -> list[tuple[str, str]]:
    """(commit, path) of every version of a file under var/ in the repository's history."""
    found = []
    for commit in _git("log", "--all", "--format=%H", "--", "var/").split():
        for path in _git("show", "--name-only", "--format=", commit, "--", "var/").split():
            found.append((commit, path))
    return found


def test_git_tracks_nothing_under_var() -> None:
    assert _git("ls-files", "var/") == ""


def test_the_history_is_there_to_check() -> None:
    assert len(_committed_var_files()) >= 2, "a shallow clone hides the committed keys"


@pytest.mark.parametrize(("commit", "path"), _committed_var_files())
def test_every_key_ever_committed_is_in_the_refused_list(commit: str, path: str) -> None:
    shown = subprocess.run(["git", "show", f"{commit}:{path}"], cwd=ROOT, capture_output=True,
                           text=True, check=False)
    if shown.returncode != 0:  # the commit that deleted it
        return
    assert key_digest(shown.stdout) in COMMITTED_KEY_SHA256, f"{path} of {commit[:8]}"


@pytest.mark.parametrize("mark", ["dev-", ""])
def test_production_refuses_the_committed_keys_with_or_without_their_mark(
    tmp_path: Path, mark: str
) -> None:
    old_secret, old_tokens = (_git("show", f"ec0024a:var/{name}").strip().removeprefix("dev-")
                              for name in ("secret_key", "token_keys"))
    with pytest.raises(SettingsError, match="SECRET_KEY") as caught:
        load_settings({**GOOD, "SECRET_KEY": mark + old_secret, "HARAMBEE_VAR": str(tmp_path)})
    assert old_secret not in str(caught.value)
    with pytest.raises(SettingsError, match="entry 2 was committed") as caught:
        load_settings({**GOOD, "TOKEN_ENCRYPTION_KEYS": f"{GOOD['TOKEN_ENCRYPTION_KEYS']},"
                                                        f"{old_tokens}",
                       "HARAMBEE_VAR": str(tmp_path)})
    assert old_tokens not in str(caught.value)


def test_development_secrets_are_created_private(tmp_path: Path) -> None:
    load_settings({"HARAMBEE_VAR": str(tmp_path)})
    for name in ("secret_key", "token_keys"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600


def test_an_old_clones_committed_keys_are_replaced_in_development(tmp_path: Path) -> None:
    for name in ("secret_key", "token_keys"):
        (tmp_path / name).write_text(_git("show", f"ec0024a:var/{name}"))
    settings = load_settings({"HARAMBEE_VAR": str(tmp_path)})
    assert not was_committed(str(settings.secret_key))
    assert not was_committed(str(settings.token_encryption_keys[0]))
    again = load_settings({"HARAMBEE_VAR": str(tmp_path)})
    assert str(again.secret_key) == str(settings.secret_key)  # kept from then on
