"""Adapts standard OAuth2 form-encoded token requests to the Items API's JSON endpoints.

Authlib and httpx-auth send RFC 6749 token requests (``application/x-www-form-urlencoded``
with ``grant_type``); the Items API wants ``POST /login {email, password}`` and
``POST /refreshToken {refresh_token}``. This transport rewrites only form POSTs to
``TOKEN_PATHS``; every other request passes through untouched. It is plugged in through
each peer's documented way to supply the HTTP client (Authlib: the httpx client it is;
httpx-auth: its ``client=`` argument).
"""

from __future__ import annotations

from urllib.parse import parse_qs

import httpx

TOKEN_PATHS = frozenset({"/oauth/token", "/refreshToken"})


def _rewrite(request: httpx.Request, body: bytes) -> httpx.Request:
    if request.method != "POST" or request.url.path not in TOKEN_PATHS:
        return request
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return request
    form = {key: values[0] for key, values in parse_qs(body.decode()).items()}
    grant = form.get("grant_type")
    if grant == "password":
        path, payload = "/login", {"email": form["username"], "password": form["password"]}
    elif grant == "refresh_token":
        path, payload = "/refreshToken", {"refresh_token": form["refresh_token"]}
    else:
        return request
    return httpx.Request("POST", request.url.copy_with(path=path), json=payload)


class FormToJsonTransport(httpx.BaseTransport):
    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._inner.handle_request(_rewrite(request, request.read()))

    def close(self) -> None:
        self._inner.close()


class AsyncFormToJsonTransport(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._inner.handle_async_request(_rewrite(request, await request.aread()))

    async def aclose(self) -> None:
        await self._inner.aclose()
