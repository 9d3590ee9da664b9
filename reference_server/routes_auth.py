"""``login``, ``refresh`` and ``logout``, plus the bearer check other routes share."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from .context import AppContext
from .errors import ApiError, invalid_grant, invalid_token, json_response
from .state import User
from .tokens import AccessClaims, AccessTokenRejected, RefreshRejected
from .validation import parse_login, parse_refresh, read_json_object


def require_session(request: Request, context: AppContext) -> tuple[User, AccessClaims]:
    """The user and session of the request's bearer token, or a 401 ``invalid_token``."""
    header = request.headers.get("authorization")
    if not header:
        raise invalid_token("An access token is required.")
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise invalid_token("Send the access token as 'Authorization: Bearer <token>'.")
    try:
        claims = context.tokens.verify_access(token)
    except AccessTokenRejected as rejected:
        raise invalid_token(str(rejected)) from None
    user = context.store.user(claims.user_id)
    if user is None:
        raise invalid_token("The access token's user does not exist.")
    return user, claims


async def login(request: Request, context: AppContext) -> Response:
    email, password = parse_login(await read_json_object(request))
    user = context.store.authenticate(email, password)
    if user is None:
        context.counters.failed_logins += 1
        raise ApiError(401, "invalid_credentials", "Unknown email or wrong password.")
    issued = context.tokens.login(user.id, context.config)
    context.counters.logins += 1
    return json_response(issued.to_json())


async def refresh(request: Request, context: AppContext) -> Response:
    refresh_token = parse_refresh(await read_json_object(request))
    try:
        issued = context.tokens.refresh(refresh_token, context.config)
    except RefreshRejected as rejected:
        context.counters.failed_refreshes += 1
        if rejected.reuse_detected:
            context.counters.reuse_detected += 1
        raise invalid_grant(str(rejected)) from None
    context.counters.refreshes += 1
    return json_response(issued.to_json())


async def logout(request: Request, context: AppContext) -> Response:
    _, claims = require_session(request, context)
    context.tokens.revoke(claims.sid)
    context.counters.logouts += 1
    return Response(status_code=204)
