"""Browser fixtures: a real server and arq worker on a fresh PostgreSQL database, one Chromium."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, async_playwright

from tests.browser.support import SIMULATOR_TOKEN, SUMMARY, Server
from tests.servers import (
    background,
    create_database,
    delete_redis_keys,
    drop_database,
    free_port,
    run_harambee,
    wait_ready,
)

TEST_DB = os.environ.get("HARAMBEE_TEST_DB", "sqlite")
TEST_REDIS = os.environ.get("HARAMBEE_TEST_REDIS", "")
CHROMIUM = "/usr/bin/chromium"
# ARCHITECTURE.md, "Facts about the stack": Debian's Chromium, started with these flags.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Server]:
    """migrate, demo, then `harambee serve` and `harambee worker`, on a database of their own."""
    assert TEST_DB.startswith("postgres") and TEST_REDIS, "browser tests need the PostgreSQL pass"
    token = uuid.uuid4().hex[:10]
    name = f"harambee_browser_{token}"
    prefix = f"harambee-browser-{token}"
    var_dir = tmp_path_factory.mktemp("browser-var")
    base_url = f"http://127.0.0.1:{free_port()}"
    env = {
        **os.environ,
        "HARAMBEE_ENV": "development",
        "HARAMBEE_VAR": str(var_dir),
        "REDIS_URL": TEST_REDIS,
        "REDIS_PREFIX": prefix,
        "BASE_URL": base_url,
        "X_SIMULATOR_TOKEN": SIMULATOR_TOKEN,  # the simulator's controls, read by the tests
        "SMTP_URL": "",  # whatever the shell says: mail goes to <var>/outbox, read by the tests
        "PYTHONUNBUFFERED": "1",
    }
    env["DATABASE_URL"] = await create_database(TEST_DB, name)
    try:
        await asyncio.to_thread(run_harambee, "migrate", env=env)
        await asyncio.to_thread(run_harambee, "demo", "--if-empty", env=env)
        logs = {"serve": var_dir / "serve.log", "worker": var_dir / "worker.log"}
        port = base_url.rsplit(":", 1)[1]
        with background(["serve", "--port", port], env, logs["serve"]) as web, \
                background(["worker"], env, logs["worker"]) as worker:
            await wait_ready(base_url, {"serve": web, "worker": worker}, logs)
            yield Server(base_url=base_url, var_dir=var_dir,
                         database_url=env["DATABASE_URL"])
    finally:
        await drop_database(TEST_DB, name)
        await delete_redis_keys(TEST_REDIS, prefix)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = terminalreporter.config.stash.get(SUMMARY, [])
    if lines:
        terminalreporter.section("browser: pages crawled and their weight on the wire")
        for line in lines:
            terminalreporter.write_line(line)
