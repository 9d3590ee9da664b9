"""``SessionAuth``: the httpx auth that runs the sans-IO session core.

httpx drives an auth flow as a generator: every request it yields is sent (with
redirects, hooks and the transport, but not auth again) and the response comes
back in. ``SessionAuth`` signs a request whose tokens need nothing and yields it
(the fast path, no driver); anything else runs the core's ``request_flow``
through a driver (``sdk_session.drivers``), whose ``flow`` edge yields every
request the core sends to httpx's auth loop. Explicit login, renewal and logout
run the core's flows with the drivers' ``run`` edge, sending through the client
with ``auth=None``.

The lock is never held while the application's own request is in flight, only
around a renewal, and it is released however the flow ends (exception,
cancellation, httpx closing the generator).

``SessionAuth.dispatcher`` (``sdk_session.dispatcher``) runs the session for
``sdk_session.dispatch.DispatchTransport``, which signs each request when it
gets its connection; token calls made there go through that transport's token
pool.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncGenerator, Callable, Generator, Iterable
from functools import partial
from typing import cast

import httpx

from .binding import TokenBinding
from .core import Sent, SessionCore
from .credentials import Credentials, CredentialsProvider
from .dispatcher import AtDispatch, Dispatcher
from .drivers import AsyncDriver, SyncDriver
from .errors import SessionExpired
from .events import OnSessionExpired, OnTokens, SessionEvents
from .origins import OriginPolicy
from .retry import TOKEN_RETRY, RetryPolicy, coerce_policy
from .settings import DEFAULT_TOKEN_TIMEOUT, check_arguments, resolve_token_timeout
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
            the refresh token is rejected (or when there is no session yet). A binding
            that logs in by itself (the client-credentials grant) provides its own.
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
        keep_login: When a login answers with no refresh token (a login-only upstream)
            and no ``credentials`` provider was given, keep the credentials passed to
            ``login()`` in memory (``repr`` hides the password) to log in again ahead of
            expiry and on 401, once for all waiting requests (default ``True``).
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
        keep_login: bool = True,
    ) -> None:
        check_arguments(
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
        if credentials is None:
            own = getattr(binding, "own_credentials", None)
            credentials = own() if callable(own) else None
        self.credentials = credentials
        self.keep_login = keep_login
        self._kept_login = False
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
        self._sync = SyncDriver(self)
        self._async = AsyncDriver(self)
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
            flow = self._sync.flow(core.request_flow(request, True))
            return cast("Generator[httpx.Request, httpx.Response, None]", flow)  # (answer unused)
        return _through(request)

    def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        core = self._core
        if core.policy.carries_credentials(request.url) and not core.binding.is_token_endpoint(
            core.base_url, request
        ):
            return self._afast(request)
        return _athrough(request)

    def _fast(
        self, request: httpx.Request, mark: Sent
    ) -> Generator[httpx.Request, httpx.Response, None]:
        """A valid token that needs nothing: send once without the driver; a 401 goes
        on in the whole flow (``SessionCore.request_flow``'s ``first``)."""
        response = yield request
        if self._core.settled(response, mark):
            return
        yield from self._sync.flow(self._core.request_flow(request, True, (mark, response)))

    async def _afast(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """``_fast`` for async clients, where the store is read inside the flow (the sync
        ``sync_auth_flow`` decides before a generator is started)."""
        await request.aread()
        core = self._core
        mark = core.sign_fast(request, await self.store.aload())
        if mark is None:
            flow = self._async.flow(core.request_flow(request, True), [])
        else:
            response = yield request
            if core.settled(response, mark):
                return
            flow = self._async.flow(core.request_flow(request, True, (mark, response)), [])
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
        credentials = Credentials(email, password)
        send = partial(client.send, auth=None)
        tokens = self._sync.run(self._core.login_flow(credentials), send, send)
        return self._kept(credentials, tokens)

    async def alogin(self, client: httpx.AsyncClient, email: str, password: str) -> TokenSet:
        credentials = Credentials(email, password)
        send = partial(client.send, auth=None)
        tokens = await self._async.run(self._core.login_flow(credentials), send, send)
        return self._kept(credentials, tokens)

    def _kept(self, credentials: Credentials, tokens: TokenSet) -> TokenSet:
        """After a login: a login-only upstream is renewed by logging in again (``keep_login``)."""
        if self._kept_login:
            self.credentials = lambda: credentials  # the latest login's
        elif tokens.refresh_token is None and self.credentials is None and self.keep_login:
            _log.info("no refresh token: the session will log in again with these credentials")
            self.credentials, self._kept_login = (lambda: credentials), True
            self._core.has_credentials = True
        return tokens

    def renew(self, client: httpx.Client) -> TokenSet | None:
        """Refresh now, e.g. after the user's permissions changed (same single flight).

        Returns the new tokens, or ``None`` without a session; raises ``SessionExpired``
        like any renewal.
        """
        send = partial(client.send, auth=None)
        return self._sync.run(self._core.renew_flow(), send, send)

    async def arenew(self, client: httpx.AsyncClient) -> TokenSet | None:
        send = partial(client.send, auth=None)
        return await self._async.run(self._core.renew_flow(), send, send)

    def logout(self, client: httpx.Client) -> None:
        """End the session upstream, then clear the store: revoke the refresh token where
        the binding has a revocation endpoint (RFC 7009, sent as a token call), and call
        its logout operation (signed, refreshed if need be) where it has one.

        The store is cleared even if the upstream call fails; a network error is
        re-raised after that, a session that had already expired is not an error.
        """
        try:
            tokens = self.store.load()
            revocation = self._revocation_request(tokens)
            if revocation is not None:
                _check_logout(client.send(revocation, auth=None))
            request = self._logout_request()
            if request is not None and tokens is not None:
                try:
                    response = client.send(request, auth=self)
                except SessionExpired:
                    _log.info("logout: the session had already expired")
                else:
                    _check_logout(response)
        finally:
            self._forget_login()
            send = partial(client.send, auth=None)
            self._sync.run(self._core.clear_flow(), send, send)

    async def alogout(self, client: httpx.AsyncClient) -> None:
        try:
            tokens = await self.store.aload()
            revocation = self._revocation_request(tokens)
            if revocation is not None:
                _check_logout(await client.send(revocation, auth=None))
            request = self._logout_request()
            if request is not None and tokens is not None:
                try:
                    response = await client.send(request, auth=self)
                except SessionExpired:
                    _log.info("logout: the session had already expired")
                else:
                    _check_logout(response)
        finally:
            self._forget_login()
            send = partial(client.send, auth=None)
            await self._async.run(self._core.clear_flow(), send, send)

    def _forget_login(self) -> None:
        if self._kept_login:
            self.credentials, self._kept_login = None, False
            self._core.has_credentials = False

    def _revocation_request(self, tokens: TokenSet | None) -> httpx.Request | None:
        revoke = getattr(self.binding, "revocation_request", None)
        request = revoke(self.base_url, tokens) if tokens is not None and revoke else None
        if not isinstance(request, httpx.Request):
            return None
        self._core.policy.check(request.url)
        return self._bounded(request)

    def _logout_request(self) -> httpx.Request | None:
        request = self.binding.logout_request(self.base_url)
        return None if request is None else self._bounded(request)

    def _bounded(self, request: httpx.Request) -> httpx.Request:
        request.extensions = {**request.extensions, "timeout": self._core.token_timeout.as_dict()}
        return request


def _through(request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
    """A request that is none of the session's business (another origin, a token call):
    what the core's ``request_flow`` would do with it, without a driver."""
    yield request


async def _athrough(request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
    yield request


def _check_logout(response: httpx.Response) -> None:
    if response.is_success:
        _log.info("logged out upstream")
    else:
        _log.warning("upstream logout answered HTTP %d", response.status_code)
