"""``create_app``: the Starlette application serving spec/openapi.yaml and the controls."""

from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from . import routes_auth, routes_items
from .config import ServerConfig
from .context import AppContext
from .controls import control_routes
from .errors import ApiError
from .operations import RAW_SEND_KEY, Handler, Operation

_log = logging.getLogger(__name__)

# (path, method, operationId, handler): the routing table of spec/openapi.yaml.
_OPERATIONS: tuple[tuple[str, str, str, Handler], ...] = (
    ("/login", "POST", "login", routes_auth.login),
    ("/refreshToken", "POST", "refresh", routes_auth.refresh),
    ("/logout", "POST", "logout", routes_auth.logout),
    ("/me", "GET", "me", routes_items.me),
    ("/items", "GET", "list", routes_items.list_items),
    ("/items", "POST", "create", routes_items.create_item),
    ("/items/{item_id}", "GET", "get", routes_items.get_item),
    ("/items/{item_id}", "PATCH", "update", routes_items.update_item),
    ("/items/{item_id}", "DELETE", "delete", routes_items.delete_item),
)


class ItemsApi(Starlette):
    """Starlette, plus the server's raw ``send`` in the scope so a fault can drop
    the connection (see ``operations.drop_connection``)."""

    context: AppContext

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[RAW_SEND_KEY] = send
        await super().__call__(scope, receive, send)


class _MethodDispatch:
    """The operations of one path, chosen by method (HEAD runs GET)."""

    def __init__(self, operations: dict[str, Operation]) -> None:
        self.operations = operations

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope["method"]
        operation = self.operations.get("GET" if method == "HEAD" else method)
        assert operation is not None  # the route only admits its own methods
        await operation(scope, receive, send)


async def _http_error(request: Request, exc: Exception) -> Response:
    """Unknown paths and methods get the Error body too (never HTML or plain text)."""
    assert isinstance(exc, HTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "bad_request")
    return ApiError(exc.status_code, code, exc.detail, headers=exc.headers).response()


async def _server_error(request: Request, exc: Exception) -> Response:
    _log.error("unhandled error in %s %s", request.method, request.url.path, exc_info=exc)
    return ApiError(500, "internal_error", "The server failed unexpectedly.").response()


def create_app(config: ServerConfig | None = None) -> ItemsApi:
    """A fresh server: its own data, sessions, counters and faults."""
    context = AppContext(config or ServerConfig())
    by_path: dict[str, dict[str, Operation]] = {}
    for path, method, operation_id, handler in _OPERATIONS:
        by_path.setdefault(path, {})[method] = Operation(operation_id, handler, context)
    # One route per path, so a 405 lists every method of the path in ``Allow``.
    routes: list[BaseRoute] = [
        Route(path, _MethodDispatch(operations), methods=list(operations))
        for path, operations in by_path.items()
    ]
    routes += control_routes(context)
    app = ItemsApi(
        routes=routes,
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
    )
    app.router.redirect_slashes = False  # a redirect is not a documented answer
    app.context = context
    return app
