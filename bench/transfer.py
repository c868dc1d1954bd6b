"""What a page costs on the wire: fetched with Accept-Encoding: gzip, body bytes as sent."""

from __future__ import annotations

import gzip
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Transfer:
    path: str
    status: int
    encoding: str  # Content-Encoding as sent, "identity" when absent
    wire_bytes: int
    decoded_bytes: int


def measure_transfer(url: str, cookie: str | None = None) -> Transfer:
    headers = {"Accept-Encoding": "gzip", **({"Cookie": cookie} if cookie else {})}
    with httpx.Client(timeout=10.0) as client, client.stream("GET", url,
                                                             headers=headers) as response:
        wire = b"".join(response.iter_raw())
    encoding = response.headers.get("content-encoding", "identity")
    decoded = gzip.decompress(wire) if encoding == "gzip" else wire
    return Transfer(path=httpx.URL(url).path, status=response.status_code, encoding=encoding,
                    wire_bytes=len(wire), decoded_bytes=len(decoded))
