"""The renewal state machine: wait for, lead, or skip the one shared renewal.

Renewal is single-flight per store: take the store's refresh lock, re-load, and
use the newer tokens if someone else renewed meanwhile (unless they expired
before this request got them: a save that waited long for replicas); else, if a
renewal failed while this request waited, raise that failure; else lead:
refresh (or log in again through the credentials provider when the refresh
token is rejected), save (the store stamps a new generation, so the rotated
refresh token replaces the old one before any waiter resends), release. Tokens
whose save failed stay in the process (``RefreshState.unsaved``) and are saved
by the next renewal, never replaced by a second use of the spent refresh token.

A token that is dead (expired on our clock, or answered 401 while current)
waits for the renewal; one inside its leeway but still valid is renewed ahead by
exactly one caller (a non-blocking try of the lock), or by a thread or task the
dispatch transport starts for it (``renew_ahead``); everybody else goes on with it.
"""

from __future__ import annotations

import logging
import math

import httpx

from ..credentials import Credentials
from ..errors import NotLoggedIn, RefreshRejected, SessionExpired, StoreError, TokenRejected
from ..tokens import TokenSet
from .marks import SENT_EXTENSION, Sent
from .steps import (
    LOCK,
    TRY_LOCK,
    UNLOCK,
    Sleep,
    Step,
    TokenCallInterrupted,
    interrupted_error,
    load,
    save,
    send,
)
from .token_calls import TokenCalls

__all__ = ["Renewal"]

_log = logging.getLogger("sdk_session.flow")

_TRY_PAUSE = 0.05
"""Seconds between two tries of a busy lock for a renewal ahead of time (per process)."""

_MAX_FLOOR_WAIT = 1.5
"""Seconds a request waits at most for a refresh to become able to return a newer token."""


