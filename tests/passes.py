"""`make test`: lint, types, import contracts, then the suite twice: SQLite with the embedded
job runner, and PostgreSQL + Redis with a real arq worker (browser tests in that pass only)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time

import asyncpg
from redis.asyncio import Redis

PG_URL = os.environ.get("HARAMBEE_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("HARAMBEE_TEST_REDIS", "redis://127.0.0.1:6379/0")
CI = os.environ.get("CI", "").lower() == "true"
BIN = os.path.dirname(sys.executable)


def step(title: str, command: list[str], env: dict[str, str] | None = None) -> float:
    print(f"\n==> {title}: {' '.join(command)}", flush=True)
    start = time.monotonic()
    result = subprocess.run(command, env={**os.environ, **(env or {})}, check=False)
    elapsed = time.monotonic() - start
    print(f"==> {title}: {'passed' if result.returncode == 0 else 'FAILED'} in {elapsed:.0f}s",
          flush=True)
    if result.returncode != 0:
        sys.exit(result.returncode)
    return elapsed


async def _reachable() -> list[str]:
    problems = []
    try:
        connection = await asyncpg.connect(PG_URL.replace("postgres://", "postgresql://", 1),
                                           timeout=5)
        await connection.close()
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        problems.append(f"PostgreSQL at {PG_URL} is unreachable ({exc})")
    redis = Redis.from_url(REDIS_URL, socket_connect_timeout=5)
    try:
        await redis.ping()
    except (OSError, ConnectionError, TimeoutError) as exc:
        problems.append(f"Redis at {REDIS_URL} is unreachable ({exc})")
    finally:
        await redis.aclose()
    return problems


def main() -> None:
    pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *sys.argv[1:]]
    durations = {
        "ruff": step("ruff", [f"{BIN}/ruff", "check", "."]),
        "mypy --strict": step("mypy --strict", [f"{BIN}/mypy"]),
        "import contracts": step("import contracts (pyproject.toml)", [f"{BIN}/lint-imports"]),
        "SQLite pass": step("SQLite pass (embedded job runner)",
                            [*pytest, "-m", "not postgres_only and not browser"],
                            {"HARAMBEE_TEST_DB": "sqlite"}),
    }
    problems = asyncio.run(_reachable())
    if problems:
        message = "; ".join(problems)
        if CI:
            sys.exit(f"CI=true and the PostgreSQL pass cannot run: {message}")
        print(f"\n!!! PostgreSQL pass NOT RUN: {message}. Start them to run it.", flush=True)
    else:
        marker = "not sqlite_only"
        if shutil.which("chromium") is None:
            if CI:
                sys.exit("CI=true and /usr/bin/chromium is missing (apt-get install chromium)")
            print("\n!!! chromium is missing: browser tests deselected "
                  "(apt-get install chromium to run them)", flush=True)
            marker += " and not browser"
        durations["PostgreSQL pass"] = step(
            "PostgreSQL pass (Redis, arq worker, browser)", [*pytest, "-m", marker],
            {"HARAMBEE_TEST_DB": PG_URL, "HARAMBEE_TEST_REDIS": REDIS_URL})
    print("\n==> durations: " + ", ".join(f"{k} {v:.0f}s" for k, v in durations.items()))


if __name__ == "__main__":
    main()
