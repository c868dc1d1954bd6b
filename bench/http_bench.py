"""The HTTP part: the ceiling app and Harambee under the same uvicorn options, measured by wrk."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, suppress
from pathlib import Path

import httpx

from bench import ceiling_app
from bench.harambee_env import harambee_env, prepare
from bench.servers import ROOT, serve
from bench.table import format_table
from bench.transfer import Transfer, measure_transfer
from bench.wrk import WrkResult, measure
from devtools.demo import DEMO_DOMAIN, DEMO_PASSWORD

PAGE_BUDGET_BYTES = 60 * 1024
CALLS_PATH = "/o/mlima-growers-fund/calls"
CAMPAIGN_PATH = "/o/mlima-growers-fund/campaigns/one-big-post"
IMPACT_PATH = "/o/mlima-growers-fund/manage/impact"
PROJECTS_PATH = "/o/mlima-growers-fund/projects"
DEMO_COOP = f"coop@{DEMO_DOMAIN}"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
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
        seed_calls(env)
        harambee = stack.enter_context(serve("bench.harambee_app:app", factory=True, env=env,
                                             ready_path="/healthz",
                                             log_path=work / "harambee.log"))
        editor, cookie = signed_in_editor(harambee)
        staff_cookie = signed_in(harambee, f"owner@{DEMO_DOMAIN}")
        transfers = [measure_transfer(harambee + path, cookie) for path in
                     ("/", CALLS_PATH, editor, CAMPAIGN_PATH)]
        results = _measure_all([
            ("ceiling: Starlette plaintext", ceiling + ceiling_app.PATH, None),
            ("Harambee /healthz", harambee + "/healthz", None),
            ("Harambee / (landing page)", harambee + "/", None),
            (f"Harambee {CALLS_PATH} (50 open calls)", harambee + CALLS_PATH, None),
            ("Harambee application editor (signed in)", harambee + editor, {"Cookie": cookie}),
            (f"Harambee {CAMPAIGN_PATH} (100,000 pledges)", harambee + CAMPAIGN_PATH,
             {"Accept-Encoding": "gzip"}),
            ("Harambee impact dashboard (staff; 5,000 projects, 20,000 reports)",
             harambee + IMPACT_PATH, {"Cookie": staff_cookie}),
            (f"Harambee {PROJECTS_PATH}?page=1 (public directory, rendered)",
             harambee + PROJECTS_PATH + "?page=1", None),
            (f"Harambee {PROJECTS_PATH} (public directory, page cache)",
             harambee + PROJECTS_PATH, None),
        ])
    print_results(results)
    for transfer in transfers:
        print_transfer(transfer)


def _measure_all(endpoints: list[tuple[str, str, dict[str, str] | None]]
                 ) -> list[tuple[str, WrkResult]]:
    results = []
    for label, url, headers in endpoints:
        _settle(url)
        print(f"wrk: {label} ({url})", flush=True)
        results.append((label, measure(url, headers)))
    return results


def _settle(url: str, within: float = 60.0) -> None:
    """Wait until the server has answered what the previous measurement left queued (a slow
    page's backlog would otherwise time out the next one's first requests): until its
    /healthz answers in under 50 ms."""
    probe = url.split("/", 3)
    health = "/".join(probe[:3]) + "/healthz"
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        started = time.monotonic()
        with suppress(httpx.HTTPError):
            httpx.get(health, timeout=within)
        if time.monotonic() - started < 0.05:
            return
        time.sleep(0.2)


def seed_calls(env: dict[str, str]) -> None:
    """50 open calls for the list; 100,000 pledges for the campaign page; 5,000 projects with
    20,000 reports for the dashboard and the directory (it prints their pages' queries)."""
    for module in ("bench.seed_calls", "bench.seed_pledges", "bench.seed_projects"):
        subprocess.run([sys.executable, "-m", module], cwd=ROOT, env=env, check=True,
                       timeout=600)


def _sign_in(http: httpx.Client, address: str) -> str:
    """Through the login form; the session cookie."""
    token = CSRF.search(http.get("/login").text)
    assert token, "the login form has a CSRF token"
    signed = http.post("/login", data={"email": address, "password": DEMO_PASSWORD,
                                       "csrf_token": token.group(1)})
    assert signed.status_code == 303, signed.text
    return "; ".join(f"{name}={value}" for name, value in http.cookies.items())


def signed_in(base_url: str, address: str) -> str:
    with httpx.Client(base_url=base_url) as http:
        return _sign_in(http, address)


def signed_in_editor(base_url: str) -> tuple[str, str]:
    """Sign in as the demo co-op manager: (their draft's editor path, the session cookie)."""
    with httpx.Client(base_url=base_url) as http:
        cookie = _sign_in(http, DEMO_COOP)
        mine = http.get("/o/mlima-growers-fund/applications").text
        link = re.search(r'href="(/o/mlima-growers-fund/applications/\d+)"', mine)
        assert link, "the demo co-op has an application"
        return link.group(1), cookie


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
    print(f"\n{transfer.path} transfer (Accept-Encoding: gzip): HTTP {transfer.status}, "
          f"Content-Encoding {transfer.encoding}, {transfer.wire_bytes:,} bytes on the wire "
          f"({transfer.decoded_bytes:,} decoded), {share:.1%} of the 60 KB page budget "
          "(HTML only, not its CSS/JS/images)")