class Renewal(TokenCalls):
    """Make tokens usable (rule 2 of ``sdk_session.core``), renewing them once for all."""

    def _ready(
        self, tokens: TokenSet | None, now: float, why: str, ticket: int | None = None
    ) -> Step[TokenSet]:
        """Tokens fit to sign with now (rule 2 of ``sdk_session.core``)."""
        state = self.state
        if tokens is None:
            if not self.has_credentials:
                raise self._no_session()
            renewed = yield from self._renew(None, "no session", ticket)
            return renewed
        if self._usable(tokens, now) or not self._renewable(tokens):
            return tokens  # fine as it is; or nothing to renew with: the server judges
        if now >= self._bounds(tokens)[1]:
            # Expired, refused by the upstream, or with less life left than requests
            # recently took (p90: it would likely die on the way): wait for the shared
            # renewal.
            dead = state.is_dead(tokens)
            if _log.isEnabledFor(logging.DEBUG):
                left = math.inf if tokens.expires_at is None else tokens.expires_at - now
                _log.debug(
                    "waiting for the renewal: generation %d %s (%.3f s left, p90 %.3f s)",
                    tokens.generation,
                    "refused" if dead else "expired" if left <= 0 else "about to expire",
                    left,
                    state.latency.p90,
                )
            wait = 0.0 if dead else tokens.renewable_in(now)
            if wait > 0:
                # A refresh now would return a token that expires with this one
                # (whole-second claims): wait for the server's next tick first.
                yield Sleep(min(wait, _MAX_FLOOR_WAIT))
            renewed = yield from self._renew(tokens, why, ticket)
            return renewed
        renewed = yield from self._ahead(tokens, now, why, ticket)
        return renewed

    def _ahead(
        self, tokens: TokenSet, now: float, why: str, ticket: int | None = None
    ) -> Step[TokenSet]:
        """Rule 2's renewal ahead: ``tokens`` are still fit but due, and nobody here is
        running one (``_usable`` said so, or ``claim_ahead`` gave it to us): lead it if
        the lock is free, else go on with the still-valid token."""
        state = self.state
        if (yield TRY_LOCK) is not True:
            state.try_after = now + _TRY_PAUSE
            return tokens
        # Leading: the other requests here stay on the fast path meanwhile (``_usable``).
        state.try_after = math.inf
        try:
            renewed = yield from self._renew_locked(tokens, why, ticket)
        except SessionExpired as failure:
            if failure.session_ended or tokens.expired(self.clock()):
                raise
            yield UNLOCK  # a failed renewal ahead of time: the token still works
            return tokens
        finally:
            state.try_after = self.clock() + _TRY_PAUSE
        return renewed

    def renew_ahead(self, tokens: TokenSet) -> Step[None]:
        """A renewal ahead of time run apart from any request, after the driver won
        ``RefreshState.claim_ahead``: lead it if the store's lock is free. A failure that
        leaves the token usable ends it quietly; one that ends the session is raised (the
        driver logs it) and recorded for the requests that come next, as when a request
        leads it."""
        now = self.clock()
        if self._renewable(tokens) and now < self._bounds(tokens)[1]:  # else: requests do
            yield from self._ahead(tokens, now, "token expiring, renewed in the background")

    def ahead_done(self) -> None:
        """After a background renewal ahead (or one that could not start): requests here
        may try again after the usual pause, not never."""
        state = self.state
        if state.try_after == math.inf:
            state.try_after = self.clock() + _TRY_PAUSE

    def _no_session(self) -> NotLoggedIn | SessionExpired:
        ended = self.state.ended()
        if ended is not None:
            return ended
        return NotLoggedIn(
            "not logged in: log in first (or pass a credentials provider); nothing was sent"
        )

    def _save(self, tokens: TokenSet | None) -> Step[TokenSet | None]:
        saved = yield from save(tokens)
        self.state.note(saved, saved=True)
        return saved

    def _save_session(self, tokens: TokenSet) -> Step[TokenSet]:
        saved = yield from self._save(tokens)
        if saved is None:
            raise StoreError("token store save() lost the tokens")
        return saved

    def _renew(
        self,
        seen: TokenSet | None,
        why: str,
        ticket: int | None = None,
        trigger: TokenRejected | None = None,
    ) -> Step[TokenSet]:
        if ticket is None:
            ticket = self.state.ticket()  # before queueing for the lock
        yield LOCK
        result = yield from self._renew_locked(seen, why, ticket, trigger)
        return result

    def _renew_locked(
        self,
        seen: TokenSet | None,
        why: str,
        ticket: int | None = None,
        trigger: TokenRejected | None = None,
    ) -> Step[TokenSet]:
        """With the lock held (released here): use a newer generation or lead the renewal."""
        state = self.state
        if ticket is None:
            ticket = state.ticket()
        seen_generation = None if seen is None else seen.generation
        current = yield from load()
        if state.unsaved is not None:
            current = yield from self._save_unsaved(current, *state.unsaved)
        if current is not None and current.generation != seen_generation:
            if not (current.expired(self.clock()) and self._renewable(current)):
                yield UNLOCK
                _log.debug("renewed by someone else meanwhile (generation %d)", current.generation)
                return current
            # Its save outlasted the token (a store that waited long for its replicas):
            # returned as it is, the resend would be refused and the request fail.
            _log.info(
                "generation %d expired before this request could use it; renewing it",
                current.generation,
            )
        failure = state.failure_since(ticket)
        if failure is not None:
            raise failure  # the flow releases the lock as the error leaves it
        if current is None and not self.has_credentials:
            raise self._no_session()
        result = yield from self._lead(current, why, trigger)
        yield UNLOCK
        return result

    def _lead(
        self, current: TokenSet | None, why: str, trigger: TokenRejected | None = None
    ) -> Step[TokenSet]:
        state = self.state
        try:
            if current is not None and current.refresh_token:
                _log.info("refreshing the session (%s, generation %d)", why, current.generation)
                try:
                    new = yield from self._refresh_call(current)
                except RefreshRejected as rejected:
                    if trigger is not None and rejected.__cause__ is None:
                        rejected.__cause__ = trigger  # the 401 that started it
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
                if not new.newer_than(current):
                    _log.info(
                        "the refresh returned a token that expires no later than the one it "
                        "replaces (the server floors expiry to whole seconds); "
                        "not refreshing again before %s",
                        "its expiry" if new.refresh_floor is None else "the next second",
                    )
            elif self.has_credentials:
                _log.info("logging in with the credentials provider (%s)", why)
                new = yield from self._relogin(trigger)
            else:
                raise SessionExpired(
                    "session expired: the upstream refused the access token and there is no "
                    "refresh token or credentials provider to renew it",
                    reason="no_refresh_token",
                    session_ended=True,
                    cause=trigger,
                )
            try:
                saved = yield from self._save_session(new)
            except StoreError:
                if current is not None:  # what replaced it must not be lost
                    state.unsaved = (current.generation, new)
                raise
            state.record_success()
            self.events.tokens_changed(saved)
            _log.info("session renewed: generation %d, %s", saved.generation, _lifetime(saved))
            return saved
        except SessionExpired as exc:
            _log.warning("session renewal failed: %s", exc)
            state.record_failure(exc)  # before clearing: who finds no session learns why
            if exc.session_ended:
                yield from self._save(None)
                self.events.tokens_changed(None)
                self.events.session_expired(exc)
            raise
        except TokenCallInterrupted:
            failure = interrupted_error()
            _log.warning("%s", failure)
            state.record_failure(failure)
            raise

    def _save_unsaved(
        self, current: TokenSet | None, replaced: int, tokens: TokenSet
    ) -> Step[TokenSet | None]:
        """With the lock held: save what a renewal here got while the store was failing
        (``tokens``, which replace generation ``replaced``), unless the store has moved
        on (a newer save, or no session: a logout wins)."""
        if current is None or current.generation > replaced:
            self.state.unsaved = None
            _log.info("dropping the tokens whose save failed: the store holds a newer session")
            return current
        saved = yield from self._save_session(tokens)  # fails again while the store does
        self.state.unsaved = None
        self.events.tokens_changed(saved)
        _log.info("saved the renewal whose save had failed: generation %d", saved.generation)
        return saved

    def dispatch_flow(self, request: httpx.Request) -> Step[None]:
        """Run by the dispatch transport when ``request`` gets its connection and the
        fast path declined: make the token usable (step 2) and sign with it."""
        mark = request.extensions.get(SENT_EXTENSION)
        if not isinstance(mark, Sent):
            return
        now = self.clock()
        loaded = yield from load()
        tokens = yield from self._ready(loaded, now, "token expiring at dispatch")
        request.headers["Authorization"] = tokens.authorization
        mark.tokens, mark.at, mark.dispatched = tokens, self.clock(), True

    def login_flow(self, credentials: Credentials) -> Step[TokenSet]:
        request = self._prepare(
            self.binding.login_request(self.base_url, credentials), login=True, renewal=False
        )
        sent = self.clock()
        response = yield from send(request, token_endpoint=True)
        received = self.clock()
        tokens = self._calibrate(
            self.binding.parse_login(response, now=received), response, sent, received
        )
        yield LOCK
        saved = yield from self._save_session(tokens)
        self.state.record_success()
        self.events.tokens_changed(saved)
        yield UNLOCK
        _log.info("logged in: generation %d, %s", saved.generation, _lifetime(saved))
        return saved

    def renew_flow(self) -> Step[TokenSet | None]:
        """Renew now (single-flight like any renewal); ``None`` when there is no session."""
        current = yield from load()
        if current is None and not self.has_credentials:
            return None
        return (yield from self._renew(current, "renewal requested"))

    def clear_flow(self) -> Step[None]:
        yield LOCK
        yield from self._save(None)
        self.state.record_success()  # logged out, not expired: NotLoggedIn next
        self.events.tokens_changed(None)
        yield UNLOCK
        _log.info("session cleared")


def _lifetime(tokens: TokenSet) -> str:
    lifetime = tokens.lifetime
    return "lifetime unknown" if lifetime is None else f"expires in {lifetime:.1f} s"
