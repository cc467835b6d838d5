"""ASGI middleware: security headers, a request size limit and CSRF on every changing
request (a token from the signed session, sent as the ``csrf_token`` form field or the
``X-CSRF-Token`` header that htmx adds) — not code in each view."""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import PlainTextResponse

from reportgen.core.templating import message

Scope = dict[str, Any]

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "frame-src 'self'; base-uri 'none'; object-src 'none'")
HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
           (b"x-frame-options", b"DENY"), (b"referrer-policy", b"same-origin"),
           (b"cross-origin-opener-policy", b"same-origin")]
SAFE = {"GET", "HEAD", "OPTIONS"}


class SecurityHeaders:
    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in HEADERS if h[0] not in names]
                if b"cache-control" not in names:
                    message["headers"].append((b"cache-control", b"no-store"))
            await send(message)

        await self.app(scope, receive, with_headers)


def csrf_token(session: dict[str, Any]) -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


class CSRFAndLimit:
    """Refuses a changing request without the session's CSRF token (403) and a body over
    ``limit`` bytes (413). Runs inside the session middleware."""

    def __init__(self, app: Any, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE:
            return await self.app(scope, receive, send)
        body = bytearray()
        more = True
        while more:
            event = await receive()
            body.extend(event.get("body", b""))
            more = event.get("more_body", False)
            if len(body) > self.limit:
                mb = self.limit // (1024 * 1024)
                return await PlainTextResponse(message("web", "upload_too_large", mb=mb),
                                               status_code=413)(scope, receive, send)
        data = bytes(body)

        def replay() -> Any:
            sent = False

            async def _receive() -> dict[str, Any]:
                nonlocal sent
                if sent:
                    return {"type": "http.disconnect"}
                sent = True
                return {"type": "http.request", "body": data, "more_body": False}
            return _receive

        expected = scope.get("session", {}).get("csrf")
        given = await _token(scope, data, replay())
        if not expected or not given or not hmac.compare_digest(str(expected), str(given)):
            return await PlainTextResponse(message("web", "csrf_missing"), status_code=403)(scope, receive, send)
        await self.app(scope, replay(), send)


async def _token(scope: Scope, data: bytes, receive: Any) -> str | None:
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    if headers.get("x-csrf-token"):
        return headers["x-csrf-token"]
    ctype = headers.get("content-type", "")
    if ctype.startswith("application/x-www-form-urlencoded"):
        return (parse_qs(data.decode("utf-8", "replace")).get("csrf_token") or [None])[0]
    if ctype.startswith("multipart/form-data"):
        form = await Request(scope, receive).form(max_files=10, max_fields=2000)
        value = form.get("csrf_token")
        await form.close()
        return value if isinstance(value, str) else None
    return None
