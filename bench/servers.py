"""Run an ASGI app under uvicorn as a subprocess on a free local port; always stop it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
UVICORN_OPTIONS = ("--loop", "uvloop", "--http", "httptools", "--no-access-log",
                   "--log-level", "warning")
READY_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


class ServerError(RuntimeError):
    """A server under benchmark exited or never answered; the message holds its log."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(target: str, *, ready_path: str, log_path: Path, factory: bool = False,
          env: Mapping[str, str] | None = None, workers: int = 1) -> Iterator[str]:
    """Start `uvicorn target` (one worker unless told), wait until `ready_path` answers 200,
    yield its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", target, "--host", HOST, "--port", str(port),
               *UVICORN_OPTIONS, "--workers", str(workers), *(["--factory"] if factory else [])]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
    try:
        base_url = f"http://{HOST}:{port}"
        wait_ready(process, base_url + ready_path, log_path)
        yield base_url
    finally:
        stop(process)


def wait_ready(process: subprocess.Popen[bytes], url: str, log_path: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"{url}: server exited ({process.returncode}):\n{tail(log_path)}")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        time.sleep(0.1)
    raise ServerError(f"{url} did not answer 200 within {READY_TIMEOUT:.0f} s:\n{tail(log_path)}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate, wait, and kill only if it will not stop."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
