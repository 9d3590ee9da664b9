"""``SessionClient``: the runtime's ``Client`` with the session flow installed.

Every generated ``Client`` is the runtime's, so a ``SessionClient`` passes to every generated
operation of every SDK; operations whose spec security is ``[]`` (login, refresh) are sent
with ``auth=None`` by the generated code, so the flow never sees them. A generated SDK with a
``session:`` config subclasses it with its own binding as the default (``sdk.SessionClient``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
from attrs import define, field

from .binding import TokenBinding
from .calls import connection_error
from .client import Client
from .credentials import CredentialsProvider
from .events import OnSessionExpired, OnTokens
from .flow import DEFAULT_TOKEN_TIMEOUT, SessionAuth
from .retry import DEFAULT_RETRY, TOKEN_RETRY, RetryPolicy, coerce_policy
from .stores.base import DEFAULT_LOCK_TIMEOUT, TokenStore
from .stores.memory import MemoryTokenStore
from .tokens import DEFAULT_LEEWAY, DEFAULT_MAX_LEEWAY_FRACTION, TokenSet
from .transports import async_client, sync_client, token_timeout_of

__all__ = ["SessionClient"]


def _optional_policy(value: int | RetryPolicy | None) -> RetryPolicy | None:
    return None if value is None else coerce_policy(value)


@define
class SessionClient(Client):
    """A client that logs in once and keeps the session alive, for any generated SDK.

    >>> client = SessionClient(base_url="https://api.example", binding=binding)  # doctest: +SKIP
    >>> client.login("demo@example.com", "demo-password")  # doctest: +SKIP
    >>> sdk.items.list(client, limit=20)  # doctest: +SKIP

    ``binding`` (required here) describes the upstream's token operations; a generated
    ``sdk.SessionClient`` defaults it to its own. Session options (all keyword-only) are
    those of ``SessionAuth``: ``store``, ``binding``, ``credentials``, ``leeway``,
    ``max_leeway_fraction``, ``on_tokens``, ``on_session_expired``, ``allow_insecure_http``,
    ``allowed_origins``, ``lock_timeout``, ``token_timeout``, ``keep_login``. The ``auth`` field
    is taken by the session flow (``client.session``).

    Timeouts: ``timeout`` bounds every API request (per phase, per attempt, as in httpx).
    Token calls (login, refresh, the credentials provider's re-login, logout) are bounded by
    ``token_timeout`` when given; else by this client's ``timeout`` when you set one (also
    through ``httpx_args["timeout"]``; a phase it leaves unbounded, or ``timeout=None``,
    gets ``DEFAULT_TOKEN_TIMEOUT``); else by ``DEFAULT_TOKEN_TIMEOUT`` (10 s per phase). A
    ``timeout`` equal to the class default counts as not set. The bound is per attempt, and
    ``token_retries`` (default 2 retries) multiplies it: against a token endpoint that never
    answers, a login fails within ``3 * timeout`` plus at most 0.75 s of backoff with
    ``ApiTimeoutError``; a refresh whose answer does not come is not
    resent (only one whose connection could not be made is) and fails within one
    ``timeout`` with ``TokenCallTimeout``, both a ``SessionExpired`` (``"interrupted"``,
    session kept) and an ``ApiTimeoutError``.

    Retries (see ``sdk_session.retry`` and docs/reliability.md): ``retries`` is
    the policy of every request sent through this client (an int, a
    ``RetryPolicy``, or ``None`` for no retry transport at all; default 2
    retries); ``token_retries`` the budget of login/refresh calls. The retry
    transport wraps ``httpx_args["transport"]`` when given, else an
    ``httpx.HTTPTransport``/``AsyncHTTPTransport`` built from ``verify_ssl`` and
    the transport options in ``httpx_args`` (``limits``, ``http1``, ``http2``,
    ``cert``, ``trust_env``, ``proxy``). Per call: ``with sdk_session.retries(0):``.

    Outermost sits ``DispatchTransport`` (``sdk_session.dispatch``): it signs each
    request when it gets its pooled connection, admitting ``limits.max_connections``
    requests at once (``httpx_args["limits"]``, default 100). With your own
    ``httpx_args["transport"]``, pass the ``limits`` it was built with too.
    """

    binding: TokenBinding = field(kw_only=True)
    store: TokenStore = field(factory=MemoryTokenStore, kw_only=True)
    credentials: CredentialsProvider | None = field(default=None, kw_only=True, repr=False)
    leeway: float = field(default=DEFAULT_LEEWAY, kw_only=True)
    max_leeway_fraction: float = field(default=DEFAULT_MAX_LEEWAY_FRACTION, kw_only=True)
    on_tokens: OnTokens | None = field(default=None, kw_only=True, repr=False)
    on_session_expired: OnSessionExpired | None = field(default=None, kw_only=True, repr=False)
    allow_insecure_http: bool = field(default=False, kw_only=True)
    allowed_origins: tuple[str, ...] = field(default=(), kw_only=True, converter=tuple)
    lock_timeout: float = field(default=DEFAULT_LOCK_TIMEOUT, kw_only=True)
    token_timeout: float | httpx.Timeout = field(default=DEFAULT_TOKEN_TIMEOUT, kw_only=True)
    clock: Callable[[], float] = field(default=time.time, kw_only=True, repr=False)
    retries: RetryPolicy | None = field(
        default=DEFAULT_RETRY,
        kw_only=True,
        converter=_optional_policy,
    )
    token_retries: int | RetryPolicy | None = field(default=TOKEN_RETRY, kw_only=True)
    keep_login: bool = field(default=True, kw_only=True)
    session: SessionAuth = field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.auth is not None:
            raise ValueError("SessionClient installs its own auth; do not pass auth=")
        self.session = SessionAuth(
            self.base_url,
            store=self.store,
            binding=self.binding,
            credentials=self.credentials,
            leeway=self.leeway,
            max_leeway_fraction=self.max_leeway_fraction,
            on_tokens=self.on_tokens,
            on_session_expired=self.on_session_expired,
            allow_insecure_http=self.allow_insecure_http,
            allowed_origins=self.allowed_origins,
            lock_timeout=self.lock_timeout,
            token_timeout=token_timeout_of(self),
            clock=self.clock,
            token_retries=self.token_retries,
            keep_login=self.keep_login,
        )
        self.auth = self.session

    def get_httpx_client(self) -> httpx.Client:
        """The underlying ``httpx.Client``, built on first use with the dispatch and
        retry transports (see ``sdk_session.dispatch`` and ``sdk_session.retry``)."""
        self.check_open()
        if self._client is None:
            self._client = sync_client(self.httpx_client_kwargs(), self.retries)
        return self._client

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """The underlying ``httpx.AsyncClient``, built on first use like ``get_httpx_client``."""
        self.check_open(asynchronous=True)
        if self._async_client is None:
            self._async_client = async_client(self.httpx_client_kwargs(), self.retries)
        return self._async_client

    @property
    def tokens(self) -> TokenSet | None:
        """The session's current tokens (``repr`` is redacted), or ``None`` when logged out."""
        return self.store.load()

    def login(self, username: str, password: str) -> TokenSet:
        """Log in with the binding's login operation; raises ``LoginFailed`` if refused,
        ``ApiTimeoutError``/``ApiConnectionError`` if the token endpoint does not answer."""
        with self._typed_network_errors():
            return self.session.login(self.get_httpx_client(), username, password)

    async def alogin(self, username: str, password: str) -> TokenSet:
        with self._typed_network_errors():
            return await self.session.alogin(self.get_async_httpx_client(), username, password)

    def renew(self) -> TokenSet | None:
        """Refresh the session now (see ``SessionAuth.renew``); a refresh that times out
        raises ``TokenCallTimeout`` (a ``SessionExpired`` and an ``ApiTimeoutError``)."""
        with self._typed_network_errors():
            return self.session.renew(self.get_httpx_client())

    async def arenew(self) -> TokenSet | None:
        with self._typed_network_errors():
            return await self.session.arenew(self.get_async_httpx_client())

    def logout(self) -> None:
        """Revoke the session upstream and clear the store (see ``SessionAuth.logout``)."""
        with self._typed_network_errors():
            self.session.logout(self.get_httpx_client())

    async def alogout(self) -> None:
        with self._typed_network_errors():
            await self.session.alogout(self.get_async_httpx_client())

    @contextmanager
    def _typed_network_errors(self) -> Iterator[None]:
        """Token calls fail like generated calls do: an ``ApiConnectionError``, not httpx's."""
        try:
            yield
        except httpx.RequestError as exc:
            raise connection_error(exc, {"method": "POST", "url": self.base_url}) from exc
