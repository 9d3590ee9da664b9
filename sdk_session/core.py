"""The session logic as a sans-IO state machine.

Each public method is a generator that yields *operations* (send this request,
load or save the store, take or release the refresh lock, ask for credentials)
and receives their results. It never touches a socket, a file or a lock itself:
``sdk_session.flow`` runs the same generators with blocking calls for
``httpx.Client`` and with awaits for ``httpx.AsyncClient``, and
``sdk_session.dispatch`` runs ``dispatch_flow`` in the transport, at the moment
a request gets its connection. So sync and async share every decision, and
token-endpoint requests are yielded to httpx like any other request, which
sends them without re-entering the auth flow (no recursion possible).

The rules, in order, for one request:

1. Requests to origins that do not carry credentials, and login/refresh calls,
   pass through untouched.
2. Make the token usable (``_ready``): no session raises ``NotLoggedIn`` (or the
   ``SessionExpired`` that ended it) without sending anything, unless a
   credentials provider can log in. A token that is dead (expired on our
   clock, or answered 401 while current) waits for the one shared renewal. A
   token inside its leeway but still valid is renewed ahead by exactly one
   caller (a non-blocking try of the lock), or by a thread or task the dispatch
   transport starts for it (``renew_ahead``); everybody else goes on with it.
3. Sign from those tokens. The dispatch transport repeats step 2 and re-signs
   when the request gets its connection (sign at dispatch).
4. A 401 whose challenge is ``invalid_token`` or carries no error code: if the
   token it carried has been replaced since, resend with the current one (no
   refresh); else mark it dead, renew (once, shared) and resend. At most
   ``MAX_RESENDS`` resends within ``lock_timeout`` seconds, at most one renewal
   caused by one request; a 401 for the current token after that renewal ends
   in ``TokenRejected``, never in a 401 handed to the application.

Renewal is single-flight per store: take the store's refresh lock, re-load, and
use the newer tokens if someone else renewed meanwhile (unless they expired
before this request got them: a save that waited long for replicas); else, if a
renewal failed while this request waited, raise that failure; else lead:
refresh (or log in again through the credentials provider when the refresh
token is rejected), save (the store stamps a new generation, so the rotated
refresh token replaces the old one before any waiter resends), release. Tokens
whose save failed stay in the process (``RefreshState.unsaved``) and are saved
by the next renewal, never replaced by a second use of the spent refresh token.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TypeVar

import httpx

from .binding import TokenBinding
from .calls import connection_error
from .credentials import Credentials
from .errors import (
    LoginFailed,
    NotLoggedIn,
    RefreshRejected,
    SessionExpired,
    StoreError,
    TokenCallTimeout,
    TokenEndpointUnavailable,
    TokenRejected,
    TokenResponseError,
)
from .events import SessionEvents
from .origins import OriginPolicy
from .retry import EXTENSION as RETRY_EXTENSION
from .retry import RESIGN_EXTENSION, TOKEN_RETRY, RetryPolicy
from .stores.base import TokenStore
from .tokens import TokenSet, calibrate

__all__ = [
    "DISPATCH_EXTENSION",
    "MAX_RESENDS",
    "RENEWAL_EXTENSION",
    "SENT_EXTENSION",
    "SESSION_EXTENSION",
    "AskCredentials",
    "FirstSend",
    "Load",
    "Lock",
    "Op",
    "Release",
    "Save",
    "Send",
    "Sent",
    "SessionCore",
    "Sleep",
    "Step",
    "TokenCallInterrupted",
    "TryLock",
    "Unlock",
    "interrupted_error",
    "should_renew_on",
]

_log = logging.getLogger("sdk_session.flow")

T = TypeVar("T")

MAX_RESENDS = 3
"""Resends of one request after 401s (with the current token, or after its one renewal)."""

_TRY_PAUSE = 0.05
"""Seconds between two tries of a busy lock for a renewal ahead of time (per process)."""

_MAX_FLOOR_WAIT = 1.5
"""Seconds a request waits at most for a refresh to become able to return a newer token."""

SENT_EXTENSION = "sdk_session.sent"
"""Request extension: the ``Sent`` record of the tokens a request carries and since when."""

DISPATCH_EXTENSION = "sdk_session.dispatch"
"""Request extension: the ``Dispatcher`` that re-signs the request when it gets a connection."""

RENEWAL_EXTENSION = "sdk_session.renewal"
"""Request extension marking a refresh/re-login call made by a renewal."""

SESSION_EXTENSION = "sdk_session.session"
"""Request extension: ``(dispatcher, url)``, the ``Dispatcher`` that runs the whole session
request at dispatch (sign, send, renew and resend after a 401) and the URL found to carry
credentials when it was set by ``SessionClient``'s own clients (a redirect keeps the
extensions but gets a new URL, which is checked again)."""


@dataclass(slots=True)
class Sent:
    """Which tokens a request carries, since when (local clock; a resend re-signs and
    moves it), when the request started, the renewal ticket taken before it was first
    sent, and whether the dispatch transport signed it (then it also measured the
    latency)."""

    tokens: TokenSet
    at: float
    started: float
    ticket: int
    dispatched: bool = False


_NOTHING_YET = TokenSet(access_token="-")
"""Tokens no store holds: the bounds cache before its first decision."""

FirstSend = tuple[Sent, httpx.Response]
"""A send made by a driver's fast path: its ``Sent`` mark and the 401 it got."""

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
class Sleep:
    """Wait ``seconds`` (bounded by the caller) without holding any lock."""

    seconds: float


