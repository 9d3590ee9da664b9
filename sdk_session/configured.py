"""What generated ``session.py`` modules build on: a binding described by data, client plumbing.

``python -m generator`` writes, for an SDK whose config has a ``session:`` section, a module with
a ``ConfiguredBinding`` subclass (paths of the generated token operations, field names, JSON or
form bodies) and a ``SessionClient`` subclass of that SDK's own ``Client``. Neither holds logic
of its own: the binding's behaviour is here, the session's in ``SessionAuth``, and the httpx
clients are built here exactly as ``sdk_session.SessionClient`` builds them (dispatch transport
over the retry transport), so every generated SDK gets the same session layer as the Items SDK.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal, Protocol

import httpx

from .binding import JsonTokenBinding, TokenBinding, join_url
from .credentials import Credentials, CredentialsProvider
from .events import OnSessionExpired, OnTokens
from .flow import SessionAuth
from .retry import RetryPolicy
from .stores.base import TokenStore
from .tokens import TokenSet
from .transports import async_client, sync_client, token_timeout_of

__all__ = ["ConfiguredBinding", "SessionOptions", "async_client", "session_auth", "sync_client"]


class ConfiguredBinding(JsonTokenBinding):
    """A ``JsonTokenBinding`` whose request bodies, too, are described by class attributes.

    ``username_field``/``password_field`` name the login fields (the credentials' ``email`` is
    sent in ``username_field``: a username, an email address, whatever the upstream logs in
    with), ``refresh_request_field`` the refresh call's field, ``body`` whether both are sent as
    JSON or as a form (``application/x-www-form-urlencoded``).
    """

    username_field: ClassVar[str] = "email"
    password_field: ClassVar[str] = "password"
    refresh_request_field: ClassVar[str] = "refresh_token"
    body: ClassVar[Literal["json", "form"]] = "json"

    def login_body(self, credentials: Credentials) -> dict[str, Any]:
        return {self.username_field: credentials.email, self.password_field: credentials.password}

    def refresh_body(self, refresh_token: str) -> dict[str, Any]:
        return {self.refresh_request_field: refresh_token}

    def _post(self, base_url: httpx.URL, path: str, payload: dict[str, Any]) -> httpx.Request:
        url = join_url(base_url, path)
        if self.body == "form":
            return httpx.Request("POST", url, data=payload)
        return httpx.Request("POST", url, json=payload)

    def login_request(self, base_url: httpx.URL, credentials: Credentials) -> httpx.Request:
        return self._post(base_url, self.login_path, self.login_body(credentials))

    def refresh_request(self, base_url: httpx.URL, tokens: TokenSet) -> httpx.Request:
        if not tokens.refresh_token:
            raise ValueError("no refresh token to present")
        return self._post(base_url, self.refresh_path, self.refresh_body(tokens.refresh_token))


class SessionOptions(Protocol):
    """The session settings a generated ``SessionClient`` carries (its attrs fields)."""

    base_url: str
    timeout: httpx.Timeout | float | None
    httpx_args: dict[str, Any]
    store: TokenStore
    binding: TokenBinding
    credentials: CredentialsProvider | None
    leeway: float
    max_leeway_fraction: float
    on_tokens: OnTokens | None
    on_session_expired: OnSessionExpired | None
    allow_insecure_http: bool
    allowed_origins: tuple[str, ...]
    lock_timeout: float
    token_timeout: float | httpx.Timeout
    token_retries: int | RetryPolicy | None


def session_auth(options: SessionOptions) -> SessionAuth:
    """The ``SessionAuth`` for a generated ``SessionClient``'s settings."""
    return SessionAuth(
        options.base_url,
        store=options.store,
        binding=options.binding,
        credentials=options.credentials,
        leeway=options.leeway,
        max_leeway_fraction=options.max_leeway_fraction,
        on_tokens=options.on_tokens,
        on_session_expired=options.on_session_expired,
        allow_insecure_http=options.allow_insecure_http,
        allowed_origins=options.allowed_origins,
        lock_timeout=options.lock_timeout,
        token_timeout=token_timeout_of(options),
        token_retries=options.token_retries,
    )
