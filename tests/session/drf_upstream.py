"""A small SimpleJWT-shaped token server with redirect and echo routes, for the origin tests.

The SimpleJWT integration tests run against the real Django project instead
(tests/drf_upstream, test_other_upstream.py); this one only serves the
cross-origin redirect and per-request opt-out checks of test_security.py.

SimpleJWT answers ``POST /api/token/`` {username, password} with {access, refresh}
(no token_type, no expires_in) and ``POST /api/token/refresh/`` {refresh} with
{access} or, with ROTATE_REFRESH_TOKENS, {access, refresh}; a bad refresh token
gets 401 ``token_not_valid``. Protected views answer 401 with
``WWW-Authenticate: Bearer realm="api"`` and no error code. Tokens are real
HS256 JWTs (PyJWT); ``exp``/``iat`` are floats so lifetimes can be sub-second,
and ``exp`` is checked here as a float (PyJWT would round to whole seconds).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any, ClassVar

import jwt
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from sdk_session import SimpleJwtBinding

KEY = "stand-in-secret-key-for-tests-only-32b"
USER, PASSWORD = "alice", "alice-password"


@dataclass
class DrfState:
    access_ttl: float = 60.0
    rotate: bool = True
    logins: int = 0
    refreshes: int = 0
    rejected_refreshes: int = 0
    unauthorized: int = 0
    blacklist: set[str] = field(default_factory=set)
    authorization_seen: list[str | None] = field(default_factory=list)

    def token(self, kind: str, ttl: float) -> str:
        now = time.time()
        claims = {"token_type": kind, "user_id": 1, "jti": secrets.token_hex(8)}
        claims |= {"iat": now, "exp": now + ttl}
        return jwt.encode(claims, KEY, algorithm="HS256")

    def decode(self, token: str, kind: str) -> dict[str, Any] | None:
        try:
            claims: dict[str, Any] = jwt.decode(
                token, KEY, algorithms=["HS256"], options={"verify_exp": False}
            )
        except jwt.PyJWTError:
            return None
        if claims.get("token_type") != kind or float(claims["exp"]) <= time.time():
            return None
        return claims


def _invalid() -> JSONResponse:
    body = {"detail": "Given token not valid for any token type", "code": "token_not_valid"}
    return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": 'Bearer realm="api"'})


def create_app(state: DrfState) -> Starlette:
    async def obtain(request: Request) -> Response:
        body = await request.json()
        if body.get("username") != USER or body.get("password") != PASSWORD:
            return JSONResponse({"detail": "No active account"}, status_code=401)
        state.logins += 1
        return JSONResponse(
            {
                "access": state.token("access", state.access_ttl),
                "refresh": state.token("refresh", 3600),
            }
        )

    async def refresh(request: Request) -> Response:
        body = await request.json()
        token = body.get("refresh")
        if (
            not isinstance(token, str)
            or token in state.blacklist
            or not state.decode(token, "refresh")
        ):
            state.rejected_refreshes += 1
            return JSONResponse({"detail": "Token is blacklisted", "code": "token_not_valid"}, 401)
        state.refreshes += 1
        answer = {"access": state.token("access", state.access_ttl)}
        if state.rotate:
            state.blacklist.add(token)
            answer["refresh"] = state.token("refresh", 3600)
        return JSONResponse(answer)

    async def items(request: Request) -> Response:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme != "Bearer" or not state.decode(token, "access"):
            state.unauthorized += 1
            return _invalid()
        return JSONResponse([{"id": 1, "name": "Lamp"}])

    async def redirect(request: Request) -> Response:
        return RedirectResponse(request.query_params["to"], status_code=307)

    async def echo(request: Request) -> Response:
        state.authorization_seen.append(request.headers.get("authorization"))
        return JSONResponse({"ok": True})

    return Starlette(
        routes=[
            Route("/api/token/", obtain, methods=["POST"]),
            Route("/api/token/refresh/", refresh, methods=["POST"]),
            Route("/api/items/", items, methods=["GET"]),
            Route("/api/redirect", redirect, methods=["GET"]),
            Route("/api/echo", echo, methods=["GET"]),
        ]
    )


class StandIn:
    """A running stand-in: its URL and live state."""

    binding: ClassVar[type[SimpleJwtBinding]] = SimpleJwtBinding

    def __init__(self, url: str, state: DrfState) -> None:
        self.url = url
        self.state = state
