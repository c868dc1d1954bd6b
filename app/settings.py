"""One frozen Settings, read once from the environment; the only place that reads it."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from starlette.config import Config
from starlette.datastructures import Secret

from app.committed_keys import DEV_SECRET_MARK, was_committed

ROOT = Path(__file__).resolve().parent.parent


class Env(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class SettingsError(RuntimeError):
    """The environment cannot start Harambee; the message names every problem."""


@dataclass(frozen=True)
class Settings:
    env: Env
    database_url: str
    redis_url: str | None
    secret_key: Secret
    base_url: str
    smtp_url: Secret | None
    mail_from: str
    token_encryption_keys: tuple[Secret, ...]
    var_dir: Path
    redis_prefix: str = "harambee"
    x_client_id: str | None = None
    x_client_secret: Secret | None = None
    x_api_base_url: str = "https://api.x.com"
    x_web_url: str = "https://x.com"     # where people act on X (the repost intent)
    stripe_secret_key: Secret | None = None
    stripe_publishable_key: str | None = None
    stripe_webhook_secret: Secret | None = None
    stripe_api_base: str = "https://api.stripe.com"
    max_body_bytes: int = 256 * 1024
    max_upload_bytes: int = 10 * 1024 * 1024
    login_attempts: int = 5
    login_window_seconds: int = 15 * 60
    argon2_cheap: bool = field(default=False)
    x_simulator: bool = False  # development without X credentials: the simulator at /x-sim
    x_simulator_token: Secret | None = None  # what the simulator's /_sim controls ask for
    x_reposts_per_second: float = 50.0   # the app's ceiling for reposts, shared by workers
    fanout_lanes: int = 2                # fan-out jobs per broadcast (workers may share it)
    fanout_concurrency: int = 50         # calls in flight per lane: hides X's latency
    fanout_lease_seconds: float = 60.0   # a dead worker's claims come back after this

    @property
    def production(self) -> bool:
        return self.env is Env.PRODUCTION

    @property
    def outbox_dir(self) -> Path:
        return self.var_dir / "outbox"

    @property
    def queue_name(self) -> str:
        return f"{self.redis_prefix}:queue"


def _dev_secret(var_dir: Path, name: str, make: str) -> str:
    """A development secret kept in var/ so restarts keep sessions and encrypted tokens;
    one that was committed to the repository (an old clone's) is replaced."""
    path = var_dir / name
    var_dir.mkdir(parents=True, exist_ok=True)
    if path.exists() and was_committed(path.read_text()):
        path.unlink()
    try:  # created 0600 in one step: never readable by others, even for a moment
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as secret_file:
        secret_file.write(DEV_SECRET_MARK + make)
    return path.read_text().strip()


def _fernet_key() -> str:
    return Fernet.generate_key().decode()


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the environment once; production refuses missing secrets and development defaults."""
    config = Config(environ=dict(os.environ if environ is None else environ))
    env = Env(config("HARAMBEE_ENV", default="development"))
    var_dir = Path(config("HARAMBEE_VAR", default=str(ROOT / "var")))
    problems: list[str] = []

    secret_key = config("SECRET_KEY", default="")
    keys = config("TOKEN_ENCRYPTION_KEYS", default="")
    if env is Env.PRODUCTION:
        problems += _production_problems(config, secret_key, keys)
    else:
        secret_key = secret_key or _dev_secret(var_dir, "secret_key", secrets.token_urlsafe(48))
        keys = keys or _dev_secret(var_dir, "token_keys", _fernet_key())[len(DEV_SECRET_MARK) :]
    if problems:
        raise SettingsError("Harambee cannot start in production: " + "; ".join(problems))

    smtp_url = config("SMTP_URL", default="")
    base_url = config("BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
    return Settings(
        env=env,
        database_url=config("DATABASE_URL", default=f"sqlite://{var_dir / 'harambee.sqlite3'}"),
        redis_url=config("REDIS_URL", default="") or None,
        secret_key=Secret(secret_key),
        base_url=base_url,
        smtp_url=Secret(smtp_url) if smtp_url else None,
        mail_from=config("MAIL_FROM", default="Harambee <no-reply@harambee.localhost>"),
        token_encryption_keys=tuple(Secret(k.strip()) for k in keys.split(",") if k.strip()),
        var_dir=var_dir,
        redis_prefix=config("REDIS_PREFIX", default="harambee"),
        **_x_settings(config, env, base_url, var_dir),
        x_reposts_per_second=float(config("X_REPOSTS_PER_SECOND", default="50")),
        fanout_lanes=int(config("FANOUT_LANES", default="2")),
        fanout_concurrency=int(config("FANOUT_CONCURRENCY", default="50")),
        fanout_lease_seconds=float(config("FANOUT_LEASE_SECONDS", default="60")),
        stripe_secret_key=_optional_secret(config("STRIPE_SECRET_KEY", default="")),
        stripe_publishable_key=config("STRIPE_PUBLISHABLE_KEY", default="") or None,
        stripe_webhook_secret=_optional_secret(config("STRIPE_WEBHOOK_SECRET", default="")),
        stripe_api_base=config("STRIPE_API_BASE", default="https://api.stripe.com"),
        argon2_cheap=env is Env.TEST,
    )


SIMULATOR_CLIENT = ("harambee-dev", "dev-simulator-secret")


def _x_settings(config: Config, env: Env, base_url: str, var_dir: Path) -> dict[str, Any]:
    """X's app credentials; in development without them, the simulator mounted at /x-sim,
    whose controls (`/x-sim/_sim/...`) ask for a token of this machine's."""
    client_id = config("X_CLIENT_ID", default="")
    if not client_id and env is Env.DEVELOPMENT:
        token = config("X_SIMULATOR_TOKEN", default="") or _dev_secret(
            var_dir, "x_simulator_token", secrets.token_urlsafe(24))
        return {"x_client_id": SIMULATOR_CLIENT[0],
                "x_client_secret": Secret(SIMULATOR_CLIENT[1]),
                "x_api_base_url": base_url + "/x-sim", "x_web_url": base_url + "/x-sim",
                "x_simulator": True, "x_simulator_token": Secret(token)}
    return {"x_client_id": client_id or None,
            "x_client_secret": _optional_secret(config("X_CLIENT_SECRET", default="")),
            "x_api_base_url": config("X_API_BASE_URL", default="https://api.x.com"),
            "x_web_url": config("X_WEB_URL", default="https://x.com")}


def _optional_secret(value: str) -> Secret | None:
    return Secret(value) if value else None


def _production_problems(config: Config, secret_key: str, keys: str) -> list[str]:
    problems = []
    if not secret_key:
        problems.append("SECRET_KEY is missing")
    elif secret_key.startswith(DEV_SECRET_MARK) or len(secret_key) < 32:
        problems.append("SECRET_KEY is a development default or shorter than 32 characters")
    elif was_committed(secret_key):
        problems.append("SECRET_KEY was committed to the repository once: generate a new one")
    if not keys:
        problems.append("TOKEN_ENCRYPTION_KEYS is missing")
    else:
        for index, key in enumerate(k.strip() for k in keys.split(",")):
            if was_committed(key):
                problems.append(f"TOKEN_ENCRYPTION_KEYS entry {index + 1} was committed to the "
                                "repository once: generate a new one")
                continue
            try:
                Fernet(key)
            except ValueError:
                problems.append(f"TOKEN_ENCRYPTION_KEYS entry {index + 1} is not a Fernet key")
    for name in ("DATABASE_URL", "BASE_URL", "MAIL_FROM"):
        if not config(name, default=""):
            problems.append(f"{name} is missing")
    if config("DATABASE_URL", default="").startswith("sqlite"):
        problems.append("DATABASE_URL points at SQLite, the development default")
    if config("BASE_URL", default="").startswith("http://"):
        problems.append("BASE_URL must be https")
    return problems
