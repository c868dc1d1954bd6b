"""The X implementation of `SocialProvider`, on tweepy.

tweepy hard-codes X's hosts (ARCHITECTURE.md, "Facts about the stack"), so every request is
sent through a rewrite to `X_API_BASE_URL`: a requests adapter for the OAuth 2 token calls
(tweepy's `OAuth2UserHandler`, run in a thread) and a thin wrapper around the aiohttp
session for the API calls (tweepy's `AsyncClient`, one per call: it swaps its token during
awaits). Reposts call the endpoint with the stored account id, never `Client.retweet()`,
which first spends a rate-limited `GET /2/users/me`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import secrets
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import aiohttp
import requests
import tweepy
from oauthlib.oauth2 import OAuth2Error
from requests.adapters import HTTPAdapter
from tweepy.asynchronous import AsyncClient

from campaigns.networks.protocol import (
    AccountSuspended,
    Authorization,
    AuthorizationRefused,
    Post,
    PostGone,
    Profile,
    ProviderError,
    RateLimited,
    TokenExpired,
    TokenRevoked,
    Tokens,
)

# tweepy logs each request's headers (the bearer token) and requests-oauthlib the tokens it
# obtains, at DEBUG: whatever the app's logging says, those lines are never written.
for _name in ("tweepy", "requests_oauthlib", "oauthlib"):
    logging.getLogger(_name).setLevel(logging.WARNING)

TWEEPY_API = "https://api.twitter.com"
TWEEPY_AUTHORIZE = "https://twitter.com/i/oauth2/authorize"
TOKEN_URL = TWEEPY_API + "/2/oauth2/token"
SCOPES = ("tweet.read", "tweet.write", "users.read", "offline.access")
USER_FIELDS = ["created_at", "protected", "public_metrics", "verified"]
TIMEOUT_SECONDS = 10.0
# tweepy's OAuth 2 handler is synchronous (requests): its calls wait on the network in
# threads of their own, not in asyncio's small default pool (a few threads on two cores).
OAUTH_THREADS = ThreadPoolExecutor(max_workers=32, thread_name_prefix="x-oauth")


class _Rewrite(HTTPAdapter):
    """Send what requests addresses to api.twitter.com to the configured host."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url

    def send(self, request: requests.PreparedRequest, stream: bool = False,
             timeout: Any = None, verify: Any = True, cert: Any = None,
             proxies: Any = None) -> requests.Response:
        if request.url and request.url.startswith(TWEEPY_API):
            request.url = self.base_url + request.url[len(TWEEPY_API):]
        return super().send(request, stream=stream, timeout=timeout or TIMEOUT_SECONDS,
                            verify=verify, cert=cert, proxies=proxies)


