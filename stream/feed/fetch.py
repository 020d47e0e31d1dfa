"""Polite HTTP fetching for `stream feed`: a total time limit, a size cap, and a pause between two
requests to the same host."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp

USER_AGENT = "conflict-stream-feed/0.1 (+https://conflict-stream.dev/feed)"
_CHUNK = 64 * 1024


class FetchError(Exception):
    """A fetch that failed: ``kind`` is timeout, failed or too_large; ``transient`` failures may succeed
    later (timeouts, refused connections, 5xx, 429); ``partial`` holds what was read."""

    def __init__(self, kind: str, message: str, *, transient: bool, partial: bytes = b""):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.transient = transient
        self.partial = partial


@dataclass
class Fetcher:
    timeout: float  # seconds for the whole response, headers and body
    max_bytes: int
    host_delay: float  # seconds between two requests to one host
    session: aiohttp.ClientSession | None = None

    def __post_init__(self) -> None:
        self._last_request: dict[str, float] = {}

    async def __aenter__(self) -> Fetcher:
        self.session = aiohttp.ClientSession(headers={"User-Agent": USER_AGENT},
                                             timeout=aiohttp.ClientTimeout(total=self.timeout))
        return self

    async def __aexit__(self, *exc) -> None:
        await self.session.close()

    async def _wait_for_turn(self, host: str) -> None:
        last = self._last_request.get(host)
        if last is not None:
            await asyncio.sleep(max(0.0, last + self.host_delay - time.monotonic()))
        self._last_request[host] = time.monotonic()

    async def get(self, url: str) -> bytes:
        """The body at ``url``; FetchError when it is late, refused, an HTTP error or too large."""
        await self._wait_for_turn(urlsplit(url).netloc)
        read = bytearray()
        try:
            async with self.session.get(url) as response:
                if response.status >= 400:
                    transient = response.status >= 500 or response.status == 429
                    raise FetchError("failed", f"HTTP {response.status} {response.reason or ''}".strip(),
                                     transient=transient)
                if (response.content_length or 0) > self.max_bytes:
                    raise FetchError("too_large", f"{response.content_length} bytes announced; the limit is "
                                                  f"{self.max_bytes}", transient=False)
                async for chunk in response.content.iter_chunked(_CHUNK):
                    read += chunk
                    if len(read) > self.max_bytes:
                        raise FetchError("too_large", f"more than {self.max_bytes} bytes; stopped reading",
                                         transient=False, partial=bytes(read[:self.max_bytes]))
        except asyncio.TimeoutError:
            raise FetchError("timeout", f"no complete answer within {self.timeout:g}s", transient=True,
                             partial=bytes(read)) from None
        except aiohttp.ClientError as exc:
            raise FetchError("failed", f"{type(exc).__name__}: {exc}", transient=True) from None
        return bytes(read)
