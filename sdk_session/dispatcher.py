"""The session run where a request gets its connection: ``Dispatcher`` and ``AtDispatch``.

``sdk_session.dispatch``'s transports call the ``Dispatcher`` once a session request
holds its connection slot; it signs the request with the tokens current at that
moment and, when they need something or a 401 asks for it, runs the core's flows
there with the drivers' ``run`` edge (API requests with the transport's ``send``,
token calls with its ``token_call``). ``AtDispatch`` is the httpx auth that only
marks the requests for it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator, Awaitable, Callable, Coroutine, Generator
from functools import partial
from typing import TYPE_CHECKING, Any

import httpx

from .core import SESSION_EXTENSION, Sent, interrupted_error
from .errors import SessionExpired
from .tokens import TokenSet

if TYPE_CHECKING:
    from .flow import SessionAuth

__all__ = ["AtDispatch", "Dispatcher", "token_call_failed"]

_log = logging.getLogger("sdk_session.flow")


def token_call_failed(exc: Exception, request: httpx.Request) -> BaseException:
    """A renewal's token call made at dispatch raised ``exc``: raise the ``SessionExpired``
    its waiters get (the drivers first tell the core, which records the interruption)."""
    if isinstance(exc, SessionExpired):
        return exc
    error = interrupted_error(exc, request)
    error.__cause__ = exc
    return error


class Dispatcher:
    """What ``DispatchTransport`` calls when a session request gets its connection.

    ``send``/``asend`` run a whole request there (``SessionClient``'s clients, marked
    by ``AtDispatch``). ``sign``/``asign`` serve a request the auth flow already
    signed (``SessionAuth`` on a plain httpx client): they re-check the token and sign
    with the newest one. A renewal needed at that moment sends its token call with
    ``token_call`` (the transport's token pool). ``observe`` feeds the latency window
    and the server clock.

    httpx's event hooks: a request run here passes the client's request hooks once,
    before it is signed, and its response hooks once, with its final answer; a resend
    after a 401 passes none, sync and async alike. Such a resend is part of one call,
    below httpx like the retry transport's retries, and keeps the request's connection
    slot (``sdk_session.dispatch``). Passing the hooks again would hand the 401 to
    response hooks first, and the hook httpx's documentation suggests,
    ``response.raise_for_status()``, would then fail every call that meets an expired
    token instead of letting it be renewed. (A plain client's ``SessionAuth`` resends
    from httpx's auth loop, so there each send passes the hooks, as with any
    ``httpx.Auth``.)
    """

    __slots__ = (
        "_aload",
        "_async",
        "_core",
        "_load",
        "_sync",
        "carries",
        "clock",
        "is_token_call",
        "observe",
        "signed",
    )

    def __init__(self, auth: SessionAuth) -> None:
        core = auth._core
        self._core = core
        self._sync, self._async = auth._sync, auth._async
        self._load, self._aload = auth.store.load, auth.store.aload
        self.clock = core.clock
        self.signed = core.sign_at_dispatch
        """The fast path, without I/O: ``True`` when the request is signed and can go."""
        self.observe = core.observe
        """``observe(response, sent, received)``: feed the latency window and server clock."""
        self.carries = core.policy.carries_credentials
        """``carries(url)``: whether a request for ``url`` may carry credentials."""
        self.is_token_call = partial(auth.binding.is_token_endpoint, core.base_url)
        """``is_token_call(request)``: a login/refresh call (signed by nobody)."""

    def send(
        self,
        request: httpx.Request,
        send: Callable[[httpx.Request], httpx.Response],
        token_call: Callable[[httpx.Request], httpx.Response],
        behind: Callable[[Callable[[], None]], bool] | None = None,
        checked: httpx.URL | None = None,
    ) -> httpx.Response:
        """One session request, run where it gets its connection: sign with the current
        tokens and send; when they need something, or a 401 asks for a renewal, the
        core's whole ``request_flow`` runs here. A request for another origin (a
        redirect keeps the extensions) goes out untouched. A renewal ahead of time is
        handed to ``behind`` (which starts a job on a thread of its own) when given, so
        the request that noticed it goes on with its still-valid token too. ``checked``
        is the URL the auth flow already found to carry credentials (not asked again)."""
        url = request.url
        if url is not checked and not self.carries(url):
            return send(request)
        core = self._core
        tokens = self._load()
        mark = core.sign_fast(request, tokens, True)
        if mark is None:
            if behind is not None:
                job = partial(self._renew_behind, token_call=token_call)
                mark = self._sign_behind(request, tokens, behind, job)
            if mark is None:
                flow = core.request_flow(request, True)
                return self._sync.run(flow, send, token_call, token_call_failed)
        response = send(request)
        if core.answered(request, response, mark):
            return response
        flow = core.request_flow(request, True, (mark, response))
        return self._sync.run(flow, send, token_call, token_call_failed)

    async def asend(
        self,
        request: httpx.Request,
        send: Callable[[httpx.Request], Awaitable[httpx.Response]],
        token_call: Callable[[httpx.Request], Awaitable[httpx.Response]],
        behind: Callable[[Callable[[], Coroutine[object, object, None]]], bool] | None = None,
        checked: httpx.URL | None = None,
    ) -> httpx.Response:
        """``send`` with awaits (``behind`` starts a task)."""
        url = request.url
        if url is not checked and not self.carries(url):
            return await send(request)
        core = self._core
        tokens = await self._aload()
        mark = core.sign_fast(request, tokens, True)
        if mark is None:
            if behind is not None:
                job = partial(self._arenew_behind, token_call=token_call)
                mark = self._sign_behind(request, tokens, behind, job)
            if mark is None:
                flow = core.request_flow(request, True)
                return await self._async.run(flow, send, token_call, token_call_failed)
        response = await send(request)
        if core.answered(request, response, mark):
            return response
        flow = core.request_flow(request, True, (mark, response))
        return await self._async.run(flow, send, token_call, token_call_failed)

    def _sign_behind(
        self,
        request: httpx.Request,
        tokens: object,
        behind: Callable[[Any], bool],
        job: Callable[[TokenSet], object],
    ) -> Sent | None:
        """When ``tokens`` are due for a renewal ahead of time and this caller claimed it,
        start ``job`` with ``behind`` and sign with the still-valid ``tokens``; ``None``
        when the request must run the whole flow."""
        core = self._core
        now = core.clock()
        if not (
            isinstance(tokens, TokenSet)
            and core.due_ahead(tokens, now)
            and core.state.claim_ahead(now)
        ):
            return None
        if not behind(partial(job, tokens)):
            core.ahead_done()
            return None
        return core.sign_fast(request, tokens, True)

    def _renew_behind(
        self, tokens: TokenSet, token_call: Callable[[httpx.Request], httpx.Response]
    ) -> None:
        try:
            flow = self._core.renew_ahead(tokens)
            self._sync.run(flow, token_call, token_call, token_call_failed)
        except Exception as exc:  # the token still works: the requests handle what is next
            _behind_failed(exc)
        finally:
            self._core.ahead_done()

    async def _arenew_behind(
        self, tokens: TokenSet, token_call: Callable[[httpx.Request], Awaitable[httpx.Response]]
    ) -> None:
        try:
            flow = self._core.renew_ahead(tokens)
            await self._async.run(flow, token_call, token_call, token_call_failed)
        except Exception as exc:
            _behind_failed(exc)
        finally:
            self._core.ahead_done()

    def sign(
        self, request: httpx.Request, token_call: Callable[[httpx.Request], httpx.Response]
    ) -> None:
        core = self._core
        if not core.sign_at_dispatch(request):
            # dispatch_flow only renews and signs: every request it makes is a token call
            self._sync.run(core.dispatch_flow(request), token_call, token_call, token_call_failed)

    async def asign(
        self,
        request: httpx.Request,
        token_call: Callable[[httpx.Request], Awaitable[httpx.Response]],
    ) -> None:
        core = self._core
        if not core.sign_at_dispatch(request):
            flow = core.dispatch_flow(request)
            await self._async.run(flow, token_call, token_call, token_call_failed)


def _behind_failed(exc: Exception) -> None:
    _log.info("renewal ahead of time failed: %s", type(exc).__name__)


class AtDispatch(httpx.Auth):
    """The auth of ``SessionClient``'s own httpx clients: it only marks each request.

    Their outermost transport is always a ``DispatchTransport``, which runs the marked
    request's whole session flow (``Dispatcher.send``) once the request holds its
    connection slot: one signing, against the tokens current at that moment, and
    nothing in httpx's auth loop on the way. A request sent with ``auth=None``
    (the generated token operations), or to an origin that gets no credentials, is
    not marked and goes out untouched (its body is not buffered either).
    """

    def __init__(self, dispatcher: Dispatcher) -> None:
        self._dispatcher = dispatcher

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        dispatcher = self._dispatcher
        url = request.url
        if dispatcher.carries(url) and not dispatcher.is_token_call(request):
            request.read()  # so a resend after a 401 or a retry can replay the body
            request.extensions[SESSION_EXTENSION] = (dispatcher, url)
        else:  # (a redirect shares the extensions of the request it follows)
            request.extensions.pop(SESSION_EXTENSION, None)
        yield request

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        dispatcher = self._dispatcher
        url = request.url
        if dispatcher.carries(url) and not dispatcher.is_token_call(request):
            await request.aread()
            request.extensions[SESSION_EXTENSION] = (dispatcher, url)
        else:
            request.extensions.pop(SESSION_EXTENSION, None)
        yield request
