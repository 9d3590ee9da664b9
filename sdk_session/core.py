"""The session logic as a sans-IO state machine.

Each public method is a generator that yields *operations* (send this request,
load or save the store, take or release the refresh lock, ask for credentials)
and receives their results. It never touches a socket, a file or a lock itself:
``sdk_session.flow`` runs the same generators with blocking calls for
``httpx.Client`` and with awaits for ``httpx.AsyncClient``. So sync and async
share every decision, and token-endpoint requests are yielded to httpx like any
other request, which sends them without re-entering the auth flow (no
recursion possible).

The rules, in order, for one request:

1. Requests to origins that do not carry credentials, and login/refresh calls,
   pass through untouched.
2. Load the store at the moment of sending. No session but a credentials
   provider: log in first. Token due for refresh (leeway): renew first.
3. Sign from the loaded tokens and remember which generation was sent.
4. A 401 whose challenge is ``invalid_token`` or carries no error code: if the
   store already holds a newer generation, resend with it; else renew (once,
   shared) and resend. Never more than one resend. Any other status is final.

Renewal is single-flight per store: take the store's refresh lock, re-load, and
use the newer tokens if someone else renewed meanwhile; else, if a renewal
failed while this request waited, raise that failure; else lead: refresh (or
log in again through the credentials provider when the refresh token is
rejected), save (the store stamps a new generation, so the rotated refresh
token replaces the old one before any waiter resends), release.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TypeVar

import httpx

from .binding import TokenBinding
from .credentials import Credentials
from .errors import (
    LoginFailed,
    RefreshRejected,
    SessionExpired,
    TokenEndpointUnavailable,
    TokenResponseError,
)
from .events import SessionEvents
from .origins import OriginPolicy
from .retry import EXTENSION as RETRY_EXTENSION
from .retry import RESIGN_EXTENSION, TOKEN_RETRY, RetryPolicy
from .stores.base import TokenStore
from .tokens import TokenSet

__all__ = [
    "AskCredentials",
    "Load",
    "Lock",
    "Op",
    "Release",
    "Save",
    "Send",
    "SessionCore",
    "Step",
    "TokenCallInterrupted",
    "Unlock",
    "should_renew_on",
]

_log = logging.getLogger("sdk_session.flow")

T = TypeVar("T")


# -- operations -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Send:
    """Send ``request``; the result is its ``httpx.Response``."""

    request: httpx.Request
    token_endpoint: bool = False


@dataclass(frozen=True, slots=True)
class Release:
    """Read and close ``response`` so its pooled connection is free before waiting on the lock.

    Without this, a hundred requests waiting for one refresh would each hold a
    connection with an unread 401, and the refresh could starve for a connection.
    """

    response: httpx.Response


@dataclass(frozen=True, slots=True)
class Load:
    """Read the store; the result is ``TokenSet | None``."""


@dataclass(frozen=True, slots=True)
class Save:
    """Write the store (lock held); the result is the stamped ``TokenSet | None``."""

    tokens: TokenSet | None


@dataclass(frozen=True, slots=True)
class Lock:
    """Take the store's refresh lock (released by ``Unlock`` or when the flow ends)."""


@dataclass(frozen=True, slots=True)
class Unlock:
    """Release the store's refresh lock."""


@dataclass(frozen=True, slots=True)
class AskCredentials:
    """Call the credentials provider; the result is ``Credentials | None``."""


Op = Send | Release | Load | Save | Lock | Unlock | AskCredentials
Step = Generator[Op, object, T]


class TokenCallInterrupted(Exception):
    """Thrown into the core when a token-endpoint call produced no response."""


_LOAD, _LOCK, _UNLOCK, _ASK = Load(), Lock(), Unlock(), AskCredentials()


def _send(request: httpx.Request, *, token_endpoint: bool = False) -> Step[httpx.Response]:
    response = yield Send(request, token_endpoint)
    assert isinstance(response, httpx.Response)
    return response


def _load() -> Step[TokenSet | None]:
    tokens = yield _LOAD
    assert tokens is None or isinstance(tokens, TokenSet)
    return tokens


def _save(tokens: TokenSet | None) -> Step[TokenSet | None]:
    saved = yield Save(tokens)
    assert saved is None or isinstance(saved, TokenSet)
    return saved


def _ask() -> Step[Credentials | None]:
    credentials = yield _ASK
    assert credentials is None or isinstance(credentials, Credentials)
    return credentials


# -- 401 challenges ----------------------------------------------------------------

_ERROR_PARAM = re.compile(r"""(?:^|[\s,])error\s*=\s*(?:"([^"]*)"|([^\s,]+))""", re.IGNORECASE)


