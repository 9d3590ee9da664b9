"""The token endpoint calls a renewal makes: refresh, and log in again.

Each builds the call with its own timeout and retry budget, sends it as a
``Send`` step (drivers route these to the token pool), and turns the answer
into calibrated tokens or into the ``SessionExpired`` the renewal reports.
"""

from __future__ import annotations

import httpx

from ..errors import (
    InvalidClient,
    LoginFailed,
    SessionExpired,
    TokenEndpointUnavailable,
    TokenResponseError,
    UnsupportedGrant,
)
from ..retry import EXTENSION as RETRY_EXTENSION
from ..tokens import TokenSet, calibrate
from .marks import RENEWAL_EXTENSION
from .readiness import Readiness
from .steps import Step, ask, send

__all__ = ["TokenCalls"]


class TokenCalls(Readiness):
    """Refresh and re-login calls, on top of the session's settings."""

    def _prepare(
        self, request: httpx.Request, *, login: bool, renewal: bool = True
    ) -> httpx.Request:
        # Token calls carry their own retry budget (read by sdk_session.retry's
        # transport). Login may be resent after any transient failure; refresh only
        # when it provably was not processed (no connection, or a 429/5xx answer):
        # a refresh whose answer was lost may have rotated the refresh token.
        policy = self.token_retry.evolve(unsafe="all" if login else "status")
        request.extensions = {
            **request.extensions,
            "timeout": self.token_timeout.as_dict(),
            RETRY_EXTENSION: policy,
            RENEWAL_EXTENSION: renewal,
        }
        self.policy.check(request.url)
        return request

    def _refresh_call(self, current: TokenSet) -> Step[TokenSet]:
        request = self._prepare(self.binding.refresh_request(self.base_url, current), login=False)
        sent = self.clock()
        response = yield from send(request, token_endpoint=True)
        received = self.clock()
        self.state.renewal = max(received - sent, 0.0)  # leeway: see refresh_at
        try:
            tokens = self.binding.parse_refresh(response, current, now=received)
            return self._calibrate(tokens, response, sent, received)
        except (InvalidClient, UnsupportedGrant) as exc:
            raise _misconfigured(exc) from exc
        except TokenEndpointUnavailable as exc:
            raise SessionExpired(
                f"session could not be renewed: {exc}",
                reason="unavailable",
                session_ended=False,
                cause=exc,
            ) from exc
        except TokenResponseError as exc:
            # The refresh token was spent by this call: the session cannot go on.
            raise SessionExpired(
                f"session expired: {exc}", reason="malformed", session_ended=True, cause=exc
            ) from exc

    def _relogin(self, cause: Exception | None) -> Step[TokenSet]:
        try:
            credentials = yield from ask()
        except Exception as exc:
            raise SessionExpired(
                f"session expired: the credentials provider failed ({type(exc).__name__})",
                reason="no_credentials",
                session_ended=True,
                cause=exc,
            ) from exc
        if credentials is None:
            raise SessionExpired(
                "session expired: the credentials provider declined to log in again",
                reason="no_credentials",
                session_ended=True,
                cause=cause,
            )
        request = self._prepare(self.binding.login_request(self.base_url, credentials), login=True)
        sent = self.clock()
        response = yield from send(request, token_endpoint=True)
        received = self.clock()
        try:
            tokens = self.binding.parse_login(response, now=received)
            return self._calibrate(tokens, response, sent, received)
        except (InvalidClient, UnsupportedGrant) as exc:
            raise _misconfigured(exc) from exc
        except LoginFailed as exc:
            if cause is not None and exc.__cause__ is None:
                exc.__cause__ = cause
            raise SessionExpired(
                f"session expired: {exc}", reason="login_failed", session_ended=True, cause=exc
            ) from exc
        except TokenResponseError as exc:
            raise SessionExpired(
                f"session expired: {exc}", reason="malformed", session_ended=True, cause=exc
            ) from exc

    def _calibrate(
        self, tokens: TokenSet, response: httpx.Response, sent: float, received: float
    ) -> TokenSet:
        """Learn the server's clock from the answer, then let it decide the expiry."""
        clock = self.state.server_clock
        clock.observe_date(response.headers.get("date"), sent, received)
        return calibrate(tokens, clock, sent, received)


def _misconfigured(exc: InvalidClient | UnsupportedGrant) -> SessionExpired:
    """A token endpoint that refuses the client or the grant: no renewal can succeed
    until the configuration changes, so the session ends (``reason`` says which)."""
    reason = "invalid_client" if isinstance(exc, InvalidClient) else "unsupported_grant"
    return SessionExpired(f"session expired: {exc}", reason=reason, session_ended=True, cause=exc)
