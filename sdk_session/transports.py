"""The httpx clients a session client runs on: dispatch over retry over the pools.

Built from the generated client's keyword arguments the way httpx builds its
default transport (``verify``, ``cert``, ``trust_env``, ``http1``, ``http2``,
``limits``, ``proxy``). Token calls get a pool of their own built from the same
options (see ``sdk_session.dispatch``); with your own ``transport`` they share it.
Async API calls run on lanes (see ``sdk_session.lanes``). The outermost transport
runs the session itself (``SessionAuth.at_dispatch``; see ``sdk_session.dispatcher``).
"""

from __future__ import annotations

from typing import Any, Protocol

import attrs
import httpx

from .client import default_timeout
from .dispatch import TOKEN_LIMITS, AsyncDispatchTransport, DispatchTransport
from .flow import SessionAuth, resolve_token_timeout
from .lanes import AsyncLaneTransport
from .retry import AsyncRetryTransport, RetryPolicy, RetryTransport

__all__ = ["TimeoutOptions", "async_client", "sync_client", "token_timeout_of"]

_TRANSPORT_OPTIONS = ("verify", "cert", "trust_env", "http1", "http2", "limits", "proxy")


class TimeoutOptions(Protocol):
    """The timeout settings of a session client (its attrs fields)."""

    @property
    def timeout(self) -> httpx.Timeout | float | None: ...

    @property
    def token_timeout(self) -> float | httpx.Timeout: ...

    @property
    def httpx_args(self) -> dict[str, Any]: ...


def _default_timeout(client: object) -> httpx.Timeout | float | None:
    """The ``timeout`` a client of this class gets when none is given."""
    cls = type(client)
    found = attrs.fields_dict(cls).get("timeout") if attrs.has(cls) else None
    default: object = default_timeout() if found is None else found.default
    factory = getattr(default, "factory", None)  # an attrs.Factory (a function in the stubs)
    if callable(factory):
        default = factory(client) if getattr(default, "takes_self", False) else factory()
    if default is None or isinstance(default, httpx.Timeout | int | float):
        return default
    return default_timeout()


def token_timeout_of(client: TimeoutOptions) -> httpx.Timeout:
    """The timeout of each login/refresh attempt of a session client: its ``token_timeout``
    when set, else its own ``timeout`` (or ``httpx_args["timeout"]``, which httpx gets
    instead) when set, else ``DEFAULT_TOKEN_TIMEOUT`` (see ``resolve_token_timeout``)."""
    own = client.httpx_args.get("timeout", client.timeout)
    return resolve_token_timeout(client.token_timeout, own, _default_timeout(client))


def _limits_of(kwargs: dict[str, Any]) -> httpx.Limits:
    """The pool limits httpx would use for these client arguments."""
    limits = kwargs.get("limits")
    return limits if isinstance(limits, httpx.Limits) else httpx.Limits(max_connections=100)


def _transport_options(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The client options httpx would have used to build its default transport."""
    return {name: kwargs[name] for name in _TRANSPORT_OPTIONS if name in kwargs}


def _session_at_dispatch(kwargs: dict[str, Any]) -> None:
    """The dispatch transport runs the session (``SessionAuth.at_dispatch``): httpx's
    auth only marks the requests."""
    auth = kwargs.get("auth")
    if isinstance(auth, SessionAuth):
        kwargs["auth"] = auth.at_dispatch


def sync_client(kwargs: dict[str, Any], retries: RetryPolicy | None) -> httpx.Client:
    """An ``httpx.Client`` from the generated client's kwargs."""
    _session_at_dispatch(kwargs)
    inner: httpx.BaseTransport | None = kwargs.get("transport")
    token: httpx.BaseTransport | None = None
    if inner is None:
        options = _transport_options(kwargs)
        inner = httpx.HTTPTransport(**options)
        token = httpx.HTTPTransport(**{**options, "limits": TOKEN_LIMITS})
        kwargs.pop("proxy", None)  # now inside the transports
    if retries is not None:
        inner = RetryTransport(inner, retries)
        token = None if token is None else RetryTransport(token, retries)
    kwargs["transport"] = DispatchTransport(inner, limits=_limits_of(kwargs), token_transport=token)
    return httpx.Client(**kwargs)


def async_client(kwargs: dict[str, Any], retries: RetryPolicy | None) -> httpx.AsyncClient:
    """Async twin of :func:`sync_client`."""
    _session_at_dispatch(kwargs)
    inner: httpx.AsyncBaseTransport | None = kwargs.get("transport")
    token: httpx.AsyncBaseTransport | None = None
    if inner is None:
        options = _transport_options(kwargs)
        inner = AsyncLaneTransport(bounded=False, **options)  # the dispatch slots bound them
        token = httpx.AsyncHTTPTransport(**{**options, "limits": TOKEN_LIMITS})
        kwargs.pop("proxy", None)
    if retries is not None:
        inner = AsyncRetryTransport(inner, retries)
        token = None if token is None else AsyncRetryTransport(token, retries)
    kwargs["transport"] = AsyncDispatchTransport(
        inner, limits=_limits_of(kwargs), token_transport=token
    )
    return httpx.AsyncClient(**kwargs)
