"""Request size limits, enforced before a route reads the body (上传大小限制).

An upload route accepts `max_upload_bytes` per request; every other route a small body
(a cell's text, a comment). A request that announces a larger `Content-Length` is refused
with 413 before one byte is read; one that sends more than it announced, or streams
without a length, is cut off at the limit. Either way the route never runs to the end, so
nothing of it is stored.
"""

from __future__ import annotations

import json
from collections.abc import Collection

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MB = 1 << 20
FORM_BODY_BYTES = MB  # a cell text, a comment, a login: far less than this


class BodyTooLarge(Exception):
    pass


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, upload_paths: Collection[str], max_upload_bytes: int) -> None:
        self.app = app
        self.upload_paths = frozenset(upload_paths)
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.max_upload_bytes if scope["path"] in self.upload_paths else FORM_BODY_BYTES
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(scope, send, limit)
            return
        received = 0
        exceeded = refused = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def watching_send(message: Message) -> None:
            # The app may turn the cut-off into an error of its own (FastAPI answers 400 to a
            # body it could not parse); the client is told the real reason instead.
            nonlocal refused
            if not exceeded:
                await send(message)
            elif not refused:
                refused = True
                await _refuse(scope, send, limit)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge:
            if not refused:
                refused = True
                await _refuse(scope, send, limit)


def too_large_message(limit: int) -> str:
    return f"上传内容过大：每次上传不能超过 {limit / MB:.3g} MB（可由管理员用 JIXIAO_MAX_UPLOAD_MB 调整），未保存任何内容"


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(scope: Scope, send: Send, limit: int) -> None:
    """413 with a Chinese message: JSON for the API and for scripts, plain text otherwise."""
    message = too_large_message(limit)
    if scope["path"].startswith("/api/"):
        body = json.dumps({"detail": message}, ensure_ascii=False).encode()
        kind = b"application/json"
    else:
        body = message.encode()
        kind = b"text/plain; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()), (b"connection", b"close")]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
