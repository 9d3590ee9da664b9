"""Shared helpers: counter deltas and short error descriptions."""

from __future__ import annotations

from dataclasses import dataclass

from reference_server import Counters


@dataclass(frozen=True)
class Delta:
    logins: int
    refreshes: int
    failed_refreshes: int
    reuse_detected: int
    unauthorized: int
    me: int


def delta(before: Counters, after: Counters) -> Delta:
    return Delta(
        logins=after.logins - before.logins,
        refreshes=after.refreshes - before.refreshes,
        failed_refreshes=after.failed_refreshes - before.failed_refreshes,
        reuse_detected=after.reuse_detected - before.reuse_detected,
        unauthorized=after.unauthorized - before.unauthorized,
        me=after.requests.get("me", 0) - before.requests.get("me", 0),
    )


def describe(error: BaseException) -> str:
    text = " ".join(str(error).split()).split(" For more information", 1)[0]
    if len(text) > 90:
        text = text[:87] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
