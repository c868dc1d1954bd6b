"""`make run` hands the server and its worker the address it listens on, for links in mails."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from app.settings import ROOT

RECORDER = """#!/bin/sh
calls="$(dirname "$0")/calls"
echo "$1 $BASE_URL" >> "$calls"
if [ "$1" = serve ] && [ -n "$REDIS_URL" ]; then  # the worker is noted before it is stopped
  for _ in $(seq 50); do grep -q '^worker' "$calls" && exit 0; sleep 0.1; done
fi
"""


def _make_run(tmp_path: Path, *args: str, **env: str) -> list[str]:
    """Run the Makefile's real `run` recipe with a `harambee` that notes what it was given."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    for name in ("harambee", "uv", "python"):
        tool = venv / "bin" / name
        tool.write_text(RECORDER)
        tool.chmod(0o755)
    for stamp in (".installed", ".installed-dev"):
        (venv / stamp).touch()  # newer than pyproject.toml and uv.lock: nothing to install
    environ = {key: value for key, value in os.environ.items()
               if key not in {"BASE_URL", "REDIS_URL", "MAKEFLAGS"}}
    subprocess.run(["make", "--no-print-directory", "-s", "run", f"VENV={venv}", *args],
                   cwd=ROOT, env={**environ, **env}, check=True, capture_output=True,
                   timeout=60)
    return (venv / "bin" / "calls").read_text().splitlines()


def test_links_follow_the_port(tmp_path: Path) -> None:
    calls = _make_run(tmp_path, "PORT=8123")
    assert calls == [f"{command} http://127.0.0.1:8123" for command in ("migrate", "demo",
                                                                        "serve")]


def test_the_worker_gets_the_same_address(tmp_path: Path) -> None:
    calls = _make_run(tmp_path, "PORT=8124", REDIS_URL="redis://127.0.0.1:1/0")
    assert sorted(calls) == sorted(f"{command} http://127.0.0.1:8124" for command in
                                   ("migrate", "demo", "serve", "worker"))


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])  # noqa: S104
def test_listening_everywhere_links_to_the_loopback(tmp_path: Path, host: str) -> None:
    assert _make_run(tmp_path, f"HOST={host}", "PORT=8125")[-1] == "serve http://127.0.0.1:8125"


def test_a_base_url_that_is_set_wins(tmp_path: Path) -> None:
    calls = _make_run(tmp_path, "PORT=8126", BASE_URL="https://grants.example.org")
    assert calls[-1] == "serve https://grants.example.org"
