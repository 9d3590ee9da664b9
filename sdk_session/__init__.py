"""The runtime under every generated SDK: client, errors, call helpers, and the session layer.

Generated packages hold only what depends on their document (operations, models, their error
model); everything else is here, written once: ``Client``/``AuthenticatedClient`` (``client``),
one error hierarchy (``errors``: every SDK's ``errors.SdkError`` *is* ``sdk_session.SdkError``),
what operations call (``calls``, ``types``), and the session (``SessionClient``/``SessionAuth``:
login, refresh, 401 retry, token stores). It imports no generated package.

Usage, with an SDK generated with a ``session:`` config (the Items SDK's ``generated_sdk``)::

    import generated_sdk as sdk
    from sdk_session import FileTokenStore

    client = sdk.SessionClient(
        base_url="https://api.example.com",
        store=FileTokenStore("~/.cache/items/session.json"),  # or the default in-memory store
        credentials=lambda: (email, password),  # optional: log in again when refresh is refused
        on_tokens=lambda tokens: ...,  # optional: persist elsewhere
    )
    client.login(email, password)
    page = sdk.items.list(client, limit=20)  # signed, refreshed, resent on 401 as needed
    client.logout()

``SessionClient`` here is the same client for any upstream, given its ``binding=`` (an SDK's
``session.Binding``, ``SimpleJwtBinding``, or a ``JsonTokenBinding`` subclass: docs/bindings.md);
``SessionAuth`` also works with a plain ``httpx.Client``/``httpx.AsyncClient``.

Public endpoints: generated operations whose spec says ``security: []`` are sent
without the session already; for anything else pass httpx's per-request
``auth=None`` (``client.get_httpx_client().get("/status", auth=None)``) and the
request leaves without credentials and without refresh handling.

Sign at dispatch: ``SessionClient`` signs each request when it gets its pooled
connection (``DispatchTransport``); with a plain client pass
``transport=DispatchTransport(limits=...)``. Token calls get a pool of their own,
and asyncio API calls run on lanes (``AsyncLaneTransport``: one single-connection
pool per request in flight, because httpcore's asyncio pool can hand one connection
to two requests).

Retries: ``SessionClient`` sends through ``RetryTransport``/``AsyncRetryTransport``
(2 retries of failed connections and 408/429/502/503/504 on idempotent requests,
backoff with jitter, ``Retry-After`` honoured); change it with ``retries=`` on the
client, per call with ``with sdk_session.retries(0): ...``. See docs/reliability.md.

Names load on first use (``lazy``), so a model importing ``sdk_session.types`` does not pay for
httpx or the session layer.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from .lazy import attach

if TYPE_CHECKING:
    from .binding import JsonTokenBinding, TokenBinding
    from .client import AuthenticatedClient, Client
    from .credentials import Credentials, CredentialsProvider
    from .dispatch import AsyncDispatchTransport, DispatchTransport
    from .errors import (
        ApiConnectionError,
        ApiError,
        ApiTimeoutError,
        InsecureTransport,
        InvalidClient,
        LoginFailed,
        NotLoggedIn,
        RefreshRejected,
        SdkError,
        SessionError,
        SessionExpired,
        StoreError,
        StoreLockTimeout,
        StoreUnavailable,
        TokenCallTimeout,
        TokenEndpointUnavailable,
        TokenRejected,
        TokenResponseError,
        UnsupportedGrant,
    )
    from .events import OnSessionExpired, OnTokens
    from .flow import SessionAuth
    from .lanes import AsyncLaneTransport
    from .oauth2 import OAuth2Binding
    from .redact import RedactingFilter
    from .retry import (
        DEFAULT_RETRY,
        NO_RETRY,
        TOKEN_RETRY,
        AsyncRetryTransport,
        RetryPolicy,
        RetryTransport,
        retries,
    )
    from .retry_after import parse_retry_after
    from .schemes import Scheme, SchemeAuth
    from .session_client import SessionClient
    from .simplejwt import SimpleJwtBinding
    from .stores import FileTokenStore, MemoryTokenStore, TokenStore
    from .stores.redis import RedisTokenStore
    from .tokens import TokenSet

#: Where each public name lives, loaded on first use.
_HOMES: dict[str, tuple[str, ...]] = {
    ".binding": ("JsonTokenBinding", "TokenBinding"),
    ".client": ("AuthenticatedClient", "Client"),
    ".credentials": ("Credentials", "CredentialsProvider"),
    ".dispatch": ("AsyncDispatchTransport", "DispatchTransport"),
    ".errors": (
        "ApiConnectionError",
        "ApiError",
        "ApiTimeoutError",
        "InsecureTransport",
        "InvalidClient",
        "LoginFailed",
        "NotLoggedIn",
        "RefreshRejected",
        "SdkError",
        "SessionError",
        "SessionExpired",
        "StoreError",
        "StoreLockTimeout",
        "StoreUnavailable",
        "TokenCallTimeout",
        "TokenEndpointUnavailable",
        "TokenRejected",
        "TokenResponseError",
        "UnsupportedGrant",
    ),
    ".events": ("OnSessionExpired", "OnTokens"),
    ".flow": ("SessionAuth",),
    ".lanes": ("AsyncLaneTransport",),
    ".oauth2": ("OAuth2Binding",),
    ".schemes": ("Scheme", "SchemeAuth"),
    ".redact": ("RedactingFilter",),
    ".retry": (
        "DEFAULT_RETRY",
        "NO_RETRY",
        "TOKEN_RETRY",
        "AsyncRetryTransport",
        "RetryPolicy",
        "RetryTransport",
        "retries",
    ),
    ".retry_after": ("parse_retry_after",),
    ".session_client": ("SessionClient",),
    ".simplejwt": ("SimpleJwtBinding",),
    ".stores": ("FileTokenStore", "MemoryTokenStore", "TokenStore"),
    ".stores.redis": ("RedisTokenStore",),
    ".tokens": ("TokenSet",),
}

__getattr__, __dir__ = attach(
    __name__, {name: f"{home}:{name}" for home, names in _HOMES.items() for name in names}
)

__all__ = [
    "DEFAULT_RETRY",
    "NO_RETRY",
    "TOKEN_RETRY",
    "ApiConnectionError",
    "ApiError",
    "ApiTimeoutError",
    "AsyncDispatchTransport",
    "AsyncLaneTransport",
    "AsyncRetryTransport",
    "AuthenticatedClient",
    "Client",
    "Credentials",
    "CredentialsProvider",
    "DispatchTransport",
    "FileTokenStore",
    "InsecureTransport",
    "InvalidClient",
    "JsonTokenBinding",
    "LoginFailed",
    "MemoryTokenStore",
    "NotLoggedIn",
    "OAuth2Binding",
    "OnSessionExpired",
    "OnTokens",
    "RedactingFilter",
    "RedisTokenStore",
    "RefreshRejected",
    "RetryPolicy",
    "RetryTransport",
    "Scheme",
    "SchemeAuth",
    "SdkError",
    "SessionAuth",
    "SessionClient",
    "SessionError",
    "SessionExpired",
    "SimpleJwtBinding",
    "StoreError",
    "StoreLockTimeout",
    "StoreUnavailable",
    "TokenBinding",
    "TokenCallTimeout",
    "TokenEndpointUnavailable",
    "TokenRejected",
    "TokenResponseError",
    "TokenSet",
    "TokenStore",
    "UnsupportedGrant",
    "parse_retry_after",
    "retries",
]


# A library never configures logging: without a handler of the application's, records are dropped
# instead of reaching logging's last-resort stderr handler.
logging.getLogger(__name__).addHandler(logging.NullHandler())
