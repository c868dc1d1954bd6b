"""Real processes and servers for tests: `harambee` subprocesses, PostgreSQL databases of
their own, and Redis keys cleaned up by prefix."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator, Mapping
from pathlib import Path

import asyncpg
import httpx
from redis.asyncio import Redis
from starlette.types import ASGIApp

HARAMBEE = Path(sys.executable).parent / "harambee"
READY_SECONDS = 30.0
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def admin_sql(server_url: str, sql: str) -> None:
    """Run `sql` on this PostgreSQL database (the maintenance one: CREATE/DROP DATABASE)."""
    connection = await asyncpg.connect(server_url.replace("postgres://", "postgresql://", 1))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def create_database(server_url: str, name: str) -> str:
    await admin_sql(server_url, f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"


async def drop_database(server_url: str, name: str) -> None:
    await admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def delete_redis_keys(redis_url: str, prefix: str) -> None:
    redis = Redis.from_url(redis_url)
    try:
        keys = [key async for key in redis.scan_iter(f"*{prefix}*")]
        if keys:
            await redis.delete(*keys)
    finally:
        await redis.aclose()


def run_harambee(*args: str, env: Mapping[str, str]) -> None:
    result = subprocess.run([str(HARAMBEE), *args], env=dict(env), capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, f"harambee {' '.join(args)} failed:\n{result.stdout}" \
        f"{result.stderr}"


def tail(log: Path) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-30:]) if log.exists() else ""


def _die_with_pytest() -> None:
    """Runs in the child before exec: if pytest is killed (a CI timeout) before its teardown,
    Linux sends the child SIGTERM instead of leaving it running."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@contextlib.contextmanager
def background(args: list[str], env: Mapping[str, str],
               log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`harambee <args>` with its output in `log`; terminated (then killed) and reaped."""
    with log.open("wb") as output:
        process = subprocess.Popen([str(HARAMBEE), *args], env=dict(env), stdout=output,
                                   stderr=subprocess.STDOUT, preexec_fn=_die_with_pytest)
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def wait_ready(base_url: str, processes: Mapping[str, subprocess.Popen[bytes]],
                     logs: Mapping[str, Path]) -> None:
    """Until /readyz answers 200; fails with the log of a process that exited early."""
    deadline = asyncio.get_running_loop().time() + READY_SECONDS
    async with httpx.AsyncClient(base_url=base_url, timeout=2) as http:
        while True:
            for name, process in processes.items():
                if process.poll() is not None:
                    raise AssertionError(f"harambee {name} exited early:\n{tail(logs[name])}")
            with contextlib.suppress(httpx.TransportError):
                if (await http.get("/readyz")).status_code == 200:
                    return
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"/readyz never answered 200:\n{tail(logs['serve'])}")
            await asyncio.sleep(0.1)


@contextlib.asynccontextmanager
async def serving(env: Mapping[str, str], log: Path) -> AsyncIterator[str]:
    """`harambee serve` on a free port with `env`; yields its base URL."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with background(["serve", "--port", str(port)], {**os.environ, **env}, log) as process:
        await wait_ready(base_url, {"serve": process}, {"serve": log})
        yield base_url


@contextlib.asynccontextmanager
async def on_socket(app: ASGIApp) -> AsyncIterator[str]:
    """An ASGI app on a free port of 127.0.0.1 in the test's own event loop (uvicorn, no
    lifespan: the caller starts what the app needs); yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off",
                                           log_level="warning", timeout_graceful_shutdown=2))
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110  (uvicorn offers no event for this)
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
