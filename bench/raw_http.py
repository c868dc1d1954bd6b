"""A bare HTTP/1.1 keep-alive client for scenarios that must check every answer.

wrk measures the plain HTTP figures, but a scenario that counts lost bids needs to know
each request and its answer; httpx does that at a cost of a few hundred microseconds of
this process's CPU per request, which on a 2-core machine competes with the server under
test and caps the figure below what the server can do. This client writes a prepared
request on an open connection and reads the status line, the headers it needs and the body:
about a tenth of that.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class Connection:
    """One keep-alive connection; requests on it go one after the other."""

    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.fixed = "".join(f"{name}: {value}\r\n" for name, value in
                             {"Host": f"{self.host}:{self.port}", **headers}.items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def __aenter__(self) -> Connection:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()

    async def request(self, method: str, path: str, payload: Any = None) -> Answer:
        assert self.reader is not None and self.writer is not None
        body = json.dumps(payload).encode() if payload is not None else b""
        kind = "Content-Type: application/json\r\n" if payload is not None else ""
        self.writer.write(f"{method} {path} HTTP/1.1\r\n{self.fixed}{kind}Content-Length: "
                          f"{len(body)}\r\n\r\n".encode() + body)
        status = int((await self.reader.readline()).split()[1])
        length, chunked = 0, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        return Answer(status, await self._chunks() if chunked
                      else await self.reader.readexactly(length))

    async def _chunks(self) -> bytes:
        assert self.reader is not None
        parts = []
        while size := int((await self.reader.readline()).split(b";")[0], 16):
            parts.append(await self.reader.readexactly(size))
            await self.reader.readline()
        await self.reader.readline()
        return b"".join(parts)
