"""What the PostgreSQL scenarios share: a database of their own (created, migrated, dropped,
with its Redis keys), and a Harambee server on it."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.db import close_db, init_db, migrate
from bench.harambee_env import harambee_env
from bench.servers import serve
from tests.servers import create_database, delete_redis_keys, drop_database

SERVER_URL = os.environ.get("HARAMBEE_BENCH_DB", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("HARAMBEE_BENCH_REDIS", "redis://127.0.0.1:6379/0")


@dataclass(frozen=True)
class Database:
    url: str
    redis_prefix: str


@asynccontextmanager
async def database() -> AsyncIterator[Database | None]:
    """A fresh, migrated database, this process connected to it; None (said aloud) when
    PostgreSQL is not reachable, so the scenario is left out."""
    name = f"harambee_bench_{uuid.uuid4().hex[:10]}"
    prefix = f"harambee-bench-{uuid.uuid4().hex[:10]}"
    try:
        url = await create_database(SERVER_URL, name)
    except OSError as error:
        print(f"  PostgreSQL is not reachable at {SERVER_URL} ({error}): scenario skipped")
        yield None
        return
    try:
        await migrate(url)
        await init_db(url)
        yield Database(url, prefix)
    finally:
        await close_db()
        await drop_database(SERVER_URL, name)
        await delete_redis_keys(REDIS_URL, prefix)


@contextmanager
def harambee_server(db: Database, label: str, workers: int = 1) -> Iterator[str]:
    """Harambee under uvicorn (one worker unless told) on the database and Redis; its base
    URL."""
    with tempfile.TemporaryDirectory(prefix=f"harambee-bench-{label}-") as directory:
        env = {**harambee_env(Path(directory) / "var"), "DATABASE_URL": db.url,
               "REDIS_URL": REDIS_URL, "REDIS_PREFIX": db.redis_prefix}
        with serve("bench.harambee_app:app", factory=True, env=env, ready_path="/readyz",
                   log_path=Path(directory) / "server.log", workers=workers) as base_url:
            yield base_url
