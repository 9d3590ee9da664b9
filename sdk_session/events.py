"""Application callbacks: tokens changed (persist them elsewhere), session expired.

Callbacks are plain functions, called synchronously in the thread or task that
caused the change, in order, while the refresh lock is held, so a persisted copy
never goes backwards. They must be quick; an exception in one is logged (without
secrets) and swallowed, because a failing listener must not fail the request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from .errors import SessionExpired
from .tokens import TokenSet

__all__ = ["OnSessionExpired", "OnTokens", "SessionEvents"]

_log = logging.getLogger("sdk_session.events")

OnTokens = Callable[[TokenSet | None], object]
"""Called with the new ``TokenSet`` after login and refresh, ``None`` after logout or expiry."""

OnSessionExpired = Callable[[SessionExpired], object]
"""Called once per renewal failure, with the error every waiting request raises."""


@dataclass(frozen=True, slots=True)
class SessionEvents:
    on_tokens: OnTokens | None = None
    on_session_expired: OnSessionExpired | None = None

    def tokens_changed(self, tokens: TokenSet | None) -> None:
        if self.on_tokens is not None:
            try:
                self.on_tokens(tokens)
            except Exception as exc:
                _log.error("on_tokens callback failed: %s", type(exc).__name__)

    def session_expired(self, error: SessionExpired) -> None:
        if self.on_session_expired is not None:
            try:
                self.on_session_expired(error)
            except Exception as exc:
                _log.error("on_session_expired callback failed: %s", type(exc).__name__)
