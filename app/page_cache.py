"""Public pages that many anonymous visitors load at once (a campaign's page when it is shared)
are answered from memory for up to `ttl` seconds; when an answer expires, one request makes
the next while the others still get the old one (for at most `grace` seconds) and then wait
for the new one (for at most `wait` seconds), so a crowd never renders the page all at once
— not the first time, nor when making it takes longer than the grace under that crowd.

Only GETs without a query string and without our session cookie, on paths a domain declared
cacheable, and only 200 answers that set no cookie: nothing personal is ever cached. The key
holds what the answer depends on for an anonymous visitor (the path, Accept-Language, and
whether the body was gzipped). Figures on a cached page are at most `ttl + grace` (2) seconds
old.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = b"harambee="


@dataclass(frozen=True)
class Cached:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    expires: float


class PageCacheMiddleware:
    def __init__(self, app: ASGIApp, *, paths: Sequence[re.Pattern[str]], ttl: float = 1.5,
                 grace: float = 0.5, max_entries: int = 2000, wait: float = 5.0) -> None:
        self.app = app
        self.paths = tuple(paths)
        self.ttl = ttl
        self.grace = grace  # while one request refreshes an entry, the others get the old one
        self.max_entries = max_entries
        self.entries: dict[tuple[str, bytes, bool], Cached] = {}
        # the key being made now, and the event set when it is made
        self.refreshing: dict[tuple[str, bytes, bool], asyncio.Event] = {}
        self.wait = wait

    def _key(self, scope: Scope) -> tuple[str, bytes, bool] | None:
        if (scope["type"] != "http" or scope["method"] != "GET" or scope["query_string"]
                or not any(p.fullmatch(scope["path"]) for p in self.paths)):
            return None
        headers = dict(scope["headers"])
        if SESSION_COOKIE in headers.get(b"cookie", b""):
            return None
        return (scope["path"], headers.get(b"accept-language", b"")[:64],
                b"gzip" in headers.get(b"accept-encoding", b""))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        now = time.monotonic()
        hit = self.entries.get(key)
        if hit is not None and (hit.expires > now or (
                key in self.refreshing and hit.expires + self.grace > now)):
            await self._send(hit, send)
            return
        if key in self.refreshing:
            # Someone is making the page (the first time, or slower than the grace under a
            # crowd): wait for their answer rather than all making it at once.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.refreshing[key].wait(), self.wait)
            made = self.entries.get(key)
            if made is not None and made is not hit:     # the answer just made
                await self._send(made, send)
            else:                           # waited in vain: make it too
                await self._refresh(key, scope, receive, send, now)
            return
        done = self.refreshing[key] = asyncio.Event()
        try:
            await self._refresh(key, scope, receive, send, now)
        finally:
            done.set()
            del self.refreshing[key]

    @staticmethod
    async def _send(cached: Cached, send: Send) -> None:
        await send({"type": "http.response.start", "status": cached.status,
                    "headers": cached.headers})
        await send({"type": "http.response.body", "body": cached.body})

    async def _refresh(self, key: tuple[str, bytes, bool], scope: Scope, receive: Receive,
                       send: Send, now: float) -> None:
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        headers = list(start.get("headers", []))
        if start.get("status") == 200 and not any(name == b"set-cookie" for name, _ in headers):
            if len(self.entries) >= self.max_entries:
                self.entries.clear()  # crude, and enough: a burst of many paths is rare
            self.entries[key] = Cached(200, headers, b"".join(chunks), now + self.ttl)
