"""Plain ASGI middleware: security headers on every response, a cap on request bodies, gzip for
clients that accept it."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware

from innochain.registry.formats import XLSX_MEDIA_TYPE

__all__ = ["SECURITY_HEADERS", "BodyLimit", "Compress", "SecurityHeaders", "accepts_gzip"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: no inline script anywhere, no framing, no referrer beyond this site
SECURITY_HEADERS: dict[str, str] = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
_ENCODED = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
#: a downloaded self-contained report (a region's cluster, an export checklist): styles inline,
#: no script, nothing loaded from anywhere; the response sets it, the middleware keeps it
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers.extend((k, v) for k, v in _ENCODED if k not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Answer 413 (JSON) to a body over `max_bytes`, declared or streamed, before any handler
    has acted on it."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {
                "error": "too_large",
                "detail": f"request body over the limit of {self.max_bytes // 1024} KB",
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), *_ENCODED],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.max_bytes + 1
                if declared > self.max_bytes:
                    await self._refuse(send)
                    return
        seen = 0

        async def counting_receive() -> Message:
            # a body streamed without a length: the app's error handlers answer 413
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise HTTPException(
                        413, f"request body over the limit of {self.max_bytes // 1024} KB"
                    )
            return message

        await self.app(scope, counting_receive, send)


def accepts_gzip(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"accept-encoding":
            return b"gzip" in value
    return False


class Compress(GZipMiddleware):
    """Starlette's gzip for requests that accept it (pages, JSON, CSV, SVG and scripts of 1 KiB
    and more; not PDF or XLSX, already compressed). Other requests go straight to the app
    rather than through the middleware's identity path, a layer that does nothing for them."""

    def __init__(self, app: ASGIApp) -> None:
        skip = (*DEFAULT_EXCLUDED_CONTENT_TYPES, "application/pdf", XLSX_MEDIA_TYPE)
        super().__init__(app, minimum_size=1024, compresslevel=6, exclude_content_types=skip)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and accepts_gzip(scope):
            await super().__call__(scope, receive, send)
        else:
            await self.app(scope, receive, send)
