"""The session's arguments: checked when it is built, and the token calls' timeout.

Misconfiguration fails where the session is made, naming the argument, never on the first
request; ``resolve_token_timeout`` decides how long each login/refresh attempt may take.
"""

from __future__ import annotations

import httpx

from .binding import TokenBinding
from .stores.base import TokenStore

__all__ = ["DEFAULT_TOKEN_TIMEOUT", "check_arguments", "resolve_token_timeout"]


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


def check_arguments(
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
