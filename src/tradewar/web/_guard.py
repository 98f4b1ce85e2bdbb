"""The guard in front of the app: ``Host`` header, body size, security headers.

Pure ASGI middleware, so it sees every request before FastAPI reads it.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

__all__ = ["PAGE_CSP", "SECURITY_HEADERS", "Guard"]

#: The page's Content-Security-Policy: scripts, styles, data and the map only from this server.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


def _host_name(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("["):
        return value[1: value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class Guard:
    """ASGI middleware: refuses unknown ``Host`` headers (400) and bodies above ``max_bytes``
    (413, before the app reads them), and adds security headers to every response."""

    def __init__(self, app: Callable[..., Awaitable[None]], max_bytes: int,
                 allowed_hosts: Sequence[str]):
        self.app = app
        self.max_bytes = max_bytes
        self.any_host = "*" in allowed_hosts
        self.hosts = {h.strip("[]").lower() for h in allowed_hosts}

    async def _reply(self, send: Callable[..., Awaitable[None]], status: int, detail: str) -> None:
        body = json.dumps({"detail": detail}).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close"), *SECURITY_HEADERS]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Awaitable[Any]],
                       send: Callable[..., Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if not self.any_host and _host_name(headers.get("host", "")) not in self.hosts:
            await self._reply(send, 400, "Host header not allowed: this server answers only "
                                         "requests addressed to " + ", ".join(sorted(self.hosts)))
            return
        too_big = f"request body larger than {self.max_bytes} bytes"
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            await self._reply(send, 413, too_big)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._reply(send, 413, too_big)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        replayed = False

        async def replay() -> Any:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        async def secured(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, replay, secured)
