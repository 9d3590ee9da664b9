"""Access tokens (HS256 JWTs) and rotating refresh-token families.

A login opens a *family* (a session, the JWT's ``sid``). Each refresh spends the
presented refresh token and issues a new pair in the same family. Per RFC 9700,
presenting a spent refresh token while reuse detection is on revokes the whole
family, which also invalidates every access token carrying its ``sid``.
"""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jwt

from .config import ServerConfig

_ALGORITHM = "HS256"
_REQUIRED_CLAIMS = ["exp", "iat", "sub", "jti", "sid"]


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: float
    token_type: str = "Bearer"

    def to_json(self) -> dict[str, object]:
        return {
            "access_token": self.access_token,
            "token_type": self.token_type,
            "refresh_token": self.refresh_token,
            "expires_in": self.expires_in,
        }


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    sid: str


class AccessTokenRejected(Exception):
    """The access token is missing, malformed, expired or revoked (message says which)."""


class RefreshRejected(Exception):
    """The refresh grant is invalid; ``reuse_detected`` if this revoked the family."""

    def __init__(self, message: str, *, reuse_detected: bool = False) -> None:
        super().__init__(message)
        self.reuse_detected = reuse_detected


@dataclass
class _Family:
    user_id: int
    revoked: bool = False
    refresh_tokens: list[str] = field(default_factory=list)


@dataclass
class _RefreshRecord:
    sid: str
    expires_at: float
    spent: bool = False


class TokenService:
    """Issues and checks tokens. Call only from the event loop (no locking)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._secret = secrets.token_bytes(32)
        self._families: dict[str, _Family] = {}
        self._refresh: dict[str, _RefreshRecord] = {}

    def forget_all(self) -> None:
        """Act like a restarted server: new signing key, no sessions at all."""
        self._secret = secrets.token_bytes(32)
        self._families.clear()
        self._refresh.clear()

    def login(self, user_id: int, config: ServerConfig) -> IssuedTokens:
        sid = secrets.token_urlsafe(12)
        self._families[sid] = _Family(user_id=user_id)
        return self._issue(sid, config)

    def refresh(self, refresh_token: str, config: ServerConfig) -> IssuedTokens:
        record = self._refresh.get(refresh_token)
        if record is None:
            raise RefreshRejected("The refresh token is unknown.")
        family = self._families.get(record.sid)
        if family is None or family.revoked:
            raise RefreshRejected("The session of this refresh token was revoked.")
        if record.spent:
            if config.reuse_detection:
                self.revoke(record.sid)
                raise RefreshRejected(
                    "The refresh token was already used; the session is revoked.",
                    reuse_detected=True,
                )
            raise RefreshRejected("The refresh token was already used.")
        if self._clock() >= record.expires_at:
            raise RefreshRejected("The refresh token has expired.")
        record.spent = True
        return self._issue(record.sid, config)

    def revoke(self, sid: str) -> None:
        """Revoke a family: its refresh tokens are forgotten, its access tokens fail."""
        family = self._families.get(sid)
        if family is None:
            return
        family.revoked = True
        for token in family.refresh_tokens:
            self._refresh.pop(token, None)
        family.refresh_tokens.clear()

    def verify_access(self, token: str) -> AccessClaims:
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._secret,
                algorithms=[_ALGORITHM],
                # PyJWT checks exp in whole seconds; sub-second TTLs need the check below.
                options={"require": _REQUIRED_CLAIMS, "verify_exp": False},
            )
        except jwt.PyJWTError:
            raise AccessTokenRejected("The access token is malformed or not ours.") from None
        exp, sid, sub = claims["exp"], claims["sid"], claims["sub"]
        if (
            isinstance(exp, bool)
            or not isinstance(exp, int | float)
            or not isinstance(sid, str)
            or not isinstance(sub, str)
            or not sub.isdigit()
        ):
            raise AccessTokenRejected("The access token has invalid claims.")
        if not math.isfinite(exp) or self._clock() >= exp:
            raise AccessTokenRejected("The access token has expired.")
        family = self._families.get(sid)
        if family is None or family.revoked:
            raise AccessTokenRejected("The access token was revoked.")
        return AccessClaims(user_id=int(sub), sid=sid)

    def _issue(self, sid: str, config: ServerConfig) -> IssuedTokens:
        now = self._clock()
        family = self._families[sid]
        claims = {
            "sub": str(family.user_id),
            "sid": sid,
            "jti": secrets.token_urlsafe(12),
            "iat": now,
            "exp": now + config.access_ttl,
        }
        access = jwt.encode(claims, self._secret, algorithm=_ALGORITHM)
        refresh = secrets.token_urlsafe(32)
        self._refresh[refresh] = _RefreshRecord(sid=sid, expires_at=now + config.refresh_ttl)
        family.refresh_tokens.append(refresh)
        return IssuedTokens(
            access_token=access, refresh_token=refresh, expires_in=config.access_ttl
        )
