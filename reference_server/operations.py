"""The wrapper every spec operation runs in: counting, fault injection, errors.

Wrapping each operation (rather than a path-matching middleware) means the
operationId is known exactly, so ``requests`` counters and faults aimed at one
operation cannot drift from the routing table.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from .context import AppContext
from .errors import ApiError
from .faults import forced_response, spoiled_response

RAW_SEND_KEY = "reference_server.raw_send"
"""Scope key holding the server's own ``send`` (before any middleware wrapped it)."""

Handler = Callable[[Request, AppContext], Awaitable[Response]]

_log = logging.getLogger(__name__)
_DISCONNECT_TIMEOUT = 5.0


class Operation:
    """An ASGI endpoint running one spec operation's handler."""

    def __init__(self, operation_id: str, handler: Handler, context: AppContext) -> None:
        self.operation_id = operation_id
        self.handler = handler
        self.context = context

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        context = self.context
        context.counters.requests[self.operation_id] += 1

        async def counting_send(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 401:
                context.counters.unauthorized += 1
            await send(message)

        fault = context.faults.take(self.operation_id)
        if fault is not None:
            if fault.latency:
                await asyncio.sleep(fault.latency)
            if fault.drop:
                await drop_connection(scope, receive, send)
                return
            if fault.status is not None:
                await forced_response(fault)(scope, receive, counting_send)
                return
        try:
            response = await self.handler(Request(scope, receive), context)
        except ApiError as error:
            response = error.response()
        if fault is not None and fault.body is not None:
            response = spoiled_response(response, fault.body)
        await response(scope, receive, counting_send)


async def drop_connection(scope: Scope, receive: Receive, send: Send) -> None:
    """Close the TCP connection without answering.

    Raising before the response starts would make uvicorn answer 500, so this
    aborts the transport behind uvicorn's own ``send`` (a bound method of its
    request cycle) and then waits for uvicorn to see the disconnect, which keeps
    it from answering or logging. If that transport cannot be found, it falls
    back to starting a response and abandoning it, which uvicorn also answers by
    closing the connection (after the status line).
    """
    raw_send = scope.get(RAW_SEND_KEY)
    transport = getattr(getattr(raw_send, "__self__", None), "transport", None)
    abort = getattr(transport, "abort", None)
    if not callable(abort):
        _log.warning("cannot reach the transport; dropping after the status line")
        await send({"type": "http.response.start", "status": 200, "headers": []})
        return
    abort()
    try:
        async with asyncio.timeout(_DISCONNECT_TIMEOUT):
            while (await receive())["type"] != "http.disconnect":
                pass
    except TimeoutError:
        _log.warning("the dropped connection did not report a disconnect")
