"""``SessionAuth``: the httpx auth flow that runs the sans-IO session core.

httpx drives an auth flow as a generator: every request it yields is sent (with
redirects, hooks and the transport, but not auth again) and the response comes
back in. The two drivers below run ``SessionCore`` generators; they differ only
in how they take the store's lock, talk to the store and call the credentials
provider: blocking in ``sync_auth_flow``, awaiting in ``async_auth_flow``.

The lock is never held while the application's own request is in flight, only
around a renewal, and it is released however the flow ends (exception,
cancellation, httpx closing the generator).

``SessionAuth.dispatcher`` runs the core's ``dispatch_flow`` for
``sdk_session.dispatch.DispatchTransport``, which signs each request when it
gets its connection; token calls made there go through that transport's inner
transport.
"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Coroutine, Generator, Iterable
from contextlib import AsyncExitStack, ExitStack
from functools import partial
from typing import Any, TypeVar, cast

import anyio
import httpx

from .binding import TokenBinding
from .core import (
    RENEWAL_EXTENSION,
    SESSION_EXTENSION,
    AskCredentials,
    Load,
    Lock,
    Release,
    Save,
    Send,
    Sent,
    SessionCore,
    Sleep,
    Step,
    TokenCallInterrupted,
    TryLock,
    Unlock,
    interrupted_error,
)
from .credentials import Credentials, CredentialsProvider, coerce_credentials
from .errors import SessionExpired, StoreLockTimeout
from .events import OnSessionExpired, OnTokens, SessionEvents
from .origins import OriginPolicy
from .retry import TOKEN_RETRY, RetryPolicy, coerce_policy
from .stores.base import DEFAULT_LOCK_TIMEOUT, TokenStore
from .stores.memory import MemoryTokenStore
from .tokens import DEFAULT_LEEWAY, DEFAULT_MAX_LEEWAY_FRACTION, TokenSet

__all__ = [
    "DEFAULT_TOKEN_TIMEOUT",
    "AtDispatch",
    "Dispatcher",
    "SessionAuth",
    "resolve_token_timeout",
]

_log = logging.getLogger("sdk_session.flow")

T = TypeVar("T")


class _DefaultTokenTimeout(float):
    """The type of ``DEFAULT_TOKEN_TIMEOUT``: a number that also says "not set", so that
    a client's own ``timeout`` can take its place (see ``resolve_token_timeout``)."""

    __slots__ = ()


DEFAULT_TOKEN_TIMEOUT: float = _DefaultTokenTimeout(10.0)
"""Seconds allowed for each attempt of a login/refresh call when no timeout is set (never
unbounded): per phase (connect, read, write, pool), per attempt.

It is the default ``token_timeout`` of ``SessionAuth`` and of the session clients. A session
client given neither ``token_timeout=`` nor a ``timeout=`` of its own uses it; given its own
``timeout=``, it sends token calls with that timeout instead (``resolve_token_timeout``). An
explicit ``token_timeout=`` always wins, even one equal to this default.
"""


def resolve_token_timeout(
    token_timeout: float | httpx.Timeout,
    client_timeout: float | httpx.Timeout | None,
    client_default: float | httpx.Timeout | None,
) -> httpx.Timeout:
    """The timeout of each login/refresh attempt of a session client.

    ``token_timeout`` when it was set (anything but ``DEFAULT_TOKEN_TIMEOUT`` itself);
    else the client's own timeout when it differs from the client's default
    (``client_default``), each phase it leaves unbounded (``None``) bounded by
    ``DEFAULT_TOKEN_TIMEOUT``; else ``DEFAULT_TOKEN_TIMEOUT``. So
    ``SessionClient(timeout=1.0)`` logs in and refreshes with 1 s per attempt, and
    ``timeout=None`` (API calls wait forever) keeps token calls bounded.
    """
    if not isinstance(token_timeout, _DefaultTokenTimeout):
        return httpx.Timeout(token_timeout)
    default = float(token_timeout)
    own = httpx.Timeout(client_timeout)
    if own == httpx.Timeout(client_default):
        return httpx.Timeout(default)
    phases = {
        phase: default if seconds is None else seconds for phase, seconds in own.as_dict().items()
    }
    return httpx.Timeout(**phases)


