"""Tortoise registration, the model modules, migrations, and one transaction per use case."""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.queryset import ValuesQuery
from tortoise.transactions import in_transaction

from app.registry import MODEL_MODULES

logger = logging.getLogger(__name__)
AfterCommit = Callable[[], Awaitable[None]]
_after_commit: contextvars.ContextVar[list[AfterCommit] | None] = contextvars.ContextVar(
    "after_commit", default=None
)
# The outermost transactions this task opens, while app/query_log.py asks.
transactions_opened: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "transactions_opened", default=None
)


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": expand_db_url(database_url)},
        "apps": {
            "models": {
                "models": list(MODEL_MODULES),
                "default_connection": "default",
                "migrations": "migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


@asynccontextmanager
async def atomic() -> AsyncIterator[None]:
    """Open the use case's transaction; callbacks given to `after_commit` run once it commits.

    A nested `atomic()` is a savepoint inside the outer one: its callbacks join the outer
    list only if it succeeds, and run when the outermost block commits.
    """
    outer = _after_commit.get()
    counter = transactions_opened.get()
    if outer is None and counter is not None:
        counter.append("atomic()")
    pending: list[AfterCommit] = []
    token = _after_commit.set(pending)
    try:
        async with in_transaction():
            yield
    finally:
        _after_commit.reset(token)
    if outer is not None:
        outer.extend(pending)
        return
    for callback in pending:
        await _run_after_commit(callback)


async def _run_after_commit(callback: AfterCommit) -> None:
    """The change is committed: a failure here (Redis away) must not turn it into an error
    page for a change that did happen, nor stop the other callbacks."""
    try:
        await callback()
    except Exception:
        logger.exception("after-commit callback %r failed", callback)


def in_atomic() -> bool:
    """Whether this task is inside an `atomic()` block."""
    return _after_commit.get() is not None


async def after_commit(callback: AfterCommit) -> None:
    """Run `callback` after the surrounding `atomic()` commits (dropped on rollback), or now."""
    pending = _after_commit.get()
    if pending is None:
        await callback()
    else:
        pending.append(callback)


class DatabaseUnavailable(RuntimeError):
    """The configured database cannot be opened; the message says which and why."""


def preflight(database_url: str) -> None:
    """Open a SQLite file once with the standard library, creating its folder.

    If tortoise's first connection fails, its connection lock stays held and every later
    query waits forever; checking first turns that hang into a clear error.
    """
    if not is_sqlite(database_url) or ":memory:" in database_url:
        return
    path = Path(database_url.split("://", 1)[1].split("?", 1)[0])
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with contextlib.closing(sqlite3.connect(path)) as connection:
            connection.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DatabaseUnavailable(f"cannot open the SQLite database {path}: {exc}") from exc


async def init_db(database_url: str) -> None:
    preflight(database_url)
    # tortoise keeps each model's INSERT statement by connection name, not by database: a
    # process that opens another database under the same name (the bench's scenarios, SQLite
    # then PostgreSQL) would reuse the other dialect's statements
    EXECUTOR_CACHE.clear()
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_db() -> None:
    await Tortoise.close_connections()


async def migrate(database_url: str) -> None:
    """Apply every migration in migrations/ (tortoise's built-in migrator)."""
    from tortoise.migrations.api.migrate import migrate as run_migrations

    preflight(database_url)
    try:
        await run_migrations(config=tortoise_config(database_url))
    finally:  # an open SQLite connection's thread would keep a failed command alive
        await Tortoise.close_connections()


def is_sqlite(database_url: str) -> bool:
    return database_url.startswith("sqlite")


# What `harambee makemigrations` hands to tortoise's autodetector: no database is touched.
MIGRATIONS_CONFIG = tortoise_config("sqlite://:memory:")


async def raw_rows(query: ValuesQuery[Any]) -> list[dict[str, Any]]:
    """A `.values(...)` query's rows as the driver returns them, without tortoise's
    conversion to Python values: reading tens of thousands of dates, tortoise's parser costs
    more than the query (SQLite gives ISO text, PostgreSQL native values). The caller
    converts what it reads (`as_date`, `as_datetime`, `as_json`)."""
    query._choose_db_if_not_chosen()
    query._make_query()
    rows: list[dict[str, Any]] = await query._db.execute_query_dict(
        *query.query.get_parameterized_sql())
    return rows


def as_date(value: Any) -> date:
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def as_datetime(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def as_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value