@dataclass(frozen=True, slots=True)
class TryLock:
    """Take the store's refresh lock if it is free now; the result is ``True`` if taken."""


@dataclass(frozen=True, slots=True)
class Unlock:
    """Release the store's refresh lock."""


@dataclass(frozen=True, slots=True)
class AskCredentials:
    """Call the credentials provider; the result is ``Credentials | None``."""


Op = Send | Release | Load | Save | Lock | TryLock | Unlock | AskCredentials | Sleep
Step = Generator[Op, object, T]


class TokenCallInterrupted(Exception):
    """Thrown into the core when a token-endpoint call produced no response."""


_LOAD, _LOCK, _TRY, _UNLOCK, _ASK = Load(), Lock(), TryLock(), Unlock(), AskCredentials()


def interrupted_error(
    cause: BaseException | None = None, request: httpx.Request | None = None
) -> SessionExpired:
    """The error of a renewal whose token call (``request``) did not complete; a timeout
    (``cause``) makes it a ``TokenCallTimeout``, which is an ``ApiTimeoutError`` too."""
    if isinstance(cause, httpx.TimeoutException):
        if request is not None:
            try:
                cause.request  # noqa: B018 - raises RuntimeError when not set
            except RuntimeError:
                cause.request = request  # what httpx sets once the error leaves the transport
        typed = connection_error(cause, {"method": "POST", "url": ""})
        return TokenCallTimeout(
            f"session renewal interrupted: {typed}",
            method=typed.method,
            url=typed.url,
            attempts=typed.attempts,
            cause=cause,
        )
    return SessionExpired(
        "session renewal interrupted: the token endpoint call did not complete "
        "(network failure, timeout or cancellation)",
        reason="interrupted",
        session_ended=False,
    )


def _send(request: httpx.Request, *, token_endpoint: bool = False) -> Step[httpx.Response]:
    response = yield Send(request, token_endpoint)
    if not isinstance(response, httpx.Response):  # a driver bug, not user input
        raise TypeError(f"expected an httpx.Response, got {type(response).__name__}")
    return response


def _store_value(value: object, operation: str) -> TokenSet | None:
    if value is None or isinstance(value, TokenSet):
        return value
    raise StoreError(
        f"token store {operation}() returned {type(value).__name__}, expected TokenSet or None"
    )


def _load() -> Step[TokenSet | None]:
    return _store_value((yield _LOAD), "load")


def _save(tokens: TokenSet | None) -> Step[TokenSet | None]:
    saved = _store_value((yield Save(tokens)), "save")
    if (saved is None) != (tokens is None):
        raise StoreError("token store save() did not return what it saved")
    return saved


