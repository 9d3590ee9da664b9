"""What the server has done, for tests to assert on (``GET /_control/counters``).

Counts are plain integers bumped from the event loop without an ``await`` in
between, so they stay exact under any number of concurrent requests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

OPERATION_IDS: tuple[str, ...] = (
    "login",
    "refresh",
    "logout",
    "me",
    "list",
    "create",
    "get",
    "update",
    "delete",
)
"""Every operationId of spec/openapi.yaml."""

TOKEN_OPERATIONS = frozenset({"login", "refresh"})


@dataclass(frozen=True)
class Counters:
    """A snapshot of the server's counters.

    ``logins``/``failed_logins``: logins answered 200 / 401 ``invalid_credentials``.
    ``refreshes``/``failed_refreshes``: refreshes answered 200 / 400 ``invalid_grant``.
    ``reuse_detected``: spent refresh tokens that revoked their session.
    ``unauthorized``: every 401 response served (any operation, injected faults too).
    ``logouts``: successful logouts.
    ``requests``: operationId -> requests received, including ones a fault answered
    or dropped; every operationId is present.
    Requests rejected by validation (400/422) only show up in ``requests``.
    """

    logins: int = 0
    failed_logins: int = 0
    refreshes: int = 0
    failed_refreshes: int = 0
    reuse_detected: int = 0
    unauthorized: int = 0
    logouts: int = 0
    requests: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Counters:
        requests = data["requests"]
        return cls(
            logins=int(data["logins"]),
            failed_logins=int(data["failed_logins"]),
            refreshes=int(data["refreshes"]),
            failed_refreshes=int(data["failed_refreshes"]),
            reuse_detected=int(data["reuse_detected"]),
            unauthorized=int(data["unauthorized"]),
            logouts=int(data["logouts"]),
            requests={str(k): int(v) for k, v in requests.items()},
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "logins": self.logins,
            "failed_logins": self.failed_logins,
            "refreshes": self.refreshes,
            "failed_refreshes": self.failed_refreshes,
            "reuse_detected": self.reuse_detected,
            "unauthorized": self.unauthorized,
            "logouts": self.logouts,
            "requests": dict(self.requests),
        }


class CounterSet:
    """The live, mutable counters behind ``Counters``."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.logins = 0
        self.failed_logins = 0
        self.refreshes = 0
        self.failed_refreshes = 0
        self.reuse_detected = 0
        self.unauthorized = 0
        self.logouts = 0
        self.requests = dict.fromkeys(OPERATION_IDS, 0)

    def snapshot(self) -> Counters:
        return Counters(
            logins=self.logins,
            failed_logins=self.failed_logins,
            refreshes=self.refreshes,
            failed_refreshes=self.failed_refreshes,
            reuse_detected=self.reuse_detected,
            unauthorized=self.unauthorized,
            logouts=self.logouts,
            requests=dict(self.requests),
        )
