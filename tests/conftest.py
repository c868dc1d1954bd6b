"""Test fixtures: one database per pass (SQLite or PostgreSQL), emptied after every test;
per-test Redis prefix and arq queue; the app with its real job runner (embedded or arq)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send
from tortoise import Tortoise, connections
from tortoise.backends.base.client import BaseDBAsyncClient

from app import queue
from app.db import init_db, migrate
from app.main import create_app, services
from app.query_log import count_transactions
from app.settings import Settings, load_settings
from tests.servers import create_database, delete_redis_keys, drop_database

TEST_DB = os.environ.get("HARAMBEE_TEST_DB", "sqlite")
TEST_REDIS = os.environ.get("HARAMBEE_TEST_REDIS", "")
ON_POSTGRES = TEST_DB.startswith("postgres")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked for the other backend must be deselected by the pass, never skipped."""
    wrong = "sqlite_only" if ON_POSTGRES else "postgres_only"
    leaked = [item.nodeid for item in items if item.get_closest_marker(wrong)]
    if leaked:
        raise pytest.UsageError(f"deselect -m 'not {wrong}' in this pass; selected: {leaked[:3]}")


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """The pass's database, built by the committed migrations, dropped at the end."""
    if ON_POSTGRES:
        name = f"harambee_test_{uuid.uuid4().hex[:10]}"
        url = await create_database(TEST_DB, name)
    else:
        name, url = "", f"sqlite://{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    try:
        await migrate(url)
        await init_db(url)
        yield url
        await Tortoise.close_connections()
    finally:
        if ON_POSTGRES:
            await drop_database(TEST_DB, name)


async def _empty_tables() -> None:
    connection = connections.get("default")
    tables = [model._meta.db_table for model in Tortoise.apps["models"].values()]
    if ON_POSTGRES:
        await connection.execute_script(await _postgres_wipe(connection, tables))
    else:
        # Rows that RESTRICT their parents' deletion (a decision's application) go in any order.
        await connection.execute_script(
            "PRAGMA foreign_keys = OFF;"
            + "".join(f'DELETE FROM "{table}";' for table in tables)
            + "DELETE FROM sqlite_sequence; PRAGMA foreign_keys = ON;"
        )


_WIPE: list[str] = []


async def _postgres_wipe(connection: BaseDBAsyncClient, tables: list[str]) -> str:
    """SQL that empties every table and restarts every sequence. TRUNCATE makes new files
    for 45 tables and took 215 ms a test; deleting the few rows a test leaves takes 5 ms.
    Foreign keys are not checked meanwhile (a superuser's replica role), since every table
    is emptied; a test role that is no superuser keeps TRUNCATE."""
    if not _WIPE:
        [role] = await connection.execute_query_dict(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        sequences = [row["relname"] for row in await connection.execute_query_dict(
            "SELECT sequencename AS relname FROM pg_sequences "
            "WHERE schemaname = current_schema()")]
        if role["rolsuper"]:
            _WIPE.append(
                "BEGIN; SET LOCAL session_replication_role = replica;"
                + "".join(f'DELETE FROM "{table}";' for table in tables)
                + "".join(f"SELECT setval('\"{name}\"', 1, false);" for name in sequences)
                + "COMMIT;")
        else:
            joined = ", ".join(f'"{table}"' for table in tables)
            _WIPE.append(f"TRUNCATE {joined} RESTART IDENTITY CASCADE")
    return _WIPE[0]


@pytest.fixture
async def settings(database_url: str, tmp_path: Path) -> AsyncIterator[Settings]:
    prefix = f"harambee-test-{uuid.uuid4().hex[:12]}"
    environ = {
        "HARAMBEE_ENV": "test",
        "HARAMBEE_VAR": str(tmp_path / "var"),
        "DATABASE_URL": database_url,
        "REDIS_PREFIX": prefix,
        "BASE_URL": "http://testserver",
    }
    if ON_POSTGRES:
        environ["REDIS_URL"] = TEST_REDIS
    yield load_settings(environ)
    await _empty_tables()
    if ON_POSTGRES:
        await delete_redis_keys(TEST_REDIS, prefix)


async def start_services(app: Starlette, settings: Settings,
                         registry: queue.Registry | None = None) -> contextlib.AsyncExitStack:
    """The app's throttle and job backend, and the job runner: arq worker or embedded runner."""
    stack = contextlib.AsyncExitStack()
    await stack.enter_async_context(services(app, settings, registry))
    if settings.redis_url:
        from app.worker import build_worker

        worker = build_worker(settings, registry or queue.collect(), own_db=False,
                              poll_delay=0.02, handle_signals=False)
        task = asyncio.create_task(worker.async_run())

        async def stop() -> None:
            # Let the worker finish its poll and return (as a burst worker with nothing left
            # to start): cancelling it mid-command leaks Redis connections.
            worker.burst = True
            worker.max_burst_jobs = 0
            await asyncio.wait_for(task, timeout=30)
            await worker.close()

        stack.push_async_callback(stop)
    return stack


UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class OneTransactionPerRequest:
    """Every unsafe request the suite sends, with the data each test gives it, opens at most
    one transaction: the handler parses, calls one use case, renders or redirects."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE:
            await self.app(scope, receive, send)
            return
        with count_transactions() as opened:
            await self.app(scope, receive, send)
        if len(opened) <= 1:
            return
        endpoint = scope.get("endpoint")
        where = getattr(endpoint, "__module__", "?") + "." + getattr(endpoint, "__qualname__", "?")
        message = (f"{scope['method']} {scope['path']} ({where}) opened {len(opened)} "
                   f"transactions ({', '.join(opened)}): one request is one use case in one "
                   "transaction")
        raise AssertionError(message)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Starlette]:
    application = create_app(settings)
    application.add_middleware(OneTransactionPerRequest)
    stack = await start_services(application, settings)
    async with stack:
        yield application


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("10.1.2.3", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