class SessionAuth(httpx.Auth):
    """An ``httpx.Auth`` that logs in, signs, refreshes and resends.

    Works with any ``httpx.Client``/``httpx.AsyncClient`` (``auth=SessionAuth(...)``)
    and is what ``SessionClient`` installs. Everything that shares ``store`` shares
    one session and one refresh. Opt a single request out with ``auth=None``.

    Args:
        base_url: The API root; its origin receives credentials.
        store: Where tokens live (default: a new ``MemoryTokenStore``).
        binding: The upstream's token operations (a generated SDK's ``session.Binding``,
            ``SimpleJwtBinding``, a ``JsonTokenBinding`` subclass; required).
        credentials: Optional provider (sync or async callable) returning
            ``Credentials``/``(email, password)``, used to log in again once when
            the refresh token is rejected (or when there is no session yet).
        leeway: Seconds before expiry to refresh proactively ...
        max_leeway_fraction: ... but never more than this fraction of the lifetime.
        on_tokens / on_session_expired: Event callbacks (see ``events``).
        allow_insecure_http: Allow plain http to non-loopback hosts.
        allowed_origins: Further origins (``https://host[:port]``) that get credentials.
        lock_timeout: Seconds to wait for the store's refresh lock.
        token_timeout: Timeout of each attempt of a login/refresh (or logout) call made
            by the flow: seconds or an ``httpx.Timeout`` (default
            ``DEFAULT_TOKEN_TIMEOUT``, 10 s). The httpx client's own ``timeout`` does
            not apply to these calls; the session clients pass theirs here (see
            ``resolve_token_timeout``).
        token_retries: The retry budget of login/refresh calls (an int, a
            ``RetryPolicy`` or ``None``; default ``TOKEN_RETRY``: 2 retries of
            429/5xx and failed connections). Applied by ``sdk_session.retry``'s
            transports, which ``SessionClient`` installs.
    """

    def __init__(
        self,
        base_url: httpx.URL | str,
        *,
        binding: TokenBinding,
        store: TokenStore | None = None,
        credentials: CredentialsProvider | None = None,
        leeway: float = DEFAULT_LEEWAY,
        max_leeway_fraction: float = DEFAULT_MAX_LEEWAY_FRACTION,
        on_tokens: OnTokens | None = None,
        on_session_expired: OnSessionExpired | None = None,
        allow_insecure_http: bool = False,
        allowed_origins: Iterable[str] = (),
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        token_timeout: float | httpx.Timeout = DEFAULT_TOKEN_TIMEOUT,
        clock: Callable[[], float] = time.time,
        token_retries: int | RetryPolicy | None = TOKEN_RETRY,
    ) -> None:
        _check_arguments(
            store=store,
            binding=binding,
            credentials=credentials,
            on_tokens=on_tokens,
            on_session_expired=on_session_expired,
            numbers={
                "leeway": leeway,
                "max_leeway_fraction": max_leeway_fraction,
                "lock_timeout": lock_timeout,
            },
            clock=clock,
        )
        if leeway < 0 or not 0 <= max_leeway_fraction <= 1:
            raise ValueError("leeway must be >= 0 and max_leeway_fraction within [0, 1]")
        if lock_timeout < 0:
            raise ValueError("lock_timeout must be >= 0")
        self.store: TokenStore = store if store is not None else MemoryTokenStore()
        self.binding: TokenBinding = binding
        self.credentials = credentials
        self.lock_timeout = lock_timeout
        self._core = SessionCore(
            binding=self.binding,
            store=self.store,
            policy=OriginPolicy(base_url, allowed_origins, allow_insecure_http=allow_insecure_http),
            events=SessionEvents(on_tokens, on_session_expired),
            has_credentials=credentials is not None,
            leeway=leeway,
            max_leeway_fraction=max_leeway_fraction,
            token_timeout=resolve_token_timeout(token_timeout, None, None),
            clock=clock,
            token_retry=coerce_policy(token_retries, TOKEN_RETRY),
            deadline=lock_timeout,
        )
        self.dispatcher = Dispatcher(self)
        self._core.dispatcher = self.dispatcher
        self.at_dispatch = AtDispatch(self.dispatcher)
        """The auth for an httpx client whose outermost transport is a ``DispatchTransport``
        (what ``SessionClient`` builds): the transport runs the session."""

    @property
    def base_url(self) -> httpx.URL:
        return self._core.base_url

    @property
    def policy(self) -> OriginPolicy:
        return self._core.policy

    @property
    def token_timeout(self) -> httpx.Timeout:
        """The timeout of each attempt of the login/refresh/logout calls made by the flow."""
        return self._core.token_timeout

    def __repr__(self) -> str:
        return f"SessionAuth(base_url={str(self.base_url)!r}, store={self.store!r})"

    # -- httpx.Auth ---------------------------------------------------------------

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        core = self._core
        carries = core.policy.carries_credentials(request.url)
        if carries and not core.binding.is_token_endpoint(core.base_url, request):
            request.read()  # so the one resend can replay the body
            mark = core.sign_fast(request, self.store.load())
            if mark is not None:
                return self._fast(request, mark)
        return self._drive(core.request_flow(request, carries))

    def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        core = self._core
        if core.policy.carries_credentials(request.url):
            if not core.binding.is_token_endpoint(core.base_url, request):
                return self._afast(request)
            return self._adrive(core.request_flow(request, True), [])
        return self._adrive(core.request_flow(request, False), [])

    def _fast(
        self, request: httpx.Request, mark: Sent
    ) -> Generator[httpx.Request, httpx.Response, None]:
        """A valid token that needs nothing: send once without the driver; a 401 goes
        on in the whole flow (``SessionCore.request_flow``'s ``first``)."""
        response = yield request
        if self._core.settled(response, mark):
            return
        yield from self._drive(self._core.request_flow(request, True, (mark, response)))

    async def _afast(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Async twin of ``_fast`` (which the sync driver picks before it is started)."""
        await request.aread()
        core = self._core
        mark = core.sign_fast(request, await self.store.aload())
        if mark is None:
            flow = self._adrive(core.request_flow(request, True), [])
        else:
            response = yield request
            if core.settled(response, mark):
                return
            flow = self._adrive(core.request_flow(request, True, (mark, response)), [])
        try:
            sending = await flow.__anext__()
            while True:
                answer = yield sending
                sending = await flow.asend(answer)
        except StopAsyncIteration:
            return
        finally:
            await flow.aclose()

    # -- login and logout ---------------------------------------------------------

    def login(self, client: httpx.Client, email: str, password: str) -> TokenSet:
        """Log in through ``client`` (sent with ``auth=None``) and store the tokens.

        Raises ``LoginFailed`` if the upstream refuses, ``TokenResponseError`` if its
        answer is unusable, ``InsecureTransport`` before sending over plain http.
        """
        flow = self._drive(self._core.login_flow(Credentials(email, password)))
        return _run_sync(client, flow)

    async def alogin(self, client: httpx.AsyncClient, email: str, password: str) -> TokenSet:
        box: list[TokenSet] = []
        flow = self._adrive(self._core.login_flow(Credentials(email, password)), box)
        await _run_async(client, flow)
        return box[0]

    def renew(self, client: httpx.Client) -> TokenSet | None:
        """Refresh now, e.g. after the user's permissions changed (same single flight).

        Returns the new tokens, or ``None`` without a session; raises ``SessionExpired``
        like any renewal.
        """
        return _run_sync(client, self._drive(self._core.renew_flow()))

    async def arenew(self, client: httpx.AsyncClient) -> TokenSet | None:
        box: list[TokenSet | None] = []
        await _run_async(client, self._adrive(self._core.renew_flow(), box))
        return box[0]

    def logout(self, client: httpx.Client) -> None:
        """Revoke the session upstream (signed, refreshed if need be), then clear the store.

        The store is cleared even if the upstream call fails; a network error is
        re-raised after that, a session that had already expired is not an error.
        """
        try:
            request = self._logout_request()
            if request is not None and self.store.load() is not None:
                try:
                    response = client.send(request, auth=self)
                except SessionExpired:
                    _log.info("logout: the session had already expired")
                else:
                    _check_logout(response)
        finally:
            _run_sync(client, self._drive(self._core.clear_flow()))

    async def alogout(self, client: httpx.AsyncClient) -> None:
        try:
            request = self._logout_request()
            if request is not None and await self.store.aload() is not None:
                try:
                    response = await client.send(request, auth=self)
                except SessionExpired:
                    _log.info("logout: the session had already expired")
                else:
                    _check_logout(response)
        finally:
            await _run_async(client, self._adrive(self._core.clear_flow(), []))

    def _logout_request(self) -> httpx.Request | None:
        request = self.binding.logout_request(self.base_url)
        if request is not None:
            request.extensions = {
                **request.extensions,
                "timeout": self._core.token_timeout.as_dict(),
            }
        return request

    # -- drivers ------------------------------------------------------------------

    def _drive(self, core: Step[T]) -> Generator[httpx.Request, httpx.Response, T]:
        """Run a core generator with blocking store, lock and provider calls."""
        locks: ExitStack | None = None  # created when a lock is first taken (rarely)
        value: object = None
        error: BaseException | None = None
        closing: GeneratorExit | None = None
        try:
            while True:
                try:
                    op = core.send(value) if error is None else core.throw(error)
                except StopIteration as stop:
                    return cast(T, stop.value)
                except TokenCallInterrupted:
                    if closing is not None:
                        raise closing from None
                    raise
                value, error = None, None
                try:
                    if isinstance(op, Send):
                        if closing is not None:
                            raise closing
                        try:
                            response = yield op.request
                        except GeneratorExit as exc:
                            if not op.token_endpoint:
                                raise
                            closing, error = exc, TokenCallInterrupted()
                            continue
                        if op.token_endpoint:
                            response.read()
                        value = response
                    elif isinstance(op, Release):
                        op.response.read()
                        op.response.close()
                    elif isinstance(op, Load):
                        value = self.store.load()
                    elif isinstance(op, Save):
                        value = self.store.save(op.tokens)
                    elif isinstance(op, Lock):
                        locks = locks or ExitStack()
                        locks.enter_context(self.store.refresh_lock(self.lock_timeout))
                    elif isinstance(op, Sleep):
                        time.sleep(op.seconds)
                    elif isinstance(op, TryLock):
                        locks = locks or ExitStack()
                        try:
                            locks.enter_context(self.store.refresh_lock(0))
                        except StoreLockTimeout:
                            value = False
                        else:
                            value = True
                    elif isinstance(op, Unlock):
                        if locks is not None:
                            locks.close()
                    elif isinstance(op, AskCredentials):
                        value = self._credentials_sync()
                except Exception as exc:
                    error = exc
        finally:
            if locks is not None:
                locks.close()
            core.close()

    async def _adrive(
        self,
        core: Step[T],
        result: list[T],
        *,
        read_first: httpx.Request | None = None,
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Run a core generator with awaited store, lock and provider calls.

        Async generators cannot return a value, so the core's result is appended
        to ``result``.
        """
        locks: AsyncExitStack | None = None  # created when a lock is first taken (rarely)
        value: object = None
        error: BaseException | None = None
        closing: GeneratorExit | None = None
        try:
            if read_first is not None:
                await read_first.aread()
            while True:
                try:
                    op = core.send(value) if error is None else core.throw(error)
                except StopIteration as stop:
                    result.append(cast(T, stop.value))
                    return
                except TokenCallInterrupted:
                    if closing is not None:
                        raise closing from None
                    raise
                value, error = None, None
                try:
                    if isinstance(op, Send):
                        if closing is not None:
                            raise closing
                        try:
                            response = yield op.request
                        except GeneratorExit as exc:
                            if not op.token_endpoint:
                                raise
                            closing, error = exc, TokenCallInterrupted()
                            continue
                        if op.token_endpoint:
                            await response.aread()
                        value = response
                    elif isinstance(op, Release):
                        await op.response.aread()
                        await op.response.aclose()
                    elif isinstance(op, Load):
                        value = await self.store.aload()
                    elif isinstance(op, Save):
                        value = await self.store.asave(op.tokens)
                    elif isinstance(op, Lock):
                        locks = locks or AsyncExitStack()
                        await locks.enter_async_context(self.store.arefresh_lock(self.lock_timeout))
                    elif isinstance(op, Sleep):
                        await anyio.sleep(op.seconds)
                    elif isinstance(op, TryLock):
                        locks = locks or AsyncExitStack()
                        try:
                            await locks.enter_async_context(self.store.arefresh_lock(0))
                        except StoreLockTimeout:
                            value = False
                        else:
                            value = True
                    elif isinstance(op, Unlock):
                        if locks is not None:
                            await locks.aclose()
                    elif isinstance(op, AskCredentials):
                        value = await self._credentials_async()
                except Exception as exc:
                    error = exc
        finally:
            if locks is not None:
                await locks.aclose()
            core.close()

    def _credentials_sync(self) -> Credentials | None:
        if self.credentials is None:
            return None
        value = self.credentials()
        if inspect.isawaitable(value):
            _close_awaitable(value)
            raise TypeError("an async credentials provider needs an async client")
        return coerce_credentials(value)

    async def _credentials_async(self) -> Credentials | None:
        if self.credentials is None:
            return None
        value: Any = self.credentials()
        if inspect.isawaitable(value):
            value = await value
        return coerce_credentials(value)


def _close_awaitable(value: Awaitable[object]) -> None:
    close = getattr(value, "close", None)
    if callable(close):
        close()


def _check_logout(response: httpx.Response) -> None:
    if response.is_success:
        _log.info("logged out upstream")
    else:
        _log.warning("upstream logout answered HTTP %d", response.status_code)


def _run_sync(client: httpx.Client, flow: Generator[httpx.Request, httpx.Response, T]) -> T:
    """Serve a driver's requests with ``client`` (no auth: these are token calls)."""
    try:
        request = next(flow)
        while True:
            response = client.send(request, auth=None)
            request = flow.send(response)
    except StopIteration as stop:
        return cast(T, stop.value)
    finally:
        flow.close()


async def _run_async(
    client: httpx.AsyncClient, flow: AsyncGenerator[httpx.Request, httpx.Response]
) -> None:
    try:
        request = await flow.__anext__()
        while True:
            response = await client.send(request, auth=None)
            request = await flow.asend(response)
    except StopAsyncIteration:
        return
    finally:
        await flow.aclose()


class Dispatcher:
    """What ``DispatchTransport`` calls when a session request gets its connection.

    ``send``/``asend`` run a whole request there (``SessionClient``'s clients, marked
    by ``AtDispatch``). ``sign``/``asign`` serve a request the auth flow already
    signed (``SessionAuth`` on a plain httpx client): they re-check the token and sign
    with the newest one. A renewal needed at that moment sends its token call with
    ``token_call`` (the transport's token pool). ``observe`` feeds the latency window
    and the server clock.
    """

    __slots__ = (
        "_aload",
        "_auth",
        "_core",
        "_load",
        "carries",
        "clock",
        "is_token_call",
        "observe",
        "signed",
    )

    def __init__(self, auth: SessionAuth) -> None:
        self._auth = auth
        self._core = auth._core
        self._load, self._aload = auth.store.load, auth.store.aload
        self.clock = auth._core.clock
        self.signed = auth._core.sign_at_dispatch
        """The fast path, without I/O: ``True`` when the request is signed and can go."""
        self.observe = auth._core.observe
        """``observe(response, sent, received)``: feed the latency window and server clock."""
        self.carries = auth._core.policy.carries_credentials
        """``carries(url)``: whether a request for ``url`` may carry credentials."""
        self.is_token_call = partial(auth.binding.is_token_endpoint, auth._core.base_url)
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
        core's whole ``request_flow`` runs here (API sends with ``send``, token calls
        with ``token_call``). A request for another origin (a redirect keeps the
        extensions) goes out untouched. A renewal ahead of time is handed to
        ``behind`` (which starts a job on a thread of its own) when given, so the
        request that noticed it goes on with its still-valid token too. ``checked`` is
        the URL the auth flow already found to carry credentials (not asked again)."""
        url = request.url
        if url is not checked and not self.carries(url):
            return send(request)
        core = self._core
        tokens = self._load()
        mark = core.sign_fast(request, tokens, True)
        if mark is None:
            if behind is not None:
                job = partial(self._renew_behind, token_call=token_call)
                if self._hand_off(tokens, lambda due: behind(partial(job, due))):
                    mark = core.sign_fast(request, tokens, True)
            if mark is None:
                return self._run(core.request_flow(request, True), send, token_call)
        response = send(request)
        if core.answered(request, response, mark):
            return response
        return self._run(core.request_flow(request, True, (mark, response)), send, token_call)

    def _hand_off(self, tokens: object, start: Callable[[TokenSet], bool]) -> bool:
        """Give a renewal ahead of time to ``start`` (which runs it in the background) if
        ``tokens`` are due for one and this caller claimed it; ``False`` when the request
        must decide itself."""
        core = self._core
        now = core.clock()
        if not (
            isinstance(tokens, TokenSet)
            and core.due_ahead(tokens, now)
            and core.state.claim_ahead(now)
        ):
            return False
        if start(tokens):
            return True
        core.ahead_done()
        return False

    def _renew_behind(
        self, tokens: TokenSet, token_call: Callable[[httpx.Request], httpx.Response]
    ) -> None:
        try:
            self._serve(self._core.renew_ahead(tokens), token_call, token_call)
        except Exception as exc:  # the token still works: the requests handle what is next
            _log.info("renewal ahead of time failed: %s", type(exc).__name__)
        finally:
            self._core.ahead_done()

    def _run(
        self,
        steps: Step[None],
        send: Callable[[httpx.Request], httpx.Response],
        token_call: Callable[[httpx.Request], httpx.Response],
    ) -> httpx.Response:
        answer = self._serve(steps, send, token_call)
        if answer is None:  # the core always ends on an API answer or an exception
            raise RuntimeError("the session flow ended without sending the request")
        return answer

    def _serve(
        self,
        steps: Step[None],
        send: Callable[[httpx.Request], httpx.Response],
        token_call: Callable[[httpx.Request], httpx.Response],
    ) -> httpx.Response | None:
        """Serve a core flow's requests here: token calls with ``token_call``, API
        requests with ``send``; the last API answer, if there was one."""
        flow = self._auth._drive(steps)
        answer: httpx.Response | None = None
        try:
            outgoing = next(flow)
            while True:
                if outgoing.extensions.get(RENEWAL_EXTENSION):
                    response = _token_response(outgoing, token_call, flow.close)
                else:
                    response = answer = send(outgoing)
                response.request = outgoing
                outgoing = flow.send(response)
        except StopIteration:
            pass
        finally:
            flow.close()
        return answer

    async def asend(
        self,
        request: httpx.Request,
        send: Callable[[httpx.Request], Awaitable[httpx.Response]],
        token_call: Callable[[httpx.Request], Awaitable[httpx.Response]],
        behind: Callable[[Callable[[], Coroutine[object, object, None]]], bool] | None = None,
        checked: httpx.URL | None = None,
    ) -> httpx.Response:
        """Async twin of ``send`` (``behind`` starts a task)."""
        url = request.url
        if url is not checked and not self.carries(url):
            return await send(request)
        core = self._core
        tokens = await self._aload()
        mark = core.sign_fast(request, tokens, True)
        if mark is None:
            if behind is not None:
                job = partial(self._arenew_behind, token_call=token_call)
                if self._hand_off(tokens, lambda due: behind(partial(job, due))):
                    mark = core.sign_fast(request, tokens, True)
            if mark is None:
                return await self._arun(core.request_flow(request, True), send, token_call)
        response = await send(request)
        if core.answered(request, response, mark):
            return response
        first = (mark, response)
        return await self._arun(core.request_flow(request, True, first), send, token_call)

    async def _arenew_behind(
        self, tokens: TokenSet, token_call: Callable[[httpx.Request], Awaitable[httpx.Response]]
    ) -> None:
        """Async twin of ``_renew_behind``."""
        try:
            await self._aserve(self._core.renew_ahead(tokens), token_call, token_call)
        except Exception as exc:
            _log.info("renewal ahead of time failed: %s", type(exc).__name__)
        finally:
            self._core.ahead_done()

    async def _arun(
        self,
        steps: Step[None],
        send: Callable[[httpx.Request], Awaitable[httpx.Response]],
        token_call: Callable[[httpx.Request], Awaitable[httpx.Response]],
    ) -> httpx.Response:
        answer = await self._aserve(steps, send, token_call)
        if answer is None:
            raise RuntimeError("the session flow ended without sending the request")
        return answer

    async def _aserve(
        self,
        steps: Step[None],
        send: Callable[[httpx.Request], Awaitable[httpx.Response]],
        token_call: Callable[[httpx.Request], Awaitable[httpx.Response]],
    ) -> httpx.Response | None:
        """Async twin of ``_serve``."""
        flow = self._auth._adrive(steps, [])
        answer: httpx.Response | None = None
        try:
            outgoing = await flow.__anext__()
            while True:
                if outgoing.extensions.get(RENEWAL_EXTENSION):
                    response = await _atoken_response(outgoing, token_call, flow.aclose)
                else:
                    response = answer = await send(outgoing)
                response.request = outgoing
                outgoing = await flow.asend(response)
        except StopAsyncIteration:
            pass
        finally:
            await flow.aclose()
        return answer

    def sign(
        self, request: httpx.Request, token_call: Callable[[httpx.Request], httpx.Response]
    ) -> None:
        core = self._core
        if not core.sign_at_dispatch(request):
            # dispatch_flow only renews and signs: every request it makes is a token call
            self._serve(core.dispatch_flow(request), token_call, token_call)

    async def asign(
        self,
        request: httpx.Request,
        token_call: Callable[[httpx.Request], Awaitable[httpx.Response]],
    ) -> None:
        core = self._core
        if not core.sign_at_dispatch(request):
            await self._aserve(core.dispatch_flow(request), token_call, token_call)


def _token_response(
    request: httpx.Request,
    token_call: Callable[[httpx.Request], httpx.Response],
    close_flow: Callable[[], None],
) -> httpx.Response:
    """A renewal's token call made at dispatch. When it fails the flow is closed first
    (the core records the interrupted renewal for its waiters), then the error is
    raised as the ``SessionExpired`` the waiters get."""
    try:
        return token_call(request)
    except SessionExpired:
        close_flow()
        raise
    except Exception as exc:
        close_flow()
        raise interrupted_error(exc, request) from exc


async def _atoken_response(
    request: httpx.Request,
    token_call: Callable[[httpx.Request], Awaitable[httpx.Response]],
    close_flow: Callable[[], Awaitable[None]],
) -> httpx.Response:
    """Async twin of ``_token_response``."""
    try:
        return await token_call(request)
    except SessionExpired:
        await close_flow()
        raise
    except Exception as exc:
        await close_flow()
        raise interrupted_error(exc, request) from exc


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


def _check_arguments(
    *,
    store: object,
    binding: object,
    credentials: object,
    on_tokens: object,
    on_session_expired: object,
    numbers: dict[str, object],
    clock: object,
) -> None:
    """Misconfiguration fails here, naming the argument, not on the first request."""
    if store is not None and not isinstance(store, TokenStore):
        raise TypeError(
            f"store= must be a TokenStore (MemoryTokenStore, FileTokenStore, ...), "
            f"got {type(store).__name__}"
        )
    if binding is not None and not isinstance(binding, TokenBinding):
        raise TypeError(f"binding= must be a TokenBinding, got {type(binding).__name__}")
    for name, value in (
        ("credentials", credentials),
        ("on_tokens", on_tokens),
        ("on_session_expired", on_session_expired),
    ):
        if value is not None and not callable(value):
            raise TypeError(f"{name}= must be a callable or None, got {type(value).__name__}")
    if not callable(clock):
        raise TypeError(f"clock= must be a callable, got {type(clock).__name__}")
    for name, number in numbers.items():
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise TypeError(f"{name}= must be a number, got {type(number).__name__}")
