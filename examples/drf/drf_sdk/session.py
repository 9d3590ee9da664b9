# Generated from examples/drf/spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""``SessionClient``: this SDK's ``Client`` with the session layer (``sdk_session``) installed.

Generated from the ``session:`` section of the generator config: logging in is
``POST /api/token/`` (``sdk.token.token_create``, fields ``username`` and
``password``), refreshing ``POST /api/token/refresh/`` (``sdk.token.token_refresh_create``, field
``refresh``); bodies are JSON.
Answers carry the access token in ``access`` and the refresh token in ``refresh``; the
lifetime comes from the JWT's ``exp``. Usage::

    from drf_sdk import SessionClient

    with SessionClient(base_url="https://api.example.com") as client:
        client.login(username, password)
        sdk.items.items_list(client, ...)  # signed, refreshed, resent on 401
"""

from __future__ import annotations

import httpx
from attrs import define, field

from sdk_session import (
    CredentialsProvider,
    MemoryTokenStore,
    OnSessionExpired,
    OnTokens,
    SessionAuth,
    TokenBinding,
    TokenSet,
    TokenStore,
)
from sdk_session.configured import ConfiguredBinding, async_client, session_auth, sync_client
from sdk_session.flow import DEFAULT_TOKEN_TIMEOUT
from sdk_session.retry import DEFAULT_RETRY, TOKEN_RETRY, RetryPolicy, coerce_policy
from sdk_session.stores.base import DEFAULT_LOCK_TIMEOUT
from sdk_session.tokens import DEFAULT_LEEWAY, DEFAULT_MAX_LEEWAY_FRACTION

from .api.token._token_create import TokenCreateOperation
from .api.token._token_refresh_create import TokenRefreshCreateOperation
from .client import Client

__all__ = ["Binding", "SessionClient"]


class Binding(ConfiguredBinding):
    """This API's token operations, with the paths of the generated operations."""

    login_path = TokenCreateOperation.path
    refresh_path = TokenRefreshCreateOperation.path
    logout_path = None
    username_field = "username"
    password_field = "password"
    refresh_request_field = "refresh"
    access_field = "access"
    refresh_field = "refresh"
    token_type_field = None
    expires_in_field = None
    body = "json"


def _optional_policy(value: int | RetryPolicy | None) -> RetryPolicy | None:
    return None if value is None else coerce_policy(value)


@define
class SessionClient(Client):
    """A client that logs in once and keeps the session alive (see ``sdk_session.SessionClient``).

    Session options (keyword-only) are those of ``sdk_session.SessionAuth``; ``retries`` and
    ``token_retries`` those of ``sdk_session.SessionClient``. The ``auth`` field is taken by the
    session flow (``client.session``).
    """

    store: TokenStore = field(factory=MemoryTokenStore, kw_only=True)
    binding: TokenBinding = field(factory=Binding, kw_only=True)
    credentials: CredentialsProvider | None = field(default=None, kw_only=True, repr=False)
    leeway: float = field(default=DEFAULT_LEEWAY, kw_only=True)
    max_leeway_fraction: float = field(default=DEFAULT_MAX_LEEWAY_FRACTION, kw_only=True)
    on_tokens: OnTokens | None = field(default=None, kw_only=True, repr=False)
    on_session_expired: OnSessionExpired | None = field(default=None, kw_only=True, repr=False)
    allow_insecure_http: bool = field(default=False, kw_only=True)
    allowed_origins: tuple[str, ...] = field(default=(), kw_only=True, converter=tuple)
    lock_timeout: float = field(default=DEFAULT_LOCK_TIMEOUT, kw_only=True)
    token_timeout: float | httpx.Timeout = field(default=DEFAULT_TOKEN_TIMEOUT, kw_only=True)
    retries: RetryPolicy | None = field(
        default=DEFAULT_RETRY, kw_only=True, converter=_optional_policy
    )
    token_retries: int | RetryPolicy | None = field(default=TOKEN_RETRY, kw_only=True)
    session: SessionAuth = field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.auth is not None:
            raise ValueError("SessionClient installs its own auth; do not pass auth=")
        self.session = session_auth(self)
        self.auth = self.session

    def get_httpx_client(self) -> httpx.Client:
        """The ``httpx.Client``, built on first use with the dispatch and retry transports."""
        self.check_open()
        if self._client is None:
            self._client = sync_client(self.httpx_client_kwargs(), self.retries)
        return self._client

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """The ``httpx.AsyncClient``, built on first use like ``get_httpx_client``."""
        self.check_open(asynchronous=True)
        if self._async_client is None:
            self._async_client = async_client(self.httpx_client_kwargs(), self.retries)
        return self._async_client

    @property
    def tokens(self) -> TokenSet | None:
        """The current tokens (``repr`` is redacted), or ``None`` when logged out."""
        return self.store.load()

    def login(self, username: str, password: str) -> TokenSet:
        """Log in (``sdk.token.token_create``); raises ``sdk_session.LoginFailed`` if refused."""
        return self.session.login(self.get_httpx_client(), username, password)

    async def alogin(self, username: str, password: str) -> TokenSet:
        """Async twin of ``login``."""
        return await self.session.alogin(self.get_async_httpx_client(), username, password)

    def renew(self) -> TokenSet | None:
        """Refresh the session now (``sdk.token.token_refresh_create``)."""
        return self.session.renew(self.get_httpx_client())

    async def arenew(self) -> TokenSet | None:
        """Async twin of ``renew``."""
        return await self.session.arenew(self.get_async_httpx_client())

    def logout(self) -> None:
        """End the session clear the store."""
        self.session.logout(self.get_httpx_client())

    async def alogout(self) -> None:
        """Async twin of ``logout``."""
        await self.session.alogout(self.get_async_httpx_client())
