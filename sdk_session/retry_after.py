"""Parsing of ``Retry-After`` header values (RFC 9110 section 10.2.3), never raising."""

from __future__ import annotations

import email.utils
import math
import re
import time
from collections.abc import Callable

__all__ = ["parse_retry_after"]

_SECONDS = re.compile(r"^[0-9]{1,12}(?:\.[0-9]{1,9})?$")


def parse_retry_after(
    value: str | bytes | None, *, now: Callable[[], float] = time.time
) -> float | None:
    """Seconds to wait from a ``Retry-After`` value, or ``None`` when it is unusable.

    Accepts delta-seconds (``"120"``, also ``"1.5"``) and an HTTP-date (a date in
    the past gives ``0.0``). Anything else (negative, NaN, garbage, an
    unparseable date) gives ``None``. Never raises.
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        try:
            value = value.decode("latin-1")
        except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes everything
            return None
    text = value.strip()
    if not text or len(text) > 64:
        return None
    if _SECONDS.match(text):
        seconds = float(text)
        return seconds if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(text)
        stamp = when.timestamp() if when.tzinfo is not None else _utc_stamp(text)
    except (TypeError, ValueError, IndexError, OverflowError, OSError, AttributeError):
        return None
    if stamp is None or not math.isfinite(stamp):
        return None
    return max(0.0, stamp - now())


def _utc_stamp(text: str) -> float | None:
    parsed = email.utils.parsedate_tz(text)
    if parsed is None:
        return None
    return float(email.utils.mktime_tz((*parsed[:9], parsed[9] or 0)))
