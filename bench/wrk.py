"""Run wrk against one URL; read requests/s, p50, p99 and errors from its --latency output."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

THREADS = 2
CONNECTIONS = 50
WARMUP_SECONDS = 3
MEASURE_SECONDS = 10

_MS_PER_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_PERCENTILE = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE)
_RPS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_REQUESTS = re.compile(r"^\s*(\d+) requests in", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


class WrkOutputError(ValueError):
    """wrk's output lacked a figure the harness reads."""


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx/3xx responses plus socket errors


def measure(url: str, headers: dict[str, str] | None = None) -> WrkResult:
    """A warm-up run (discarded), then the measured run; `headers` go with every request."""
    sent = [arg for name, value in (headers or {}).items() for arg in ("-H", f"{name}: {value}")]
    run_wrk(url, WARMUP_SECONDS, *sent)
    return parse(run_wrk(url, MEASURE_SECONDS, "--latency", *sent))


def run_wrk(url: str, seconds: int, *extra: str) -> str:
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", *extra, url]
    done = subprocess.run(command, capture_output=True, text=True, check=True,
                          timeout=seconds + 30)
    return done.stdout


def parse(output: str) -> WrkResult:
    percentiles = {p: float(v) * _MS_PER_UNIT[u] for p, v, u in _PERCENTILE.findall(output)}
    return WrkResult(
        requests_per_second=float(_search(_RPS, output)),
        p50_ms=_percentile(percentiles, "50", output),
        p99_ms=_percentile(percentiles, "99", output),
        requests=int(_search(_REQUESTS, output)),
        errors=_errors(output),
    )


def _errors(output: str) -> int:
    non_2xx = _NON_2XX.search(output)
    sockets = _SOCKET.search(output)
    return (int(non_2xx.group(1)) if non_2xx else 0) + (
        sum(int(n) for n in sockets.groups()) if sockets else 0)


def _search(pattern: re.Pattern[str], output: str) -> str:
    match = pattern.search(output)
    if match is None:
        raise WrkOutputError(f"no match for {pattern.pattern!r} in wrk output:\n{output}")
    return match.group(1)


def _percentile(percentiles: dict[str, float], which: str, output: str) -> float:
    if which not in percentiles:
        raise WrkOutputError(f"no {which}% latency in wrk output:\n{output}")
    return percentiles[which]
