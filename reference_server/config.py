"""Runtime configuration of the reference server.

Kept as a frozen value so the startup configuration can be restored verbatim by
``POST /_control/reset`` after tests change it with ``POST /_control/config``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

DEFAULT_ACCESS_TTL = 900.0
"""Seconds an access token lives (15 minutes) unless configured otherwise."""

DEFAULT_REFRESH_TTL = 14 * 24 * 3600.0
"""Seconds an unused refresh token stays redeemable (14 days)."""


@dataclass(frozen=True)
class ServerConfig:
    """Token lifetimes and the RFC 9700 reuse-detection switch.

    ``access_ttl`` and ``refresh_ttl`` are seconds and may be fractional, so tests
    can make tokens expire in a fraction of a second. Changes apply to tokens
    issued afterwards; tokens already issued keep their lifetime.
    """

    access_ttl: float = DEFAULT_ACCESS_TTL
    refresh_ttl: float = DEFAULT_REFRESH_TTL
    reuse_detection: bool = True

    def __post_init__(self) -> None:
        for name in ("access_ttl", "refresh_ttl"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"{name} must be a number of seconds")
            if not math.isfinite(value) or value <= 0:
                raise ValueError(f"{name} must be a positive, finite number of seconds")
        if not isinstance(self.reuse_detection, bool):
            raise TypeError("reuse_detection must be a bool")

    def replace(
        self,
        *,
        access_ttl: float | None = None,
        refresh_ttl: float | None = None,
        reuse_detection: bool | None = None,
    ) -> ServerConfig:
        """A copy with the given fields changed; ``None`` keeps a field."""
        return ServerConfig(
            access_ttl=self.access_ttl if access_ttl is None else access_ttl,
            refresh_ttl=self.refresh_ttl if refresh_ttl is None else refresh_ttl,
            reuse_detection=self.reuse_detection if reuse_detection is None else reuse_detection,
        )

    def to_json(self) -> dict[str, object]:
        return {
            "access_ttl": self.access_ttl,
            "refresh_ttl": self.refresh_ttl,
            "reuse_detection": self.reuse_detection,
        }
