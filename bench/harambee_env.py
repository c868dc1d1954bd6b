"""A throwaway Harambee instance: its environment, migrations and demo data in a fresh var dir."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bench.servers import ROOT

# Anything that would point the instance elsewhere than SQLite in its own var dir.
DROPPED = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "TOKEN_ENCRYPTION_KEYS")
CLI = Path(sys.executable).parent / "harambee"


def harambee_env(var_dir: Path) -> dict[str, str]:
    """The process environment with SQLite and the embedded job runner in `var_dir`."""
    env = {name: value for name, value in os.environ.items() if name not in DROPPED}
    env.update(HARAMBEE_ENV="development", HARAMBEE_VAR=str(var_dir))
    return env


def prepare(env: dict[str, str]) -> None:
    """Apply migrations and load the demo data, as `make run` does."""
    for args in (["migrate"], ["demo", "--if-empty"]):
        done = subprocess.run([str(CLI), *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, check=False, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"harambee {' '.join(args)} failed ({done.returncode}):\n"
                               f"{done.stdout}{done.stderr}")
