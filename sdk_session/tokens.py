"""The token set and the expiry arithmetic that decides when to refresh.

Times are wall-clock epoch seconds (``time.time()``) because a token store may
be shared by several processes. A binding builds a ``TokenSet`` from
``expires_in`` or the JWT's ``exp - iat`` (relative, so a skewed server clock
does not make a fresh token look expired); the session core then ``calibrate``s
it: the server's clock wins, so a JWT's absolute ``exp`` is converted to our
clock with the upper bound of the estimated clock offset (``timing.ServerClock``)
and expiry is never estimated later than the token says. Whole-second claims
(``iat``/``exp`` floored by the server, as SimpleJWT does) are taken at their
worst case, and they also set ``refresh_floor``: before that moment a refresh
would return a token that expires no later than this one.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .errors import TokenResponseError
from .redact import REDACTED
from .timing import ServerClock

__all__ = [
    "DEFAULT_LEEWAY",
    "DEFAULT_MAX_LEEWAY_FRACTION",
    "TokenSet",
    "calibrate",
    "effective_leeway",
    "jwt_claims",
]

DEFAULT_LEEWAY = 30.0
"""Seconds before expiry at which a token is refreshed proactively."""

DEFAULT_MAX_LEEWAY_FRACTION = 0.1
"""The leeway never exceeds this fraction of the token's lifetime (short-lived tokens)."""


def jwt_claims(token: str) -> dict[str, Any] | None:
    """The payload of a JWT, decoded WITHOUT verifying it, or ``None`` if it is not one.

    Only used to learn ``exp``/``iat``; the server remains the judge of validity.
    Never raises: an opaque token, bad base64 or non-object JSON all give ``None``.
    """
    parts = token.split(".")
    if len(parts) != 3 or not parts[1]:
        return None
    segment = parts[1]
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        claims = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        return None
    return claims if isinstance(claims, dict) else None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def effective_leeway(
    lifetime: float | None,
    leeway: float,
    max_fraction: float,
    latency: float = 0.0,
    renewal: float = 0.0,
) -> float:
    """At least ``leeway``, the recent request ``latency`` (p99) and, when the last
    renewal took ``renewal`` seconds, twice that plus ``latency`` (so a slow token
    endpoint answers before the old token dies); all capped to ``max_fraction`` of
    ``lifetime`` (uncapped when the lifetime is unknown), because refreshing earlier
    than that costs refreshes beyond one per lifetime."""
    wanted = max(leeway, latency, 2 * renewal + latency if renewal > 0 else 0.0)
    if lifetime is None or lifetime <= 0:
        return wanted
    return min(wanted, lifetime * max_fraction)


