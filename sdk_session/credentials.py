"""Email/password credentials and the optional provider used to log in again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from .redact import REDACTED

__all__ = ["Credentials", "CredentialsProvider", "coerce_credentials"]


@dataclass(frozen=True, slots=True, repr=False)
class Credentials:
    """What the login operation needs. ``repr`` hides the password."""

    email: str
    password: str

    def __repr__(self) -> str:
        return f"Credentials(email={self.email!r}, password={REDACTED})"

    __str__ = __repr__


CredentialsResult = Credentials | tuple[str, str] | None
CredentialsProvider = Callable[[], CredentialsResult | Awaitable[CredentialsResult]]
"""A callable (sync or async) the session calls to log in again when the refresh
token is rejected. Return ``None`` to decline (the session then expires)."""


def coerce_credentials(value: object) -> Credentials | None:
    """Accept ``Credentials``, an ``(email, password)`` tuple or ``None``."""
    if value is None or isinstance(value, Credentials):
        return value
    if (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], str)
    ):
        return Credentials(value[0], value[1])
    raise TypeError("a credentials provider must return Credentials, (email, password) or None")
