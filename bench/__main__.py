"""`make bench`: say what is measured and where, run the HTTP part, then the service scenarios."""

from __future__ import annotations

import os
import platform
import signal
import subprocess
import sys
import time
from importlib.metadata import version
from types import FrameType

from bench import http_bench, wrk
from bench.scenarios import print_rows, run_scenarios
from bench.servers import UVICORN_OPTIONS


def _exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit so every `finally` stops its servers and temp dirs."""
    def handler(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def _wrk_version() -> str:
    done = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    return (done.stdout + done.stderr).splitlines()[0].split(" Copyright")[0]


def print_header() -> None:
    usable = len(os.sched_getaffinity(0))
    print("Harambee benchmark")
    print(f"  HTTP: wrk -t{wrk.THREADS} -c{wrk.CONNECTIONS}, {wrk.WARMUP_SECONDS} s warm-up then "
          f"{wrk.MEASURE_SECONDS} s measured (--latency), on 127.0.0.1, against")
    print("        (a) the ceiling: a bare Starlette app with one plaintext route, and")
    print("        (b) Harambee (development settings, SQLite, embedded jobs, demo data),")
    print(f"        each under uvicorn {' '.join(UVICORN_OPTIONS)}")
    print("  scenarios: service-level Python in this process, each against a ceiling measured"
          " in this run")
    print(f"  cores: {usable} usable of {os.cpu_count()}; wrk, the server under test and this"
          " harness share them")
    print(f"  Python {platform.python_version()}, starlette {version('starlette')}, uvicorn "
          f"{version('uvicorn')}, tortoise-orm {version('tortoise-orm')}, {_wrk_version()}")
    print("  Absolute figures drift between machines: read the ratios.\n", flush=True)


def main() -> int:
    _exit_on_sigterm()
    start = time.monotonic()
    print_header()
    http_bench.run()
    print()
    print_rows(run_scenarios())
    print(f"\nTotal time: {time.monotonic() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
