"""The X simulator's controls (`/_sim/...`): faults, accounts, apps and its state, for
tests and development; each answers only the bearer of the simulator's control token."""

from __future__ import annotations

import hmac
import time
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from devtools.x_simulator.state import Simulator, user_json

Endpoint = Callable[[Request], Awaitable[Response]]


class Controls:
    """The control endpoints, bound to one Simulator."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim

    def routes(self) -> list[Route]:
        guarded = self.controlled
        return [
            Route("/_sim/faults", guarded(self.set_faults), methods=["POST"]),
            Route("/_sim/users", guarded(self.add_user), methods=["POST"]),
            Route("/_sim/users/{user_id}", guarded(self.set_user), methods=["POST"]),
            Route("/_sim/clients", guarded(self.add_client), methods=["POST"]),
            Route("/_sim/state", guarded(self.state)),
        ]

    def controlled(self, endpoint: Endpoint) -> Endpoint:
        """A control endpoint answers only the bearer of the simulator's token."""
        async def guarded(request: Request) -> Response:
            scheme, _, given = request.headers.get("authorization", "").partition(" ")
            expected = self.sim.control_token
            if not expected or scheme.lower() != "bearer" or not hmac.compare_digest(
                    given.encode(), expected.encode()):
                return JSONResponse({"title": "Not Found", "status": 404},  # no hint it exists
                                    status_code=404)
            return await endpoint(request)
        return guarded

    async def set_faults(self, request: Request) -> Response:
        body = await request.json()
        faults = self.sim.faults
        faults.latency_ms = float(body.get("latency_ms", faults.latency_ms))
        faults.error_rate = float(body.get("error_rate", faults.error_rate))
        faults.throttle_rate = float(body.get("throttle_rate", faults.throttle_rate))
        if "storm_seconds" in body:
            faults.storm_until = time.time() + float(body["storm_seconds"])
        return JSONResponse({"ok": True})

    async def set_user(self, request: Request) -> Response:
        user = self.sim.users.get(request.path_params["user_id"])
        if user is None:
            return JSONResponse({"error": "unknown user"}, status_code=404)
        body = await request.json()
        for flag in ("suspended", "protected", "verified"):
            if flag in body:
                setattr(user, flag, bool(body[flag]))
        for number in ("followers", "following"):
            if number in body:
                setattr(user, number, int(body[number]))
        if body.get("revoke_app"):
            self.sim.revoked.add((user.id, str(body["revoke_app"])))
        if body.get("expire_tokens"):
            for grant in self.sim.access.values():
                if grant.user_id == user.id:
                    grant.expires_at = 0
        if body.get("delete_tweet"):
            self.sim.tweets.get(str(body["delete_tweet"]), {})["deleted"] = True
        return JSONResponse({"ok": True})

    async def add_user(self, request: Request) -> Response:
        body = await request.json()
        user = self.sim.add_user(str(body["username"]), int(body.get("followers", 0)),
                                 following=int(body.get("following", 100)))
        return JSONResponse(user_json(user), status_code=201)

    async def add_client(self, request: Request) -> Response:
        body = await request.json()
        client_id = str(body["client_id"])
        self.sim.clients[client_id] = str(body["client_secret"])
        self.sim.callbacks[client_id] = frozenset(str(url) for url in body.get("callbacks", ()))
        return JSONResponse({"ok": True})

    async def state(self, request: Request) -> Response:
        return JSONResponse({
            "users": [user_json(u) | {"retweets": u.retweets} for u in
                      self.sim.users.values()],
            "used_refresh_tokens": len(self.sim.used_refresh),
            "live_access_tokens": list(self.sim.access), "tweets": list(self.sim.tweets)})
