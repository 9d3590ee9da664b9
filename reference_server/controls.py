"""Test controls under ``/_control/``: outside the public spec, no auth, JSON only.

=============================  ===============================================
``GET /_control/counters``     200 ``Counters`` JSON (see ``counters.Counters``)
``POST /_control/reset``       204; startup config, seed data, no sessions,
                               zeroed counters, no faults
``GET /_control/config``       200 ``{access_ttl, refresh_ttl, reuse_detection}``
``POST /_control/config``      same JSON, every field optional; 200 with the
                               resulting config; applies to tokens issued later
``POST /_control/forget-sessions``  204; like a restart: new signing key, every
                               access and refresh token is invalid
``GET /_control/faults``       200 ``{"faults": [Fault, ...]}``
``POST /_control/faults``      ``{target, latency?, status?, count?, retry_after?,
                               body?, drop?}`` (see ``faults``); 201 with the fault
``DELETE /_control/faults``    204; clears every fault
=============================  ===============================================

Bad control input gets the same Error body as the API (400 / 422).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from .context import AppContext
from .errors import ApiError, FieldError, json_response, validation_failed
from .faults import parse_fault
from .validation import read_json_object

PREFIX = "/_control"

_Endpoint = Callable[[Request, AppContext], Awaitable[Response]]


async def _counters(request: Request, context: AppContext) -> Response:
    return json_response(context.counters.snapshot().to_json())


async def _reset(request: Request, context: AppContext) -> Response:
    context.reset()
    return Response(status_code=204)


async def _get_config(request: Request, context: AppContext) -> Response:
    return json_response(context.config.to_json())


async def _set_config(request: Request, context: AppContext) -> Response:
    data = await read_json_object(request)
    unknown = sorted(set(data) - {"access_ttl", "refresh_ttl", "reuse_detection"})
    if unknown:
        raise validation_failed(
            [FieldError(f"body.{name}", "is not a setting") for name in unknown]
        )
    try:
        context.config = context.config.replace(
            access_ttl=data.get("access_ttl"),
            refresh_ttl=data.get("refresh_ttl"),
            reuse_detection=data.get("reuse_detection"),
        )
    except (TypeError, ValueError) as problem:
        raise validation_failed([FieldError("body", str(problem))]) from None
    return json_response(context.config.to_json())


async def _forget_sessions(request: Request, context: AppContext) -> Response:
    context.tokens.forget_all()
    return Response(status_code=204)


async def _list_faults(request: Request, context: AppContext) -> Response:
    return json_response({"faults": [fault.to_json() for fault in context.faults.active()]})


async def _add_fault(request: Request, context: AppContext) -> Response:
    fault = parse_fault(await read_json_object(request))
    context.faults.add(fault)
    return json_response(fault.to_json(), 201)


async def _clear_faults(request: Request, context: AppContext) -> Response:
    context.faults.clear()
    return Response(status_code=204)


def _bind(endpoint: _Endpoint, context: AppContext) -> Callable[[Request], Awaitable[Response]]:
    async def run(request: Request) -> Response:
        try:
            return await endpoint(request, context)
        except ApiError as error:
            return error.response()

    return run


def control_routes(context: AppContext) -> list[BaseRoute]:
    def route(path: str, endpoint: _Endpoint, method: str) -> Route:
        return Route(PREFIX + path, _bind(endpoint, context), methods=[method])

    return [
        route("/counters", _counters, "GET"),
        route("/reset", _reset, "POST"),
        route("/config", _get_config, "GET"),
        route("/config", _set_config, "POST"),
        route("/forget-sessions", _forget_sessions, "POST"),
        route("/faults", _list_faults, "GET"),
        route("/faults", _add_fault, "POST"),
        route("/faults", _clear_faults, "DELETE"),
    ]