def _ask() -> Step[Credentials | None]:
    credentials = yield _ASK
    if credentials is not None and not isinstance(credentials, Credentials):
        raise TypeError("the credentials provider returned an unusable value")
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
        deadline: float = 30.0,
    ) -> None:
        self.binding = binding
        self.store = store
        self.state = store.refresh_state
        """The store's in-process ``RefreshState`` (one object for the store's life)."""
        self.policy = policy
        self.events = events
        self.has_credentials = has_credentials
        self.leeway = leeway
        self.max_leeway_fraction = max_leeway_fraction
        self.token_timeout = token_timeout
        self.clock = clock
        self.token_retry = token_retry
        self.deadline = deadline
        self.dispatcher: object | None = None  # set by SessionAuth (see sdk_session.dispatch)
        self._resign_hook = self._resign  # one bound method, not one per request
        self._bounds_cache: tuple[TokenSet, tuple[float, float], tuple[int, float], float, float]
        self._bounds_cache = (_NOTHING_YET, (-1.0, -1.0), (-1, -1.0), -math.inf, -math.inf)
        """The last ``_bounds`` decision: (tokens, quantiles, judged, until, fit)."""

    @property
    def base_url(self) -> httpx.URL:
        return self.policy.base_url

    def passes_through(self, request: httpx.Request) -> bool:
        """Requests that are none of the session's business (other origins, token calls)."""
        return not self.policy.carries_credentials(request.url) or self.binding.is_token_endpoint(
            self.base_url, request
        )

    # -- one request --------------------------------------------------------------

    def request_flow(
        self,
        request: httpx.Request,
        carries: bool | None = None,
        first: FirstSend | None = None,
    ) -> Step[None]:
        """One request (rules 1-4). ``carries``: the caller's verdict of
        ``policy.carries_credentials(request.url)``, if it already has one. ``first``:
        the driver's fast path already signed and sent the request (``sign_fast``) and
        got a 401 to handle; the flow goes on from there."""
        state = self.state
        response: httpx.Response | None = None
        if first is None:
            if carries is None:
                carries = self.policy.carries_credentials(request.url)
            if not carries or self.binding.is_token_endpoint(self.base_url, request):
                yield from _send(request)
                return
            # An origin that carries credentials passed the insecure-transport check at
            # construction (OriginPolicy.check would be a no-op here).
            started = self.clock()
            tokens = yield from _load()
            tokens = yield from self._ready(tokens, started, "token expiring")
            ticket = state.ticket()  # renewals that end from now on concern us
        else:
            mark, response = first
            tokens, started, ticket = mark.tokens, mark.started, mark.ticket
        renewed = False
        resends = 0
        while True:
            if response is None:
                state.note(tokens)
                mark = self._sign(request, Sent(tokens, self.clock(), started, ticket))
                response = yield from _send(request)
            received = self.clock()
            if not mark.dispatched:  # no dispatch transport: learn from what we saw
                self.observe(response, mark.at, received)
            if not (should_renew_on(response) and self.policy.carries_credentials(response.url)):
                return
            sent = mark.tokens
            yield Release(response)
            rejection = self._rejection(request, response, sent, mark.at, received)
            response = None
            if resends >= MAX_RESENDS or received - started > self.deadline:
                raise self._give_up(rejection, resends)
            current = yield from _load()
            if current is not None and current.generation != sent.generation:
                _log.debug("%s: 401 for a replaced token; resending", _where(request))
                tokens = yield from self._ready(current, received, "401; replacement", ticket)
            elif current is None:
                tokens = yield from self._ready(None, received, "401; session gone", ticket)
            else:
                if renewed:
                    raise self._give_up(rejection, resends)
                state.mark_dead(current.generation)
                tokens = yield from self._renew(current, "401 invalid_token", ticket, rejection)
                renewed = True
            resends += 1

    def sign_fast(
        self, request: httpx.Request, tokens: object, dispatched: bool = False
    ) -> Sent | None:
        """The drivers' fast path for a request that carries credentials and is no token
        call: when the loaded ``tokens`` need nothing (rule 2 has nothing to do), sign
        with them and return the mark ``request_flow`` goes on from after a 401; else
        ``None`` (run the whole flow). The steady state (the tokens of the last decision,
        nothing it depended on replaced since, still before its bound) is decided with
        identity tests and one comparison: this runs on every request."""
        now = self.clock()
        state = self.state
        cached = self._bounds_cache
        if (
            cached[0] is tokens
            and tokens is state.latest
            and cached[1] is state.latency.quantiles
            and cached[2] is state.judged
            and now < cached[3]
        ):
            signed = cached[0]
        elif isinstance(tokens, TokenSet) and self._usable(tokens, now):
            signed = tokens
            state.note(tokens)
        else:
            return None
        return self._sign(request, Sent(signed, now, now, state.ticket(), dispatched))

    def settled(self, response: httpx.Response, mark: Sent) -> bool:
        """After the fast path's send: ``True`` when ``response`` is the answer (no 401
        to act on); ``False`` when ``request_flow`` must go on with ``first``."""
        if should_renew_on(response) and self.policy.carries_credentials(response.url):
            return False
        if not mark.dispatched:
            self.observe(response, mark.at, self.clock())
        return True

    def answered(self, request: httpx.Request, response: httpx.Response, mark: Sent) -> bool:
        """After a send at dispatch (``Dispatcher``): feed the latency window; ``True``
        when ``response`` is the answer, ``False`` when ``request_flow`` must go on."""
        self.observe(response, mark.at, self.clock())
        if response.status_code != 401:
            return True
        response.request = request
        return self.settled(response, mark)

    def sign_at_dispatch(self, request: httpx.Request) -> bool:
        """The dispatch transport's fast path: sign with the newest tokens known in this
        process if they need nothing; ``False`` when ``dispatch_flow`` must run."""
        mark = request.extensions.get(SENT_EXTENSION)
        if not isinstance(mark, Sent):
            return True
        tokens = self.state.latest
        if tokens is None or tokens.generation < mark.tokens.generation:
            tokens = mark.tokens
        now = self.clock()
        if not self._usable(tokens, now):
            return False
        if tokens is not mark.tokens:
            request.headers["Authorization"] = tokens.authorization
            mark.tokens = tokens
        mark.at, mark.dispatched = now, True
        return True

    def _usable(self, tokens: TokenSet, now: float) -> bool:
        """Whether a request can leave with ``tokens`` at ``now`` without running rule 2:
        they need nothing, or they are due for a renewal ahead that somebody here is
        already running (``try_after``) and are still fit to send."""
        until, fit = self._bounds(tokens)
        return now < until or (now < fit and now < self.state.try_after)

    def _bounds(self, tokens: TokenSet) -> tuple[float, float]:
        """The local times until which ``tokens`` need nothing (not dead, not expired, not
        due for a renewal ahead, not doomed by the recent p90 latency), and until which
        they are fit to send (the same without the renewal ahead); ``-inf`` when something
        is needed now. Cached for the last tokens, latency quantiles and (dead mark,
        renewal time) seen, each an object replaced when it changes: on a valid token the
        per-request check is three identity tests."""
        state = self.state
        quantiles = state.latency.quantiles
        judged = state.judged
        cached = self._bounds_cache
        if cached[0] is tokens and cached[1] is quantiles and cached[2] is judged:
            return cached[3], cached[4]
        p99, p90 = quantiles
        dead, renewal = judged
        if tokens.generation <= dead:
            until = fit = -math.inf
        else:
            fit = math.inf
            expires_at = tokens.expires_at
            if expires_at is not None and tokens.obtained_at < expires_at:
                lead = tokens.lead(self.leeway, self.max_leeway_fraction, p99, renewal)
                fit = min(expires_at, tokens.doomed_at(p90, lead))
            due = tokens.refresh_at(self.leeway, self.max_leeway_fraction, p99, renewal)
            until = fit if due is None else min(fit, due)
        bounds = (until, fit)
        self._bounds_cache = (tokens, quantiles, judged, *bounds)
        return bounds

    def dispatch_flow(self, request: httpx.Request) -> Step[None]:
        """Run by the dispatch transport when ``request`` gets its connection and the
        fast path declined: make the token usable (step 2) and sign with it."""
        mark = request.extensions.get(SENT_EXTENSION)
        if not isinstance(mark, Sent):
            return
        now = self.clock()
        loaded = yield from _load()
        tokens = yield from self._ready(loaded, now, "token expiring at dispatch")
        request.headers["Authorization"] = tokens.authorization
        mark.tokens, mark.at, mark.dispatched = tokens, self.clock(), True

    def observe(self, response: httpx.Response, sent: float, received: float) -> None:
        """Learn the request latency and (sampled) the server's clock from one answer."""
        state = self.state
        state.latency.add(received - sent)
        clock = state.server_clock
        if received >= clock.next_date:
            clock.observe_answer(response, sent, received)

    def _ready(
        self, tokens: TokenSet | None, now: float, why: str, ticket: int | None = None
    ) -> Step[TokenSet]:
        """Tokens fit to sign with now (see rule 2 of the module docstring)."""
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

    def due_ahead(self, tokens: TokenSet, now: float) -> bool:
        """Whether ``tokens`` are still fit to send but due for a renewal ahead of time
        that nobody here runs yet: what a driver may hand to a background runner
        (``renew_ahead``) instead of making the request that noticed it wait for it."""
        return (
            not self._usable(tokens, now)
            and self._renewable(tokens)
            and now < self._bounds(tokens)[1]
        )

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

    def _ahead(
        self, tokens: TokenSet, now: float, why: str, ticket: int | None = None
    ) -> Step[TokenSet]:
        """Rule 2's renewal ahead: ``tokens`` are still fit but due, and nobody here is
        running one (``_usable`` said so, or ``claim_ahead`` gave it to us): lead it if
        the lock is free, else go on with the still-valid token."""
        state = self.state
        if (yield _TRY) is not True:
            state.try_after = now + _TRY_PAUSE
            return tokens
        # Leading: the other requests here stay on the fast path meanwhile (``_usable``).
        state.try_after = math.inf
        try:
            renewed = yield from self._renew_locked(tokens, why, ticket)
        except SessionExpired as failure:
            if failure.session_ended or tokens.expired(self.clock()):
                raise
            yield _UNLOCK  # a failed renewal ahead of time: the token still works
            return tokens
        finally:
            state.try_after = self.clock() + _TRY_PAUSE
        return renewed

    def _no_session(self) -> NotLoggedIn | SessionExpired:
        ended = self.state.ended()
        if ended is not None:
            return ended
        return NotLoggedIn(
            "not logged in: log in first (or pass a credentials provider); nothing was sent"
        )

    def _rejection(
        self,
        request: httpx.Request,
        response: httpx.Response,
        sent: TokenSet,
        at: float,
        received: float,
    ) -> TokenRejected:
        waited = received - at
        lifetime = None if sent.expires_at is None else max(sent.expires_at - at, 0.0)
        if lifetime is not None and waited >= lifetime:
            detail = (
                f"the request waited {waited:.2f} s, longer than its token had left "
                f"({lifetime:.2f} s)"
            )
        else:
            detail = f"the request waited {waited:.2f} s"
        error_body = getattr(self.binding, "error_body", None)
        body, code, text = error_body(response) if callable(error_body) else (None, None, None)
        return TokenRejected(
            f"{_where(request)}: the upstream answered 401 to the session's token; {detail}",
            response=response,
            error=body,
            error_code=code,
            error_message=text,
            waited=waited,
            lifetime=lifetime,
        )

    def _give_up(self, rejection: TokenRejected, resends: int) -> TokenRejected:
        p99 = self.state.latency.p99
        lifetime = "unknown" if rejection.lifetime is None else f"{rejection.lifetime:.2f} s"
        _log.warning(
            "%s %s: giving up after %d resend(s): 401 for the current token; waited %.2f s "
            "(recent p99 latency %.2f s), token lifetime left at dispatch %s",
            rejection.method,
            rejection.path,
            resends,
            rejection.waited or 0.0,
            p99,
            lifetime,
        )
        return rejection

    def _sign(self, request: httpx.Request, mark: Sent) -> Sent:
        """Put ``mark``'s token on ``request`` and the mark where resends find it."""
        request.headers["Authorization"] = mark.tokens.authorization
        extensions = request.extensions  # each httpx.Request owns its dict
        extensions[RESIGN_EXTENSION] = self._resign_hook
        extensions[SENT_EXTENSION] = mark
        if not mark.dispatched:  # what the dispatch transport re-signs a flow-signed request with
            extensions[DISPATCH_EXTENSION] = self.dispatcher
        return mark

    def _resign(self, request: httpx.Request) -> None:
        """Called by the retry transport before a resend: sign with the newest tokens."""
        latest = self.state.latest
        if latest is not None:
            request.headers["Authorization"] = latest.authorization
            mark = request.extensions.get(SENT_EXTENSION)
            if isinstance(mark, Sent):
                mark.tokens, mark.at = latest, self.clock()

    def _save(self, tokens: TokenSet | None) -> Step[TokenSet | None]:
        saved = yield from _save(tokens)
        self.state.note(saved, saved=True)
        return saved

    def _save_session(self, tokens: TokenSet) -> Step[TokenSet]:
        saved = yield from self._save(tokens)
        if saved is None:
            raise StoreError("token store save() lost the tokens")
        return saved

    def _renewable(self, tokens: TokenSet | None) -> bool:
        return self.has_credentials or (tokens is not None and tokens.refresh_token is not None)

    # -- single-flight renewal ----------------------------------------------------

    def _renew(
        self,
        seen: TokenSet | None,
        why: str,
        ticket: int | None = None,
        trigger: TokenRejected | None = None,
    ) -> Step[TokenSet]:
        if ticket is None:
            ticket = self.state.ticket()  # before queueing for the lock
        yield _LOCK
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
        current = yield from _load()
        if state.unsaved is not None:
            current = yield from self._save_unsaved(current, *state.unsaved)
        if current is not None and current.generation != seen_generation:
            if not (current.expired(self.clock()) and self._renewable(current)):
                yield _UNLOCK
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
        yield _UNLOCK
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
        response = yield from _send(request, token_endpoint=True)
        received = self.clock()
        self.state.renewal = max(received - sent, 0.0)  # leeway: see refresh_at
        try:
            tokens = self.binding.parse_refresh(response, current, now=received)
            return self._calibrate(tokens, response, sent, received)
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
        sent = self.clock()
        response = yield from _send(request, token_endpoint=True)
        received = self.clock()
        try:
            tokens = self.binding.parse_login(response, now=received)
            return self._calibrate(tokens, response, sent, received)
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

    # -- explicit login and logout ------------------------------------------------

    def _calibrate(
        self, tokens: TokenSet, response: httpx.Response, sent: float, received: float
    ) -> TokenSet:
        """Learn the server's clock from the answer, then let it decide the expiry."""
        clock = self.state.server_clock
        clock.observe_date(response.headers.get("date"), sent, received)
        return calibrate(tokens, clock, sent, received)

    def login_flow(self, credentials: Credentials) -> Step[TokenSet]:
        request = self._prepare(
            self.binding.login_request(self.base_url, credentials), login=True, renewal=False
        )
        sent = self.clock()
        response = yield from _send(request, token_endpoint=True)
        received = self.clock()
        tokens = self._calibrate(
            self.binding.parse_login(response, now=received), response, sent, received
        )
        yield _LOCK
        saved = yield from self._save_session(tokens)
        self.state.record_success()
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
        self.state.record_success()  # logged out, not expired: NotLoggedIn next
        self.events.tokens_changed(None)
        yield _UNLOCK
        _log.info("session cleared")


def _lifetime(tokens: TokenSet) -> str:
    lifetime = tokens.lifetime
    return "lifetime unknown" if lifetime is None else f"expires in {lifetime:.1f} s"
