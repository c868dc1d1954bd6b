"""The development X simulator checks what X checks, and its controls need the token."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

from app.settings import load_settings
from devtools.x_simulator.mount import routes as development_routes
from tests.campaigns.conftest import REDIRECT, XWorld
from tests.servers import on_socket


def _with(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(changes)
    for key in [key for key, value in changes.items() if value == ""]:
        del query[key]
    return parts._replace(query=httpx.QueryParams(query).__str__()).geturl()


async def test_a_code_goes_only_to_a_registered_callback(x: XWorld) -> None:
    fan = x.sim.add_user("kahawa_fan", 480)
    start = x.provider.authorization(REDIRECT).url
    async with httpx.AsyncClient() as browser:
        stolen = await browser.post(_with(start, redirect_uri="https://evil.example/cb"),
                                    data={"user_id": fan.id, "decision": "allow"})
        assert stolen.status_code == 400 and "registered" in stolen.text
        assert "location" not in stolen.headers and not x.sim.codes
        given = await browser.post(start, data={"user_id": fan.id, "decision": "allow"})
    assert given.status_code == 302 and given.headers["location"].startswith(REDIRECT + "?")


async def test_a_request_without_scope_is_refused_not_crashed(x: XWorld) -> None:
    start = x.provider.authorization(REDIRECT).url
    async with httpx.AsyncClient() as browser:
        for method in ("GET", "POST"):
            refused = await browser.request(method, _with(start, scope=""))
            assert refused.status_code == 400 and "scope is required" in refused.text


async def test_the_controls_answer_only_the_token_of_the_settings(tmp_path: Path) -> None:
    settings = load_settings({"HARAMBEE_VAR": str(tmp_path), "X_SIMULATOR_TOKEN": "t" * 24,
                              "BASE_URL": "http://127.0.0.1:8123"})
    [mount] = development_routes(settings)
    async with on_socket(mount.app) as base, httpx.AsyncClient(base_url=base) as web:
        assert (await web.get("/_sim/state")).status_code == 404
        wrong = {"authorization": "Bearer " + "u" * 24}
        assert (await web.get("/_sim/state", headers=wrong)).status_code == 404
        assert (await web.post("/_sim/faults", json={"error_rate": 1},
                               headers=wrong)).status_code == 404
        right = {"authorization": "Bearer " + "t" * 24}
        shown = await web.get("/_sim/state", headers=right)
        assert shown.status_code == 200 and "users" in shown.json()
    sim = mount.app.state.simulator
    assert sim.faults.error_rate == 0
    assert sim.callbacks["harambee-dev"] == {"http://127.0.0.1:8123/campaigns/callback/x"}


def test_development_makes_a_private_token_of_its_own(tmp_path: Path) -> None:
    first = load_settings({"HARAMBEE_VAR": str(tmp_path)})
    again = load_settings({"HARAMBEE_VAR": str(tmp_path)})
    assert first.x_simulator_token and len(str(first.x_simulator_token)) >= 24
    assert str(first.x_simulator_token) == str(again.x_simulator_token)
    production_like = load_settings({"HARAMBEE_VAR": str(tmp_path), "X_CLIENT_ID": "real"})
    assert production_like.x_simulator_token is None and not production_like.x_simulator
