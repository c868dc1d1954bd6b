"""The HTTP part: the ceiling app and Harambee under the same uvicorn options, measured by wrk."""

from __future__ import annotations

import tempfile
from contextlib import ExitStack
from pathlib import Path

from bench import ceiling_app
from bench.harambee_env import harambee_env, prepare
from bench.servers import serve
from bench.table import format_table
from bench.transfer import Transfer, measure_transfer
from bench.wrk import WrkResult, measure

PAGE_BUDGET_BYTES = 60 * 1024
HEADERS = ("endpoint", "requests/s", "p50 ms", "p99 ms", "ratio", "errors")


def run() -> None:
    """Start both servers, measure the endpoints, print the table and the page's weight."""
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="harambee-bench-")))
        ceiling = stack.enter_context(serve("bench.ceiling_app:app",
                                            ready_path=ceiling_app.PATH,
                                            log_path=work / "ceiling.log"))
        env = harambee_env(work / "var")
        print("preparing Harambee: harambee migrate, harambee demo --if-empty", flush=True)
        prepare(env)
        harambee = stack.enter_context(serve("bench.harambee_app:app", factory=True, env=env,
                                             ready_path="/healthz",
                                             log_path=work / "harambee.log"))
        transfer = measure_transfer(harambee + "/")
        results = _measure_all([("ceiling: Starlette plaintext", ceiling + ceiling_app.PATH),
                                ("Harambee /healthz", harambee + "/healthz"),
                                ("Harambee / (landing page)", harambee + "/")])
    print_results(results)
    print_transfer(transfer)


def _measure_all(endpoints: list[tuple[str, str]]) -> list[tuple[str, WrkResult]]:
    results = []
    for label, url in endpoints:
        print(f"wrk: {label} ({url})", flush=True)
        results.append((label, measure(url)))
    return results


def print_results(results: list[tuple[str, WrkResult]]) -> None:
    ceiling = results[0][1].requests_per_second
    rows = [[label, f"{r.requests_per_second:,.0f}", f"{r.p50_ms:.2f}", f"{r.p99_ms:.2f}",
             f"{r.requests_per_second / ceiling:.3f}", str(r.errors)] for label, r in results]
    print("\nHTTP (ratio = requests/s of the endpoint / requests/s of the ceiling;"
          " errors = non-2xx/3xx responses + socket errors)")
    print(format_table(HEADERS, rows, "lrrrrr"))
    if any(r.errors for _, r in results):
        print("WARNING: some endpoints answered errors; their requests/s count failures too.")


def print_transfer(transfer: Transfer) -> None:
    share = transfer.wire_bytes / PAGE_BUDGET_BYTES
    print(f"\nLanding page transfer (Accept-Encoding: gzip): HTTP {transfer.status}, "
          f"Content-Encoding {transfer.encoding}, {transfer.wire_bytes:,} bytes on the wire "
          f"({transfer.decoded_bytes:,} decoded), {share:.1%} of the 60 KB page budget "
          "(HTML only, not its CSS/JS/images)")
