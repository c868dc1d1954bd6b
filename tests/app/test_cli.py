"""The `harambee` command, run as a real process against the test database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from app.accounts.models import User
from app.orgs.models import Membership, Organisation, Role
from app.settings import Settings


def harambee(settings: Settings, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {"HARAMBEE_ENV": "test", "HARAMBEE_VAR": str(settings.var_dir),
           "DATABASE_URL": settings.database_url, "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


async def test_create_org_user_and_token_from_the_command_line(
        settings: Settings, client: httpx.AsyncClient) -> None:
    assert harambee(settings, "create-org", "kivu-tea", "Kivu Tea Fund").returncode == 0
    again = harambee(settings, "create-org", "kivu-tea", "Again")
    assert again.returncode == 1 and "already exists" in again.stderr

    made = harambee(settings, "create-user", "Staff@Example.org", "--org", "kivu-tea",
                    "--role", "staff", stdin="a long enough password\n")
    assert made.returncode == 0, made.stderr
    user = await User.get(email="staff@example.org")
    assert user.is_verified and "a long enough password" not in user.password_hash
    membership = await Membership.get(user=user, organisation__slug="kivu-tea")
    assert membership.role is Role.STAFF

    short = harambee(settings, "create-user", "x@example.org", "--org", "kivu-tea", "--role",
                     "staff", stdin="short\n")
    assert short.returncode == 2 and "10 characters" in short.stderr

    token = harambee(settings, "token", "create", "staff@example.org")
    assert token.returncode == 0
    secret = token.stdout.strip()
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and me.json()["email"] == "staff@example.org"


async def test_demo_data_loads_once(settings: Settings) -> None:
    first = harambee(settings, "demo", "--if-empty")
    assert first.returncode == 0, first.stderr
    count = await User.filter().count()
    assert count >= 4 and await Organisation.exists(slug="mlima-growers-fund")
    second = harambee(settings, "demo", "--if-empty")
    assert second.returncode == 0 and "already has data" in second.stdout
    assert await User.filter().count() == count


async def test_migrate_is_idempotent(settings: Settings) -> None:
    result = harambee(settings, "migrate")
    assert result.returncode == 0 and "Migrations applied" in result.stdout


def test_production_without_secrets_says_which(settings: Settings) -> None:
    result = subprocess.run([sys.executable, "-m", "app.cli", "migrate"],
                            env={"HARAMBEE_ENV": "production", "PATH": "/usr/bin:/bin"},
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert "SECRET_KEY is missing" in result.stderr and "Traceback" not in result.stderr


async def test_create_user_never_takes_over_an_existing_account(settings: Settings) -> None:
    from tests.helpers import make_org, make_user

    user = await make_user(email="lucia@example.org")
    await make_org(slug="kivu-tea", owner=user)
    result = harambee(settings, "create-user", "lucia@example.org", "--org", "kivu-tea",
                      "--role", "reviewer", stdin="someone else's password\n")
    assert result.returncode == 0 and "password is unchanged" in result.stdout
    assert "is owner of kivu-tea" in result.stdout
    assert (await User.get(id=user.id)).password_hash == user.password_hash
    assert (await Membership.get(user=user)).role is Role.OWNER


def test_a_failing_command_exits_instead_of_hanging(settings: Settings, tmp_path: Path) -> None:
    broken = tmp_path / "not-a-database.sqlite3"
    broken.write_bytes(b"this is not SQLite" * 100)
    env = {"HARAMBEE_ENV": "test", "HARAMBEE_VAR": str(tmp_path),
           "DATABASE_URL": f"sqlite://{broken}", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "app.cli", "migrate"], env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1 and "file is not a database" in result.stderr
    assert "Traceback" not in result.stderr