@dataclass(frozen=True, slots=True, repr=False)
class TokenSet:
    """An access token, how to send it, how to renew it and when it expires.

    ``expires_at`` and ``obtained_at`` are epoch seconds on this machine's clock;
    ``expires_at`` is ``None`` when the lifetime is unknown (then only a 401
    triggers a refresh). ``refresh_floor``, when set, is the earliest moment a
    refresh can return a token that lives longer than this one. ``generation``
    is stamped by the token store on every save, so a request can tell whether
    the token it was sent with is still the current one. ``repr``/``str`` never show the tokens.
    """

    access_token: str
    token_type: str = "Bearer"
    refresh_token: str | None = None
    expires_at: float | None = None
    obtained_at: float = 0.0
    generation: int = 0
    refresh_floor: float | None = None
    authorization: str = field(init=False, repr=False, compare=False)
    """The ``Authorization`` header value (built once: every request sends it)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "authorization", f"{self.token_type} {self.access_token}")

    @classmethod
    def issue(
        cls,
        *,
        access_token: str,
        now: float,
        token_type: str | None = None,
        refresh_token: str | None = None,
        expires_in: float | None = None,
    ) -> TokenSet:
        """Build a token set received at ``now``.

        The lifetime comes from ``expires_in`` when given, else from the JWT's
        ``exp - iat``, else from ``exp`` against our clock, else it is unknown.
        """
        if not access_token:
            raise TokenResponseError("token response has an empty access token")
        scheme = (token_type or "Bearer").strip()
        if not scheme or any(ch.isspace() for ch in scheme):
            raise TokenResponseError("token response has an unusable token_type")
        if scheme.lower() == "bearer":
            scheme = "Bearer"  # RFC 6750 scheme; some servers answer "bearer"
        expires_at: float | None = None
        lifetime = _number(expires_in) if expires_in is not None else None
        if expires_in is not None and (lifetime is None or lifetime < 0):
            raise TokenResponseError("token response field 'expires_in' is not a valid number")
        if lifetime is not None:
            expires_at = now + lifetime
        else:
            claims = jwt_claims(access_token) or {}
            exp, iat = _number(claims.get("exp")), _number(claims.get("iat"))
            if exp is not None and iat is not None and exp >= iat:
                expires_at = now + (exp - iat)
            elif exp is not None:
                expires_at = exp
        return cls(
            access_token=access_token,
            token_type=scheme,
            refresh_token=refresh_token or None,
            expires_at=expires_at,
            obtained_at=now,
        )

    @property
    def lifetime(self) -> float | None:
        if self.expires_at is None:
            return None
        return self.expires_at - self.obtained_at

    def refresh_at(
        self, leeway: float, max_fraction: float, latency: float = 0.0, renewal: float = 0.0
    ) -> float | None:
        """When to refresh proactively, or ``None`` to wait for a 401.

        ``latency`` and ``renewal`` widen the leeway up to ``max_fraction`` of the
        lifetime (see ``effective_leeway``).

        A token that is already inside the leeway when it arrives (a short
        lifetime or a large leeway) is used until it expires; one that arrives
        already expired by our clock is used until the server rejects it. Either
        way a freshly obtained token never triggers a refresh by itself, and
        never before ``refresh_floor``, which rules out refresh loops.
        """
        expires_at = self.expires_at
        if expires_at is None or expires_at <= self.obtained_at:
            return None
        lifetime = expires_at - self.obtained_at
        due = expires_at - effective_leeway(lifetime, leeway, max_fraction, latency, renewal)
        if due <= self.obtained_at:
            due = expires_at
        floor = self.refresh_floor
        if floor is not None and floor > due:
            due = floor
        return due

    def lead(
        self, leeway: float, max_fraction: float, latency: float = 0.0, renewal: float = 0.0
    ) -> float:
        """How long before expiry a renewal ahead starts (``effective_leeway``)."""
        return effective_leeway(self.lifetime, leeway, max_fraction, latency, renewal)

    def refresh_due(
        self,
        now: float,
        leeway: float,
        max_fraction: float,
        latency: float = 0.0,
        renewal: float = 0.0,
    ) -> bool:
        due = self.refresh_at(leeway, max_fraction, latency, renewal)
        return due is not None and now >= due

    def expired(self, now: float) -> bool:
        """Dead by our clock; ``False`` for a token that arrived already "expired"
        (we cannot tell, so the server decides) or whose lifetime is unknown."""
        expires_at = self.expires_at
        return expires_at is not None and self.obtained_at < expires_at <= now

    def doomed(self, now: float, latency: float, lead: float) -> bool:
        """Valid now, but with less life left than a request recently took (``latency``):
        a request sent with it would likely die on its way. Never more than half the
        refresh-ahead ``lead`` (``effective_leeway``) before expiry, so a renewal ahead
        always has that first half to finish while traffic goes on."""
        return now >= self.doomed_at(latency, lead)

    def doomed_at(self, latency: float, lead: float) -> float:
        """From when ``doomed`` holds (``inf``: never, e.g. an unknown lifetime)."""
        expires_at = self.expires_at
        if latency <= 0 or expires_at is None or expires_at <= self.obtained_at:
            return math.inf
        return expires_at - min(latency, lead / 2)

    def renewable_in(self, now: float) -> float:
        """Seconds until a refresh can return a newer token (0 when it already can)."""
        floor = self.refresh_floor
        return 0.0 if floor is None or floor <= now else floor - now

    def newer_than(self, other: TokenSet) -> bool:
        """Whether this token expires later than ``other`` (unknown lifetimes count as newer)."""
        if self.expires_at is None or other.expires_at is None:
            return True
        return self.expires_at > other.expires_at + 1e-6

    def with_generation(self, generation: int) -> TokenSet:
        return replace(self, generation=generation)

    def with_refresh_token(self, refresh_token: str | None) -> TokenSet:
        return replace(self, refresh_token=refresh_token)

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict for persistent stores (contains the secrets!)."""
        return {
            "access_token": self.access_token,
            "token_type": self.token_type,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at,
            "obtained_at": self.obtained_at,
            "generation": self.generation,
            "refresh_floor": self.refresh_floor,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TokenSet:
        """Inverse of ``to_json``; raises ``TokenResponseError`` on a malformed record."""
        if not isinstance(data, Mapping):
            raise TokenResponseError("stored token record is not an object")
        access = data.get("access_token")
        token_type = data.get("token_type")
        refresh = data.get("refresh_token")
        expires_at = data.get("expires_at")
        obtained_at = _number(data.get("obtained_at"))
        generation = data.get("generation")
        floor = data.get("refresh_floor")
        if floor is not None and _number(floor) is None:
            raise TokenResponseError("stored token record has a non-numeric refresh_floor")
        if not isinstance(access, str) or not access or not isinstance(token_type, str):
            raise TokenResponseError("stored token record lacks access_token/token_type")
        if refresh is not None and not isinstance(refresh, str):
            raise TokenResponseError("stored token record has a non-string refresh_token")
        if expires_at is not None and _number(expires_at) is None:
            raise TokenResponseError("stored token record has a non-numeric expires_at")
        if obtained_at is None or isinstance(generation, bool) or not isinstance(generation, int):
            raise TokenResponseError("stored token record lacks obtained_at/generation")
        return cls(
            access_token=access,
            token_type=token_type,
            refresh_token=refresh,
            expires_at=None if expires_at is None else float(expires_at),
            obtained_at=obtained_at,
            generation=generation,
            refresh_floor=None if floor is None else float(floor),
        )

    def __repr__(self) -> str:
        refresh = REDACTED if self.refresh_token else None
        return (
            f"TokenSet(token_type={self.token_type!r}, access_token={REDACTED}, "
            f"refresh_token={refresh}, expires_at={self.expires_at!r}, "
            f"generation={self.generation})"
        )

    __str__ = __repr__


def calibrate(tokens: TokenSet, clock: ServerClock, sent: float, received: float) -> TokenSet:
    """``tokens`` as received between local ``sent`` and ``received``, with the server's clock.

    Learns the clock offset from the JWT's ``iat``, then takes the earlier of the
    binding's estimate and the absolute ``exp`` on our clock (worst case of the
    offset). Whole-second claims set ``refresh_floor``: the server floors the new
    token's ``exp`` too, so a refresh before ``exp - (exp - iat) + 1`` (server
    time) returns a token that dies no later than this one.
    """
    claims = jwt_claims(tokens.access_token)
    if not claims:
        return tokens
    exp, iat = _number(claims.get("exp")), _number(claims.get("iat"))
    if exp is None:
        return tokens
    if iat is not None and iat <= exp:
        clock.observe_claim(iat, sent, received)
    local_exp = clock.local(exp)
    if local_exp is None:
        return tokens
    expires_at = tokens.expires_at
    if expires_at is None or local_exp < expires_at:
        expires_at = local_exp
    floor = None
    if iat is not None and iat <= exp and exp.is_integer() and iat.is_integer():
        # The first server moment a refresh yields a later whole-second exp, taken on
        # our clock at its latest (before it, the new token might expire with this one).
        floor = clock.local_latest(exp - (exp - iat) + 1.0)
    return replace(tokens, expires_at=expires_at, obtained_at=received, refresh_floor=floor)
