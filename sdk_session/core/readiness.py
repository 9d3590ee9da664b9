"""Token arithmetic: whether the tokens at hand can be sent now, and signing with them.

This is the per-request fast path of every driver (``sign_fast``,
``sign_at_dispatch``): on a valid token it decides with identity tests and one
comparison, against a cache of the last decision (``_bounds``). Anything it
cannot decide goes to the renewal state machine (``renewal``).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import httpx

from ..binding import TokenBinding
from ..events import SessionEvents
from ..origins import OriginPolicy
from ..retry import RESIGN_EXTENSION, TOKEN_RETRY, RetryPolicy
from ..stores.base import TokenStore
from ..tokens import TokenSet
from .marks import DISPATCH_EXTENSION, SENT_EXTENSION, Sent

__all__ = ["Readiness"]

_NOTHING_YET = TokenSet(access_token="-")
"""Tokens no store holds: the bounds cache before its first decision."""


class Readiness:
    """The session's settings and the checks that need no I/O (see the module docstring)."""

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

    def due_ahead(self, tokens: TokenSet, now: float) -> bool:
        """Whether ``tokens`` are still fit to send but due for a renewal ahead of time
        that nobody here runs yet: what a driver may hand to a background runner
        (``renew_ahead``) instead of making the request that noticed it wait for it."""
        return (
            not self._usable(tokens, now)
            and self._renewable(tokens)
            and now < self._bounds(tokens)[1]
        )

    def observe(self, response: httpx.Response, sent: float, received: float) -> None:
        """Learn the request latency and (sampled) the server's clock from one answer."""
        state = self.state
        state.latency.add(received - sent)
        clock = state.server_clock
        if received >= clock.next_date:
            clock.observe_answer(response, sent, received)

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

    def _renewable(self, tokens: TokenSet | None) -> bool:
        return self.has_credentials or (tokens is not None and tokens.refresh_token is not None)
