"""Browser fixtures: a real server and arq worker on a fresh PostgreSQL database, one Chromium."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from playwright.async_api import Browser, async_playwright
from redis.asyncio import Redis

from tests.browser.support import SUMMARY, Server

TEST_DB = os.environ.get("HARAMBEE_TEST_DB", "sqlite")
TEST_REDIS = os.environ.get("HARAMBEE_TEST_REDIS", "")
HARAMBEE = Path(sys.executable).parent / "harambee"
CHROMIUM = "/usr/bin/chromium"
# ARCHITECTURE.md, "Facts about the stack": Debian's Chromium, started with these flags.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
READY_SECONDS = 30.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def _admin(sql: str) -> None:
    connection = await asyncpg.connect(TEST_DB.replace("postgres://", "postgresql://", 1))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def _delete_redis_keys(prefix: str) -> None:
    redis = Redis.from_url(TEST_REDIS)
    try:
        keys = [key async for key in redis.scan_iter(f"*{prefix}*")]
        if keys:
            await redis.delete(*keys)
    finally:
        await redis.aclose()


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}"


def _tail(log: Path) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-30:]) if log.exists() else ""


@contextlib.contextmanager
def _background(command: list[str], env: dict[str, str],
                log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A process whose output goes to `log`; terminated (then killed) and reaped at the end."""
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def _wait_ready(base_url: str, processes: dict[str, subprocess.Popen[bytes]],
                      logs: dict[str, Path]) -> None:
    deadline = asyncio.get_running_loop().time() + READY_SECONDS
    async with httpx.AsyncClient(base_url=base_url, timeout=2) as http:
        while True:
            for name, process in processes.items():
                if process.poll() is not None:
                    raise AssertionError(f"harambee {name} exited early:\n{_tail(logs[name])}")
            with contextlib.suppress(httpx.TransportError):
                if (await http.get("/readyz")).status_code == 200:
                    return
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"/readyz never answered 200:\n{_tail(logs['serve'])}")
            await asyncio.sleep(0.1)


@pytest.fixture(scope="session")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Server]:
    """migrate, demo, then `harambee serve` and `harambee worker`, on a database of their own."""
    assert TEST_DB.startswith("postgres") and TEST_REDIS, "browser tests need the PostgreSQL pass"
    token = uuid.uuid4().hex[:10]
    name = f"harambee_browser_{token}"
    prefix = f"harambee-browser-{token}"
    var_dir = tmp_path_factory.mktemp("browser-var")
    base_url = f"http://127.0.0.1:{_free_port()}"
    env = {
        **os.environ,
        "HARAMBEE_ENV": "development",
        "HARAMBEE_VAR": str(var_dir),
        "DATABASE_URL": TEST_DB.rsplit("/", 1)[0] + f"/{name}",
        "REDIS_URL": TEST_REDIS,
        "REDIS_PREFIX": prefix,
        "BASE_URL": base_url,
        "PYTHONUNBUFFERED": "1",
    }
    await _admin(f'CREATE DATABASE "{name}"')
    try:
        await asyncio.to_thread(_run, [str(HARAMBEE), "migrate"], env)
        await asyncio.to_thread(_run, [str(HARAMBEE), "demo", "--if-empty"], env)
        logs = {"serve": var_dir / "serve.log", "worker": var_dir / "worker.log"}
        port = base_url.rsplit(":", 1)[1]
        with _background([str(HARAMBEE), "serve", "--port", port], env, logs["serve"]) as web, \
                _background([str(HARAMBEE), "worker"], env, logs["worker"]) as worker:
            await _wait_ready(base_url, {"serve": web, "worker": worker}, logs)
            yield Server(base_url=base_url, var_dir=var_dir)
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await _delete_redis_keys(prefix)


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
