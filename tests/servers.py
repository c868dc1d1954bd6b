"""Real `harambee` processes for tests that cross process boundaries."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Mapping

import httpx


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def harambee(*args: str, env: Mapping[str, str], **kwargs: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "app.cli", *args],
                            env={**os.environ, **env}, **kwargs)  # type: ignore[call-overload]


async def wait_ready(base_url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    async with httpx.AsyncClient() as http:
        while asyncio.get_running_loop().time() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}")
            with contextlib.suppress(httpx.TransportError):
                if (await http.get(f"{base_url}/readyz")).status_code == 200:
                    return
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{base_url} not ready in {timeout}s")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.asynccontextmanager
async def serving(env: Mapping[str, str]) -> AsyncIterator[str]:
    """`harambee serve` on a free port with `env`; yields its base URL."""
    port = free_port()
    process = harambee("serve", "--port", str(port), env=env)
    try:
        base_url = f"http://127.0.0.1:{port}"
        await wait_ready(base_url, process)
        yield base_url
    finally:
        stop(process)
