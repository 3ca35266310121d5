"""A response cache for anonymous page and API reads, in front of everything else.

Anonymous visitors (no session cookie, no `Authorization` header) all see the same public
pages, so a directory or organisation page rendered for one can be served to the next without
touching the database or a worker thread. Entries are dropped when the app's own sessions
commit a change (`invalidate`, wired in `create_app`) and otherwise live `ttl` seconds, which
bounds staleness after a change made by another process (e.g. `innochain import`). Responses
that set a cookie, or are not 200, are never stored. API hits still count against the
per-IP rate limit. The body is stored as sent, compressed or not, under a key that says which.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from innochain.api.middleware import accepts_gzip

__all__ = ["PageCache", "ResponseCache"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]
]

#: path prefixes whose anonymous GET responses may be cached: public reads that depend on the
#: database (or on files shipped with the code) and on the URL only
CACHEABLE = (
    "/organizations",
    "/chain",
    "/api/v1/organizations",
    "/api/v1/chain-nodes",
    "/api/v1/technologies",
    "/api/v1/capabilities",
    "/api/v1/relations",
    "/api/v1/series",
    "/stats",
    "/assess",
    "/api/v1/assess",
    "/credits/rules",
    "/credits/published",
)


class PageCache:
    """Bounded LRU of (status, headers, body) by URL, with a version and a time-to-live."""

    def __init__(self, *, ttl: float, max_entries: int = 2000) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self.version = 0
        self._entries: OrderedDict[bytes, tuple[int, float, list[Any], bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: bytes) -> tuple[list[Any], bytes, bool] | None:
        """(headers, body, fresh) of a current entry; stale ones (past their time) still come
        back, so that one request refreshes them while the others are served."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            version, expires, headers, body = entry
            if version != self.version:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return headers, body, expires >= time.monotonic()

    def put(self, key: bytes, version: int, headers: list[Any], body: bytes) -> None:
        with self._lock:
            if version != self.version:
                return  # the data changed while this response was being made
            self._entries[key] = (version, time.monotonic() + self.ttl, headers, body)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def invalidate(self) -> None:
        with self._lock:
            self.version += 1
            self._entries.clear()


def _anonymous(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            return False
        if name == b"cookie" and b"innochain_session=" in value:
            return False
    return True


class ResponseCache:
    """ASGI middleware serving and filling a `PageCache` for anonymous GETs."""

    def __init__(
        self, app: ASGIApp, *, cache: PageCache, on_api_hit: Callable[[Scope], Message | None]
    ) -> None:
        self.app = app
        self.cache = cache
        self.on_api_hit = on_api_hit
        #: keys being made right now, and the event set when each is done
        self._filling: dict[bytes, asyncio.Event] = {}

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or self.cache.ttl <= 0
            or not path.startswith(CACHEABLE)
            or not _anonymous(scope)
        ):
            await self.app(scope, receive, send)
            return
        key = path.encode() + b"?" + scope.get("query_string", b"")
        if accepts_gzip(scope):  # compressed inside the cache: each encoding has its entry
            key += b"#gzip"
        hit = self.cache.get(key)
        if hit is None and key in self._filling:
            # another request is making this response: wait for it rather than repeat it
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._filling[key].wait(), timeout=10)
            hit = self.cache.get(key)
        if hit is not None and (hit[2] or key in self._filling):
            if path.startswith("/api/") and (refusal := self.on_api_hit(scope)) is not None:
                await send(refusal["start"])
                await send(refusal["body"])
                return
            await send({"type": "http.response.start", "status": 200, "headers": hit[0]})
            await send({"type": "http.response.body", "body": hit[1]})
            return
        version = self.cache.version
        start: Message | None = None
        chunks: list[bytes] = []
        filling = self._filling.setdefault(key, asyncio.Event())

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and start is not None:
                    headers = list(start.get("headers", []))
                    if start["status"] == 200 and not any(k == b"set-cookie" for k, _ in headers):
                        self.cache.put(key, version, headers, b"".join(chunks))
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            if self._filling.get(key) is filling:
                del self._filling[key]
            filling.set()
