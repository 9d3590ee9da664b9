"""``Control``: a small synchronous client for the ``/_control/`` endpoints."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

import httpx

from .config import ServerConfig
from .counters import Counters
from .faults import BodyKind


class ControlError(RuntimeError):
    """A control request was rejected (bad arguments) or the server misbehaved."""


class Control:
    """Drive a running reference server from tests: counters, reset, config, faults.

    >>> with Control("http://127.0.0.1:43567") as control:  # doctest: +SKIP
    ...     control.fault("token", status=503, retry_after="1")
    """

    def __init__(self, base_url: str, *, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url + "/_control", timeout=timeout)

    def _call(self, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
        response = self._http.request(method, path, json=payload)
        if response.status_code >= 400:
            raise ControlError(f"{method} /_control{path}: {response.status_code} {response.text}")
        return response.json() if response.content else None

    def counters(self) -> Counters:
        return Counters.from_json(self._call("GET", "/counters"))

    def reset(self) -> None:
        """Startup config, seed data, no sessions, zeroed counters, no faults."""
        self._call("POST", "/reset")

    def config(self) -> ServerConfig:
        data = self._call("GET", "/config")
        return ServerConfig(**data)

    def configure(
        self,
        *,
        access_ttl: float | None = None,
        refresh_ttl: float | None = None,
        reuse_detection: bool | None = None,
    ) -> ServerConfig:
        """Change the given settings (for tokens issued from now on); returns the result."""
        payload: dict[str, Any] = {}
        if access_ttl is not None:
            payload["access_ttl"] = access_ttl
        if refresh_ttl is not None:
            payload["refresh_ttl"] = refresh_ttl
        if reuse_detection is not None:
            payload["reuse_detection"] = reuse_detection
        return ServerConfig(**self._call("POST", "/config", payload))

    def forget_sessions(self) -> None:
        """Like a server restart: every access and refresh token becomes invalid."""
        self._call("POST", "/forget-sessions")

    def fault(
        self,
        target: str,
        *,
        status: int | None = None,
        count: int | None = 1,
        latency: float | None = None,
        retry_after: str | None = None,
        body: BodyKind | None = None,
        drop: bool = False,
    ) -> None:
        """Add a fault for ``"token"``, ``"api"`` or one operationId.

        ``count=None`` keeps it active until ``clear_faults()``. See
        ``reference_server.faults`` for what each setting does.
        """
        payload: dict[str, Any] = {
            "target": target,
            "status": status,
            "count": count,
            "latency": latency,
            "retry_after": retry_after,
            "body": body,
            "drop": drop,
        }
        self._call("POST", "/faults", payload)

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