class _RewritingSession:
    """What tweepy's AsyncClient uses of an aiohttp session (`request`), with the host
    rewritten; the real session is shared by every call."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str) -> None:
        self._session = session
        self._base_url = base_url

    def request(self, method: str, url: Any, **kwargs: Any) -> Any:
        text = str(url)
        if text.startswith(TWEEPY_API):
            text = self._base_url + text[len(TWEEPY_API):]
        return self._session.request(method, text, **kwargs)


class _OneShotSession:
    """Without a pooled session, each call opens and closes its own (nothing to clean up when
    a web process stops); the body is read before the session closes."""

    def __init__(self, base_url: str) -> None:
        self._base_url = base_url

    @contextlib.asynccontextmanager
    async def request(self, method: str, url: Any, **kwargs: Any) -> AsyncIterator[Any]:
        timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            rewriting = _RewritingSession(session, self._base_url)
            async with rewriting.request(method, url, **kwargs) as response:
                await response.read()
                yield response


class XProvider:
    network = "x"

    def __init__(self, *, client_id: str, client_secret: str, api_base_url: str,
                 web_url: str = "https://x.com") -> None:
        self.client_id = client_id
        self._client_secret = client_secret
        self.api_base_url = api_base_url.rstrip("/")
        self.web_url = web_url.rstrip("/")
        self._session: aiohttp.ClientSession | None = None

    def __repr__(self) -> str:
        return f"XProvider(client_id={self.client_id!r}, api_base_url={self.api_base_url!r})"

    # -- OAuth 2.0 with PKCE -----------------------------------------------------------

    def _handler(self, redirect_uri: str) -> tweepy.OAuth2UserHandler:
        handler = tweepy.OAuth2UserHandler(client_id=self.client_id, redirect_uri=redirect_uri,
                                           scope=list(SCOPES),
                                           client_secret=self._client_secret)
        handler.mount(TWEEPY_API, _Rewrite(self.api_base_url))
        return handler

    def authorization(self, redirect_uri: str) -> Authorization:
        handler = self._handler(redirect_uri)
        url = handler.get_authorization_url()
        if self.api_base_url != "https://api.x.com":  # a simulator: its own authorise page
            url = self.api_base_url + "/i/oauth2/authorize" + url[len(TWEEPY_AUTHORIZE):]
        return Authorization(url=url, state=handler._state,
                             code_verifier=handler._client.code_verifier)

    async def exchange(self, redirect_uri: str, *, code: str, state: str, expected_state: str,
                       code_verifier: str) -> Tokens:
        if not state or not secrets.compare_digest(state, expected_state):
            raise AuthorizationRefused("the state does not match this browser's")
        handler = self._handler(redirect_uri)
        handler._state = expected_state
        handler._client.code_verifier = code_verifier
        # Only its query is read; https keeps oauthlib's transport check quiet in development.
        answer = "https://callback.invalid/?" + urlencode({"code": code, "state": state})
        try:
            token = await _in_thread(handler.fetch_token, answer)
        except OAuth2Error as exc:
            raise AuthorizationRefused(f"the token endpoint refused: {exc.error}") from None
        except requests.RequestException as exc:
            raise ProviderError(f"token endpoint unreachable: {type(exc).__name__}") from None
        return _tokens(token)

    async def refresh(self, refresh_token: str) -> Tokens:
        handler = self._handler("https://callback.invalid/")
        try:
            token = await _in_thread(functools.partial(
                handler.refresh_token, TOKEN_URL, refresh_token=refresh_token,
                auth=handler.auth))
        except OAuth2Error as exc:  # used, expired or the app was revoked
            raise TokenRevoked(f"refresh refused: {exc.error}") from None
        except requests.RequestException as exc:
            raise ProviderError(f"token endpoint unreachable: {type(exc).__name__}") from None
        return _tokens(token)

    # -- API v2 ------------------------------------------------------------------------

    def _client(self, access_token: str) -> AsyncClient:
        client = AsyncClient(bearer_token=access_token)
        client.session = (_RewritingSession(self._session, self.api_base_url)
                          if self._session is not None
                          else _OneShotSession(self.api_base_url))
        return client

    @contextlib.asynccontextmanager
    async def pooled(self) -> AsyncIterator[XProvider]:
        """Many calls in a row (a broadcast): share one session and its connections."""
        timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            self._session = session
            try:
                yield self
            finally:
                self._session = None

    async def profile(self, access_token: str) -> Profile:
        response = await _call(self._client(access_token).get_me(user_fields=USER_FIELDS,
                                                                 user_auth=False))
        user = response.data
        metrics = user.public_metrics or {}
        return Profile(id=str(user.id), handle=user.username,
                       followers=int(metrics.get("followers_count", 0)),
                       following=int(metrics.get("following_count", 0)),
                       protected=bool(user.protected), created_at=user.created_at,
                       verified=bool(user.verified))

    async def publish(self, access_token: str, text: str, *, paid_partnership: bool
                      ) -> str:
        """POST /2/tweets; `paid_partnership` labels the post as a paid promotion."""
        response = await _call(self._client(access_token).request(
            "POST", "/2/tweets", json={"text": text, "paid_partnership": paid_partnership},
            user_auth=False))       # tweepy's create_tweet has no paid_partnership: raw
        body = await response.json()
        return str(body["data"]["id"])

    async def post_exists(self, access_token: str, post_id: str) -> bool:
        """A deleted post answers 200 with an error and no data, as X does."""
        response = await _call(self._client(access_token).get_tweet(post_id, user_auth=False))
        return response.data is not None

    async def repost(self, access_token: str, account_id: str, post_id: str) -> None:
        await _call(self._client(access_token).request(
            "POST", f"/2/users/{account_id}/retweets", json={"tweet_id": post_id},
            user_auth=False))

    def repost_link(self, post_id: str) -> str:
        """X's web intent (a simulator serves its own)."""
        return f"{self.web_url}/intent/retweet?" + urlencode({"tweet_id": post_id})

    async def posts_since(self, access_token: str, account_id: str, since_id: str | None
                          ) -> list[Post]:
        """GET /2/users/:id/tweets (the newest 100): a repost is a post referencing another
        as "retweeted"."""
        response = await _call(self._client(access_token).get_users_tweets(
            account_id, since_id=since_id, max_results=100,
            tweet_fields=["referenced_tweets"], user_auth=False))
        return [Post(str(tweet.id), next((str(ref.id) for ref in tweet.referenced_tweets or ()
                                          if ref.type == "retweeted"), None))
                for tweet in response.data or ()]

    async def undo_repost(self, access_token: str, account_id: str, post_id: str) -> None:
        await _call(self._client(access_token).request(
            "DELETE", f"/2/users/{account_id}/retweets/{post_id}", user_auth=False))


async def _in_thread(call: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(OAUTH_THREADS, call, *args)


def _tokens(token: dict[str, Any]) -> Tokens:
    expires_in = int(token.get("expires_in") or 7200)
    scopes = token.get("scope") or ()
    return Tokens(access_token=str(token["access_token"]),
                  refresh_token=token.get("refresh_token"),
                  expires_at=datetime.now(UTC) + timedelta(seconds=expires_in),
                  scopes=tuple(scopes.split() if isinstance(scopes, str) else scopes))


async def _call(pending: Any) -> Any:
    """Await a tweepy call; its exceptions become the provider's."""
    try:
        return await pending
    except tweepy.TooManyRequests as exc:
        raise RateLimited("rate limited", reset_at=exc.reset_time) from None
    except tweepy.Unauthorized:
        raise TokenExpired("the access token was refused") from None
    except tweepy.Forbidden as exc:
        if any("suspend" in str(message).lower() for message in exc.api_messages) or (
                "suspend" in str(exc).lower()):
            raise AccountSuspended("the account is suspended") from None
        raise ProviderError(f"forbidden: {exc.api_messages[:1]}") from None
    except tweepy.NotFound:  # our calls address a post by id, users by their own token
        raise PostGone("the post is gone") from None
    except tweepy.HTTPException as exc:
        raise ProviderError(f"X answered {exc.response.status}") from None
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise ProviderError(f"X unreachable: {type(exc).__name__}") from None