def should_renew_on(response: httpx.Response) -> bool:
    """A 401 whose Bearer challenge says ``invalid_token`` or gives no error code.

    RFC 6750 3.1: ``invalid_token`` means a new token may help; any other code
    (``insufficient_scope``, ``invalid_request``) means it will not.
    """
    if response.status_code != 401:
        return False
    codes: list[str] = []
    for value in response.headers.get_list("www-authenticate"):
        codes.extend((m.group(1) or m.group(2) or "").strip() for m in _ERROR_PARAM.finditer(value))
    return not codes or any(code.lower() == "invalid_token" for code in codes)


def _where(request: httpx.Request) -> str:
    return f"{request.method} {request.url.path}"  # never the query: it may hold secrets


class SessionCore:
    """The decisions of the session layer; see the module docstring."""

    def __init__(
        self,
        *,
        binding: TokenBinding,
        store: TokenStore,
        policy: OriginPolicy,
        events: SessionEvents,
        has_credentials: bool,
        leeway: float,
        max_leeway_fraction: float,
        token_timeout: httpx.Timeout,
        clock: Callable[[], float],
        token_retry: RetryPolicy = TOKEN_RETRY,
    ) -> None:
        self.binding = binding
        self.store = store
        self.policy = policy
        self.events = events
        self.has_credentials = has_credentials
        self.leeway = leeway
        self.max_leeway_fraction = max_leeway_fraction
        self.token_timeout = token_timeout
        self.clock = clock
        self.token_retry = token_retry

    @property
    def base_url(self) -> httpx.URL:
        return self.policy.base_url

    # -- one request --------------------------------------------------------------

    def request_flow(self, request: httpx.Request) -> Step[None]:
        if not self.policy.carries_credentials(request.url) or self.binding.is_token_endpoint(
            self.base_url, request
        ):
            yield from _send(request)
            return
        self.policy.check(request.url)

        tokens = yield from _load()
        if tokens is None:
            if self.has_credentials:
                tokens = yield from self._renew(None, "no session")
        elif tokens.refresh_due(self.clock(), self.leeway, self.max_leeway_fraction):
            tokens = yield from self._renew(tokens, "token expiring")
        self._sign(request, tokens)
        ticket = self.store.refresh_state.ticket()  # renewals that end from now on concern us
        response = yield from _send(request)

        if not (should_renew_on(response) and self.policy.carries_credentials(response.url)):
            return
        yield Release(response)
        current = yield from _load()
        sent_generation = None if tokens is None else tokens.generation
        if current is not None and current.generation != sent_generation:
            if current.refresh_due(
                self.clock(), self.leeway, self.max_leeway_fraction
            ) and self._renewable(current):
                # The replacement is itself expiring (the request waited long, e.g.
                # for a pooled connection): renew (shared) rather than resend a token
                # that will be refused too.
                current = yield from self._renew(current, "401; current token expiring", ticket)
                if current is None:
                    return
            _log.debug(
                "%s: 401 for a replaced token; resending with the current one", _where(request)
            )
        else:
            failure = self.store.refresh_state.failure_since(ticket)
            if failure is not None:
                raise failure  # the renewal that ended while this request was out failed
            if not self._renewable(current):
                _log.debug("%s: 401 and nothing to renew with; passing it on", _where(request))
                return
            current = yield from self._renew(current, "401 invalid_token", ticket)
            if current is None or current.generation == sent_generation:
                return
        self._sign(request, current)
        yield from _send(request)  # the one resend; its answer is final

    def _sign(self, request: httpx.Request, tokens: TokenSet | None) -> None:
        if tokens is not None:
            request.headers["Authorization"] = tokens.authorization
            self.store.refresh_state.note(tokens)
            request.extensions = {**request.extensions, RESIGN_EXTENSION: self._resign}

    def _resign(self, request: httpx.Request) -> None:
        """Called by the retry transport before a resend: sign with the newest tokens."""
        latest = self.store.refresh_state.latest
        if latest is not None:
            request.headers["Authorization"] = latest.authorization

    def _save(self, tokens: TokenSet | None) -> Step[TokenSet | None]:
        saved = yield from _save(tokens)
        self.store.refresh_state.note(saved, saved=True)
        return saved

    def _renewable(self, tokens: TokenSet | None) -> bool:
        return self.has_credentials or (tokens is not None and tokens.refresh_token is not None)

    # -- single-flight renewal ----------------------------------------------------

    def _renew(
        self, seen: TokenSet | None, why: str, ticket: int | None = None
    ) -> Step[TokenSet | None]:
        state = self.store.refresh_state
        if ticket is None:
            ticket = state.ticket()
        seen_generation = None if seen is None else seen.generation
        yield _LOCK
        current = yield from _load()
        if current is not None and current.generation != seen_generation:
            yield _UNLOCK
            _log.debug("renewed by someone else meanwhile (generation %d)", current.generation)
            return current
        failure = state.failure_since(ticket)
        if failure is not None:
            raise failure  # the flow releases the lock as the error leaves it
        result = yield from self._lead(current, why)
        yield _UNLOCK
        return result

    def _lead(self, current: TokenSet | None, why: str) -> Step[TokenSet | None]:
        state = self.store.refresh_state
        try:
            if current is not None and current.refresh_token:
                _log.info("refreshing the session (%s, generation %d)", why, current.generation)
                try:
                    new = yield from self._refresh_call(current)
                except RefreshRejected as rejected:
                    if not self.has_credentials:
                        raise SessionExpired(
                            f"session expired: {rejected}",
                            reason="rejected",
                            session_ended=True,
                            cause=rejected,
                        ) from rejected
                    _log.warning("%s; logging in again with the credentials provider", rejected)
                    new = yield from self._relogin(rejected)
                except SessionExpired as unusable:
                    # An unusable refresh answer may have spent (rotated) the refresh
                    # token: with a credentials provider, log in again instead.
                    if unusable.reason != "malformed" or not self.has_credentials:
                        raise
                    _log.warning("%s; logging in again with the credentials provider", unusable)
                    new = yield from self._relogin(unusable)
            elif self.has_credentials:
                _log.info("logging in with the credentials provider (%s)", why)
                new = yield from self._relogin(None)
            else:
                return current
            saved = yield from self._save(new)
            assert saved is not None
            state.record_success()
            self.events.tokens_changed(saved)
            _log.info("session renewed: generation %d, %s", saved.generation, _lifetime(saved))
            return saved
        except SessionExpired as exc:
            _log.warning("session renewal failed: %s", exc)
            if exc.session_ended:
                yield from self._save(None)
                self.events.tokens_changed(None)
            state.record_failure(exc)
            if exc.session_ended:
                self.events.session_expired(exc)
            raise
        except TokenCallInterrupted:
            failure = SessionExpired(
                "session renewal interrupted: the token endpoint call did not complete "
                "(network failure, timeout or cancellation)",
                reason="interrupted",
                session_ended=False,
            )
            _log.warning("%s", failure)
            state.record_failure(failure)
            raise

    def _prepare(self, request: httpx.Request, *, login: bool) -> httpx.Request:
        # Token calls carry their own retry budget (read by sdk_session.retry's
        # transport). Login may be resent after any transient failure; refresh only
        # when it provably was not processed (no connection, or a 429/5xx answer):
        # a refresh whose answer was lost may have rotated the refresh token.
        policy = self.token_retry.evolve(unsafe="all" if login else "status")
        request.extensions = {
            **request.extensions,
            "timeout": self.token_timeout.as_dict(),
            RETRY_EXTENSION: policy,
        }
        self.policy.check(request.url)
        return request

    def _refresh_call(self, current: TokenSet) -> Step[TokenSet]:
        request = self._prepare(self.binding.refresh_request(self.base_url, current), login=False)
        response = yield from _send(request, token_endpoint=True)
        try:
            return self.binding.parse_refresh(response, current, now=self.clock())
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
            credentials = yield from _ask()
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
        response = yield from _send(request, token_endpoint=True)
        try:
            return self.binding.parse_login(response, now=self.clock())
        except LoginFailed as exc:
            raise SessionExpired(
                f"session expired: {exc}", reason="login_failed", session_ended=True, cause=exc
            ) from exc
        except TokenResponseError as exc:
            raise SessionExpired(
                f"session expired: {exc}", reason="malformed", session_ended=True, cause=exc
            ) from exc

    # -- explicit login and logout ------------------------------------------------

    def login_flow(self, credentials: Credentials) -> Step[TokenSet]:
        request = self._prepare(self.binding.login_request(self.base_url, credentials), login=True)
        response = yield from _send(request, token_endpoint=True)
        tokens = self.binding.parse_login(response, now=self.clock())
        yield _LOCK
        saved = yield from self._save(tokens)
        assert saved is not None
        self.store.refresh_state.record_success()
        self.events.tokens_changed(saved)
        yield _UNLOCK
        _log.info("logged in: generation %d, %s", saved.generation, _lifetime(saved))
        return saved

    def renew_flow(self) -> Step[TokenSet | None]:
        """Renew now (single-flight like any renewal); ``None`` when there is no session."""
        current = yield from _load()
        if current is None and not self.has_credentials:
            return None
        return (yield from self._renew(current, "renewal requested"))

    def clear_flow(self) -> Step[None]:
        yield _LOCK
        yield from self._save(None)
        self.events.tokens_changed(None)
        yield _UNLOCK
        _log.info("session cleared")


def _lifetime(tokens: TokenSet) -> str:
    lifetime = tokens.lifetime
    return "lifetime unknown" if lifetime is None else f"expires in {lifetime:.1f} s"
