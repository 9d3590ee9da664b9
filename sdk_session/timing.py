"""What this process has learned about the upstream's clock and about request latency.

``ServerClock`` bounds the offset between the upstream's clock and ours from
observations that each say "the server's clock read X at some moment between
our local times ``sent`` and ``received``" (a ``Date`` header, a token's
``iat``). Whole-second values are floored by the server, so they widen the
upper bound by one second. Bounds from several observations are intersected,
so the estimate narrows as traffic flows; if they stop overlapping (a clock
jumped), the newest observation starts over. Expiry is always computed with the
*upper* bound of the offset: the earliest the token can die on our clock.

``LatencyWindow`` keeps the last few request latencies (dispatch to answer) so
the session can refresh early by at least the p99 of what it recently saw, and
hold a request back only when its token has less life left than the p90 (what a
request *likely* takes: a few requests stuck in the client's own connection pool
must not make every request wait for a renewal).

Both live on the store's ``RefreshState``: everything sharing a store in this
process shares what was learned. Clock updates are a few float operations under
a lock (API answers are sampled, see ``ServerClock.observe_answer``); latency samples and
all reads are lock-free.
"""

from __future__ import annotations

import threading
from collections import deque
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

__all__ = ["LatencyWindow", "ServerClock"]

_WINDOW = 64
_RECOMPUTE_EVERY = 8
_DATE_EVERY = 0.05


def _whole(value: float) -> bool:
    return float(value).is_integer()


class ServerClock:
    """A bounded estimate of ``server_time - local_time`` (seconds)."""

    def __init__(self) -> None:
        self.low: float | None = None
        self.high: float | None = None
        self._guard = threading.Lock()
        self._last_date: tuple[str, float] | None = None
        self.next_date = 0.0
        """Local time before which API answers are not read for their ``Date`` header."""

    def observe(self, server_time: float, sent: float, received: float, *, floored: bool) -> None:
        """The server's clock read ``server_time`` between local ``sent`` and ``received``."""
        if received < sent:
            sent, received = received, sent
        low = server_time - received
        high = server_time + (1.0 if floored else 0.0) - sent
        with self._guard:
            if self.low is None or self.high is None:
                self.low, self.high = low, high
                return
            new_low, new_high = max(self.low, low), min(self.high, high)
            if new_low > new_high:  # inconsistent: a clock jumped; start over from this one
                new_low, new_high = low, high
            self.low, self.high = new_low, new_high

    def observe_date(self, header: str | None, sent: float, received: float) -> None:
        """Learn from an HTTP ``Date`` header (whole seconds). Answers narrow the bounds
        (the last one sent before a tick gives the best upper bound); the header is
        parsed only when it changes."""
        if header is None:
            return
        cached = self._last_date
        if cached is not None and cached[0] == header:
            server_time = cached[1]
        else:
            try:
                server_time = parsedate_to_datetime(header).timestamp()
            except (TypeError, ValueError, IndexError, OverflowError):
                return
            self._last_date = (header, server_time)
        self.observe(server_time, sent, received, floored=True)

    def observe_answer(self, response: httpx.Response, sent: float, received: float) -> None:
        """Learn from an API answer's ``Date`` header, at most once every ``_DATE_EVERY``
        seconds (callers may skip the call while ``received < next_date``): reading a
        header on every call costs more than the few milliseconds of precision it could
        add; any answer narrows the bounds by at most the time since the previous one."""
        if received < self.next_date:
            return
        self.next_date = received + _DATE_EVERY
        self.observe_date(response.headers.get("date"), sent, received)

    def observe_claim(self, value: float, sent: float, received: float) -> None:
        """Learn from a token's ``iat``, issued between local ``sent`` and ``received``."""
        self.observe(value, sent, received, floored=_whole(value))

    def local(self, server_time: float) -> float | None:
        """The earliest local time at which the server's clock may read ``server_time``."""
        high = self.high
        return None if high is None else server_time - high

    def local_latest(self, server_time: float) -> float | None:
        """The latest local time at which the server's clock may read ``server_time``."""
        low = self.low
        return None if low is None else server_time - low


class LatencyWindow:
    """The last ``size`` request latencies and their p99 and p90 (recomputed every few
    samples)."""

    def __init__(self, size: int = _WINDOW) -> None:
        self._samples: deque[float] = deque(maxlen=size)
        self._left = _RECOMPUTE_EVERY
        self._ceiling = 0.0
        self.quantiles: tuple[float, float] = (0.0, 0.0)
        """``(p99, p90)``, one value replaced when they change: a decision cached
        against it holds while it is the same object."""

    @property
    def p99(self) -> float:
        return self.quantiles[0]

    @property
    def p90(self) -> float:
        return self.quantiles[1]

    def add(self, seconds: float) -> None:
        """Record one latency; p99 and p90 are recomputed after a sample above p99 and
        every ``_RECOMPUTE_EVERY`` samples. Lock-free: ``deque.append`` and
        ``sorted(deque)`` are each one C call under the GIL, a lost count only shifts
        when they are recomputed, and ``quantiles`` is replaced whole."""
        left = self._left - 1
        if 0.0 <= seconds <= self._ceiling and left:  # every call: nothing else to do
            self._left = left
            self._samples.append(seconds)
        elif seconds >= 0.0:  # (a clock that stepped back measured nothing)
            self._left = _RECOMPUTE_EVERY
            samples = self._samples
            samples.append(seconds)
            ordered = sorted(samples)
            last = len(ordered) - 1
            quantiles = (
                ordered[min(last, int(0.99 * len(ordered)))],
                ordered[min(last, int(0.9 * len(ordered)))],
            )
            if quantiles != self.quantiles:
                self.quantiles, self._ceiling = quantiles, quantiles[0]
