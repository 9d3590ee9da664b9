"""The hand-written session layer of the Items SDK: login, refresh, 401 retry, token stores.

``SessionClient`` is the generated ``Client`` with ``SessionAuth`` installed, so it
passes to every generated operation; ``SessionAuth`` also works with a plain
``httpx.Client``/``httpx.AsyncClient``. See ``core`` for the rules the flow follows.

Usage::

    import generated_sdk as sdk
    from sdk_session import FileTokenStore, SessionClient

    client = SessionClient(
        base_url="https://api.example.com",
        store=FileTokenStore("~/.cache/items/session.json"),  # or the default in-memory store
        credentials=lambda: (email, password),  # optional: log in again when refresh is refused
        on_tokens=lambda tokens: ...,  # optional: persist elsewhere
    )
    client.login(email, password)
    page = sdk.items.list(client, limit=20)  # signed, refreshed, resent on 401 as needed
    client.logout()

Public endpoints: generated operations whose spec says ``security: []`` are sent
without the session already; for anything else pass httpx's per-request
``auth=None`` (``client.get_httpx_client().get("/status", auth=None)``) and the
request leaves without credentials and without refresh handling.

Sign at dispatch: ``SessionClient`` signs each request when it gets its pooled
connection (``DispatchTransport``); with a plain client pass
``transport=DispatchTransport(limits=...)``. Token calls get a pool of their own,
and asyncio API calls run on lanes (``AsyncLaneTransport``: one single-connection
pool per request in flight, because httpcore's asyncio pool can hand one connection
to two requests). Other upstreams: ``SimpleJwtBinding``
for Django REST framework + SimpleJWT, or a ``JsonTokenBinding`` subclass
(docs/bindings.md).

Retries: ``SessionClient`` sends through ``RetryTransport``/``AsyncRetryTransport``
(2 retries of failed connections and 408/429/502/503/504 on idempotent requests,
backoff with jitter, ``Retry-After`` honoured); change it with ``retries=`` on the
client, per call with ``with sdk_session.retries(0): ...``. See docs/reliability.md.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from .binding import ItemsApiBinding, JsonTokenBinding, TokenBinding
from .client import SessionClient
from .credentials import Credentials, CredentialsProvider
from .dispatch import AsyncDispatchTransport, DispatchTransport
from .errors import (
    InsecureTransport,
    LoginFailed,
    NotLoggedIn,
    RefreshRejected,
    SessionError,
    SessionExpired,
    StoreError,
    StoreLockTimeout,
    StoreUnavailable,
    TokenCallTimeout,
    TokenEndpointUnavailable,
    TokenRejected,
    TokenResponseError,
)
from .events import OnSessionExpired, OnTokens
from .flow import SessionAuth
from .lanes import AsyncLaneTransport
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
from .simplejwt import SimpleJwtBinding
from .stores import FileTokenStore, MemoryTokenStore, TokenStore

if TYPE_CHECKING:
    from .stores.redis import RedisTokenStore
from .tokens import TokenSet

__all__ = [
    "DEFAULT_RETRY",
    "NO_RETRY",
    "TOKEN_RETRY",
    "AsyncDispatchTransport",
    "AsyncLaneTransport",
    "AsyncRetryTransport",
    "Credentials",
    "CredentialsProvider",
    "DispatchTransport",
    "FileTokenStore",
    "InsecureTransport",
    "ItemsApiBinding",
    "JsonTokenBinding",
    "LoginFailed",
    "MemoryTokenStore",
    "NotLoggedIn",
    "OnSessionExpired",
    "OnTokens",
    "RedactingFilter",
    "RedisTokenStore",
    "RefreshRejected",
    "RetryPolicy",
    "RetryTransport",
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
    "parse_retry_after",
    "retries",
]


# A library never configures logging: without a handler of the application's, records are dropped
# instead of reaching logging's last-resort stderr handler.
logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str) -> Any:
    # RedisTokenStore needs the optional redis extra: import it only when asked for.
    if name == "RedisTokenStore":
        from .stores.redis import RedisTokenStore

        return RedisTokenStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
