"""A small server that speaks the subset of the X API Harambee uses, for tests, benchmarks and
development (never production).

OAuth 2.0: `GET /i/oauth2/authorize` (a page where a demo account signs in and authorises),
`POST /2/oauth2/token` (authorization code with PKCE S256; refresh tokens are single-use and
rotate). API v2: `GET /2/users/me`, `POST /2/users/:id/retweets`,
`DELETE /2/users/:id/retweets/:tweet_id`, `POST /2/tweets`, `GET /2/tweets/:id`,
`GET /2/tweets/:id/retweeted_by`, `GET /2/users/:id/tweets` (a repost is a referenced tweet of
type `retweeted`). X's status codes and error bodies, `x-rate-limit-*` headers, per-user and
per-app limits.

Faults are set through `POST /_sim/faults` (latency, 5xx or 429 rates, a 429 storm) and per
account through `POST /_sim/users/:id` (suspend, revoke the app, expire its tokens); state
is inspected with `GET /_sim/state` (campaigns/x_sim_control.py). Every `/_sim` route asks
for the simulator's control token as a bearer token (`X_SIMULATOR_TOKEN`; without one they
answer 404). As X does, the authorise page redirects only to a callback URL registered for
the app. All state is in memory, in one `Simulator` object (campaigns/x_sim_state.py).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import html
import random
import secrets
import time
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from devtools.x_simulator.control import Controls
from devtools.x_simulator.state import (
    SCOPES,
    USER_LIMITS,
    WINDOW_SECONDS,
    Simulator,
    XUser,
    demo_simulator,
    user_json,
)

__all__ = ["Simulator", "XUser", "create_simulator", "demo_simulator"]

def _problem(status: int, title: str, detail: str, kind: str = "about:blank",
             headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"title": title, "detail": detail, "type": kind, "status": status},
                        status_code=status, headers=headers)


def _oauth_error(error: str, description: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description},
                        status_code=status)


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class Api:
    """The endpoints, bound to one Simulator."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim

    # -- OAuth 2.0 ---------------------------------------------------------------------

    async def authorize(self, request: Request) -> Response:
        params = dict(request.query_params)
        problems = self._authorize_problems(params)
        if problems:
            return HTMLResponse(f"<h1>Invalid request</h1><p>{html.escape(problems)}</p>",
                                status_code=400)
        if request.method == "GET":
            return HTMLResponse(self._authorize_page(params))
        async with request.form() as form:
            user_id = str(form.get("user_id") or "")
            allowed = form.get("decision") == "allow"
        if user_id not in self.sim.users:
            return HTMLResponse("<h1>Unknown account</h1>", status_code=400)
        if not allowed:
            return RedirectResponse(self._back(params, error="access_denied"), status_code=302)
        code = secrets.token_urlsafe(24)
        self.sim.codes[code] = {"user_id": user_id, "client_id": params["client_id"],
                                "redirect_uri": params["redirect_uri"],
                                "challenge": params["code_challenge"],
                                "scopes": frozenset(params["scope"].split()),
                                "expires_at": time.time() + 30}
        self.sim.revoked.discard((user_id, params["client_id"]))
        return RedirectResponse(self._back(params, code=code), status_code=302)

    def _authorize_problems(self, params: dict[str, str]) -> str:
        """What X's authorise page refuses, shown there: never redirected anywhere."""
        if params.get("response_type") != "code":
            return "response_type must be code"
        client_id = params.get("client_id", "")
        if client_id not in self.sim.clients:
            return "unknown client_id"
        if not params.get("redirect_uri") or not params.get("state"):
            return "redirect_uri and state are required"
        if params["redirect_uri"] not in self.sim.callbacks.get(client_id, frozenset()):
            return "redirect_uri is not a callback URL registered for this app"
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            return "PKCE with S256 is required"
        scopes = set(params.get("scope", "").split())
        if not scopes:
            return "scope is required"
        if not scopes <= SCOPES:
            return "unknown scope"
        return ""

    def _back(self, params: dict[str, str], **answer: str) -> str:
        return f"{params['redirect_uri']}?{urlencode({**answer, 'state': params['state']})}"

    def _authorize_page(self, params: dict[str, str]) -> str:
        accounts = "".join(
            f'<label><input type="radio" name="user_id" value="{u.id}"'
            f'{" checked" if i == 0 else ""}> @{html.escape(u.username)} '
            f"({u.followers:,} followers)</label><br>"
            for i, u in enumerate(self.sim.users.values()) if not u.suspended)
        scopes = ", ".join(html.escape(s) for s in params["scope"].split())
        return ("<!doctype html><html lang=en><meta name=viewport content='width=device-width'>"
                "<title>Authorize app · X simulator</title>"
                "<h1>X (simulated): authorize an app</h1>"
                f"<p>The app asks for: {scopes}.</p><form method=post>{accounts}"
                "<button name=decision value=allow>Authorize app</button> "
                "<button name=decision value=deny>Cancel</button></form>")

    async def token(self, request: Request) -> Response:
        if self.sim.faults.latency_ms:
            await asyncio.sleep(self.sim.faults.latency_ms / 1000)
        async with request.form() as form:
            data = {key: str(value) for key, value in form.items()}
        client_id = self._client(request, data)
        if client_id is None:
            return _oauth_error("invalid_client", "Missing valid authorization header", 401)
        grant_type = data.get("grant_type")
        if grant_type == "authorization_code":
            return self._exchange(client_id, data)
        if grant_type == "refresh_token":
            return self._refresh(client_id, data.get("refresh_token", ""))
        return _oauth_error("unsupported_grant_type", "grant_type is not supported")

    def _client(self, request: Request, data: dict[str, str]) -> str | None:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "basic":
            try:
                client_id, _, secret = base64.b64decode(value).decode().partition(":")
            except ValueError:
                return None
            return client_id if self.sim.clients.get(client_id) == secret else None
        return None

    def _exchange(self, client_id: str, data: dict[str, str]) -> Response:
        code = self.sim.codes.pop(data.get("code", ""), None)
        if code is None or code["expires_at"] < time.time() or code["client_id"] != client_id:
            return _oauth_error("invalid_request", "Value passed for the authorization code "
                                "was invalid.")
        if code["redirect_uri"] != data.get("redirect_uri"):
            return _oauth_error("invalid_request", "redirect_uri does not match")
        if _challenge(data.get("code_verifier", "")) != code["challenge"]:
            return _oauth_error("invalid_request", "Value passed for the code verifier was "
                                "invalid.")
        return JSONResponse(self.sim.issue(code["user_id"], client_id, code["scopes"]))

    def _refresh(self, client_id: str, token: str) -> Response:
        grant = self.sim.refresh.pop(token, None)
        if grant is None or grant.client_id != client_id or (
                (grant.user_id, client_id) in self.sim.revoked):
            return _oauth_error("invalid_request", "Value passed for the token was invalid.")
        self.sim.used_refresh.add(token)
        return JSONResponse(self.sim.issue(grant.user_id, client_id, grant.scopes))

    # -- API v2 ------------------------------------------------------------------------

    async def _guard(self, request: Request, kind: str, scope: str
                     ) -> tuple[XUser | None, Response | None]:
        """Latency, faults, the bearer token, the account, and the rate limits."""
        faults = self.sim.faults
        if faults.latency_ms:
            await asyncio.sleep(faults.latency_ms / 1000)
        now = time.time()
        reset = str(int(now // WINDOW_SECONDS * WINDOW_SECONDS + WINDOW_SECONDS))
        if now < faults.storm_until or (faults.throttle_rate
                                        and random.random() < faults.throttle_rate):
            return None, _problem(429, "Too Many Requests", "Too Many Requests", headers={
                "x-rate-limit-limit": "0", "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": reset})
        if faults.error_rate and random.random() < faults.error_rate:
            return None, _problem(503, "Service Unavailable", "Service Unavailable")
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        grant = self.sim.access.get(token) if scheme.lower() == "bearer" else None
        if grant is None or grant.expires_at < now or (
                (grant.user_id, grant.client_id) in self.sim.revoked):
            return None, _problem(401, "Unauthorized", "Unauthorized")
        if scope not in grant.scopes:
            return None, _problem(403, "Forbidden", "Missing scope " + scope)
        user = self.sim.users[grant.user_id]
        if user.suspended:
            return None, _problem(403, "Forbidden", "User is suspended.",
                                  "https://api.twitter.com/2/problems/user-suspended")
        window = int(now // WINDOW_SECONDS)
        key = (user.id, kind, window)
        self.sim.calls[key] = used = self.sim.calls.get(key, 0) + 1
        app_key = (grant.client_id, "app", window)
        self.sim.calls[app_key] = app_used = self.sim.calls.get(app_key, 0) + 1
        limit = USER_LIMITS[kind]
        if used > limit or app_used > self.sim.app_limit:
            return None, _problem(429, "Too Many Requests", "Too Many Requests", headers={
                "x-rate-limit-limit": str(limit), "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": reset})
        request.state.rate = {"x-rate-limit-limit": str(limit), "x-rate-limit-reset": reset,
                              "x-rate-limit-remaining": str(max(limit - used, 0))}
        return user, None

    @staticmethod
    def _json(request: Request, body: dict[str, Any], status: int = 200) -> JSONResponse:
        return JSONResponse(body, status_code=status, headers=getattr(request.state, "rate", {}))

    async def me(self, request: Request) -> Response:
        user, refused = await self._guard(request, "me", "users.read")
        if refused is not None or user is None:
            return refused or _problem(401, "Unauthorized", "Unauthorized")
        wanted = set(request.query_params.get("user.fields", "").split(","))
        shown = {key: value for key, value in user_json(user).items()
                 if key in ("id", "name", "username") or key in wanted}
        return self._json(request, {"data": shown})

    async def retweet(self, request: Request) -> Response:
        user, refused = await self._guard(request, "retweet", "tweet.write")
        if refused is not None or user is None:
            return refused or _problem(401, "Unauthorized", "Unauthorized")
        if request.path_params["user_id"] != user.id:
            return _problem(403, "Forbidden", "You are not permitted to perform this action.")
        body = await request.json()
        tweet = self.sim.tweets.get(str(body.get("tweet_id", "")))
        if tweet is None or tweet.get("deleted"):
            return _problem(404, "Not Found Error", "Could not find tweet.",
                            "https://api.twitter.com/2/problems/resource-not-found")
        calls = self.sim.repost_calls
        calls[(user.id, tweet["id"])] = calls.get((user.id, tweet["id"]), 0) + 1
        if (self.sim.record_repost(user, tweet["id"])
                and self.sim.reposts_made == self.sim.faults.hang_after_reposts):
            self.sim.hung, self.sim.hung_on = True, user.id   # recorded; answer held
            while self.sim.hung:  # noqa: ASYNC110  (the test clears a plain flag)
                await asyncio.sleep(0.05)
        return self._json(request, {"data": {"retweeted": True}})

    async def unretweet(self, request: Request) -> Response:
        user, refused = await self._guard(request, "retweet", "tweet.write")
        if refused is not None or user is None:
            return refused or _problem(401, "Unauthorized", "Unauthorized")
        if request.path_params["user_id"] != user.id:
            return _problem(403, "Forbidden", "You are not permitted to perform this action.")
        repost = user.retweets.pop(request.path_params["tweet_id"], None)
        if repost is not None:
            self.sim.tweets.pop(repost, None)
        return self._json(request, {"data": {"retweeted": False}})

    async def post_tweet(self, request: Request) -> Response:
        user, refused = await self._guard(request, "tweet", "tweet.write")
        if refused is not None or user is None:
            return refused or _problem(401, "Unauthorized", "Unauthorized")
        body = await request.json()
        text = str(body.get("text", ""))
        if not text or len(text) > 280:
            return _problem(400, "Invalid Request", "The text must be 1 to 280 characters.")
        tweet_id = self.sim.next_id()
        self.sim.tweets[tweet_id] = {"id": tweet_id, "author_id": user.id, "text": text,
                                     "paid_partnership": bool(body.get("paid_partnership"))}
        return self._json(request, {"data": {"id": tweet_id, "text": text,
                                             "edit_history_tweet_ids": [tweet_id]}}, 201)

    async def intent(self, request: Request) -> Response:
        """The web intent a person follows to repost with one tap (assisted mode); here
        they choose which simulated account they are signed in as."""
        tweet = self.sim.tweets.get(request.query_params.get("tweet_id", ""))
        if tweet is None or tweet.get("deleted"):
            return HTMLResponse("<h1>This post is gone</h1>", status_code=404)
        if request.method == "POST":
            async with request.form() as form:
                user = self.sim.users.get(str(form.get("user_id") or ""))
            if user is None:
                return HTMLResponse("<h1>Unknown account</h1>", status_code=400)
            self.sim.record_repost(user, tweet["id"])
            return HTMLResponse(f"<h1>Reposted</h1><p>@{html.escape(user.username)} "
                                "reposted the post.</p>")
        accounts = "".join(
            f'<label><input type="radio" name="user_id" value="{u.id}"'
            f'{" checked" if i == 0 else ""}> @{html.escape(u.username)}</label><br>'
            for i, u in enumerate(self.sim.users.values()) if not u.suspended)
        return HTMLResponse(
            "<!doctype html><html lang=en><meta name=viewport content='width=device-width'>"
            "<title>Repost · X simulator</title><h1>X (simulated): repost this post?</h1>"
            f"<blockquote>{html.escape(tweet['text'])}</blockquote>"
            f"<form method=post>{accounts}<button>Repost</button></form>")

    def _missing(self, request: Request, tweet_id: str) -> Response:
        return self._json(request, {"errors": [{
            "value": tweet_id, "detail": f"Could not find tweet with id: [{tweet_id}].",
            "title": "Not Found Error", "resource_type": "tweet", "parameter": "id",
            "resource_id": tweet_id, "type": "https://api.twitter.com/2/problems/"
                                             "resource-not-found"}]})

    async def get_tweet(self, request: Request) -> Response:
        _user, refused = await self._guard(request, "read", "tweet.read")
        if refused is not None:
            return refused
        tweet = self.sim.tweets.get(request.path_params["tweet_id"])
        if tweet is None or tweet.get("deleted"):
            return self._missing(request, request.path_params["tweet_id"])
        return self._json(request, {"data": {"id": tweet["id"], "text": tweet["text"],
                                             "author_id": tweet["author_id"],
                                             "edit_history_tweet_ids": [tweet["id"]]}})

    async def retweeted_by(self, request: Request) -> Response:
        _user, refused = await self._guard(request, "read", "tweet.read")
        if refused is not None:
            return refused
        tweet_id = request.path_params["tweet_id"]
        users = [user_json(u) for u in self.sim.users.values() if tweet_id in u.retweets]
        return self._json(request, {"data": users, "meta": {"result_count": len(users)}}
                          if users else {"meta": {"result_count": 0}})

    async def user_tweets(self, request: Request) -> Response:
        _user, refused = await self._guard(request, "read", "tweet.read")
        if refused is not None:
            return refused
        author = request.path_params["user_id"]
        mine = [t for t in self.sim.tweets.values()
                if t["author_id"] == author and not t.get("deleted")]
        since = int(request.query_params.get("since_id") or 0)   # newer than it, as X does
        data = [{"id": t["id"], "text": t["text"], "edit_history_tweet_ids": [t["id"]],
                 **({"referenced_tweets": [{"type": "retweeted", "id": t["retweet_of"]}]}
                    if "retweet_of" in t else {})}
                for t in sorted(mine, key=lambda t: int(t["id"]), reverse=True)
                if int(t["id"]) > since]
        return self._json(request, {"data": data, "meta": {"result_count": len(data)}}
                          if data else {"meta": {"result_count": 0}})


def create_simulator(sim: Simulator | None = None) -> Starlette:
    api = Api(sim or demo_simulator())
    app = Starlette(routes=[
        Route("/i/oauth2/authorize", api.authorize, methods=["GET", "POST"]),
        Route("/2/oauth2/token", api.token, methods=["POST"]),
        Route("/2/users/me", api.me),
        Route("/2/users/{user_id}/retweets", api.retweet, methods=["POST"]),
        Route("/2/users/{user_id}/retweets/{tweet_id}", api.unretweet, methods=["DELETE"]),
        Route("/2/users/{user_id}/tweets", api.user_tweets),
        Route("/2/tweets", api.post_tweet, methods=["POST"]),
        Route("/2/tweets/{tweet_id}", api.get_tweet),
        Route("/2/tweets/{tweet_id}/retweeted_by", api.retweeted_by),
        Route("/intent/retweet", api.intent, methods=["GET", "POST"]),
        *Controls(api.sim).routes(),
    ])
    app.state.simulator = api.sim
    return app
