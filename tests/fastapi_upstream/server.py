"""Run the login-only FastAPI app (app.py) under uvicorn on a free 127.0.0.1 port.

Pytest fixtures (defined here, registered for every test by tests/conftest.py):

- ``fastapi_server`` (session scope): one server for the session, 2-second tokens, invalid
  tokens answered 401; yields a :class:`FastApiUpstream`.
- ``fastapi_upstream`` (per test): that server after :meth:`FastApiUpstream.reset`.

For other settings, a server of your own (the context manager the fixtures use)::

    with serve_fastapi(access_seconds=2, invalid_token_status=403) as upstream:
        upstream.url             # "http://127.0.0.1:PORT" (API under /api/v1)
        upstream.api_url         # upstream.url + "/api/v1"
        upstream.token_url       # upstream.url + "/api/v1/login/access-token" (the form login)
        upstream.username, upstream.password   # "admin@example.com", its password
        upstream.counters()      # -> FastApiCounters (see below)
        upstream.reset()         # counters zeroed, created items dropped, startup signing key
        upstream.reset_counters()
        upstream.rotate_key()    # new signing key: every token issued so far is refused

:class:`FastApiCounters` fields: ``logins_ok`` / ``logins_failed`` (requests to the login
answered 200 / otherwise), ``logins`` (status -> count), ``api`` (status -> count of the other
``/api/v1`` requests), ``requests`` (``"<METHOD> <path> <status>"`` -> count). uvicorn runs one
process, so the counts are the app's own, in memory.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from upstream_process import free_port, upstream_process

from .config import API_V1_STR, LOGIN_PATH, USER_EMAIL, USER_PASSWORD

__all__ = [
    "FastApiCounters",
    "FastApiUpstream",
    "fastapi_server",
    "fastapi_upstream",
    "serve_fastapi",
]

HERE = Path(__file__).resolve().parent
STARTUP = 30.0


@dataclass(frozen=True)
class FastApiCounters:
    logins: dict[int, int] = field(default_factory=dict)
    api: dict[int, int] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)

    @property
    def logins_ok(self) -> int:
        return self.logins.get(200, 0)

    @property
    def logins_failed(self) -> int:
        return sum(n for status, n in self.logins.items() if status != 200)

    @classmethod
    def parse(cls, body: dict[str, Any]) -> FastApiCounters:
        counters = cls()
        for key, value in body["counts"].items():
            kind, _, rest = key.partition("|")
            if kind == "login":
                counters.logins[int(rest)] = value
            elif kind == "api":
                counters.api[int(rest)] = value
            elif kind == "path":
                request, _, status = rest.rpartition("|")
                counters.requests[f"{request} {status}"] = value
        return counters


@dataclass(frozen=True)
class FastApiUpstream:
    url: str
    access_seconds: int
    invalid_token_status: int = 401
    username: str = USER_EMAIL
    password: str = USER_PASSWORD

    @property
    def api_url(self) -> str:
        return f"{self.url}{API_V1_STR}"

    @property
    def token_url(self) -> str:
        return f"{self.url}{LOGIN_PATH}"

    def counters(self) -> FastApiCounters:
        """Everything counted since the last reset."""
        response = httpx.get(f"{self.url}/_counters", timeout=10)
        response.raise_for_status()
        return FastApiCounters.parse(response.json())

    def _control(self, path: str) -> None:
        httpx.post(f"{self.url}{path}", timeout=10).raise_for_status()

    def reset_counters(self) -> None:
        self._control("/_counters/reset")

    def reset(self) -> None:
        """Zero the counters, drop the items tests created, go back to the startup key."""
        self._control("/_control/reset")

    def rotate_key(self) -> None:
        """Sign with a new key from now on: every token issued so far is refused."""
        self._control("/_control/rotate-key")


@contextlib.contextmanager
def serve_fastapi(
    access_seconds: int = 60, *, invalid_token_status: int = 401
) -> Iterator[FastApiUpstream]:
    """Serve the app with ``access_seconds`` tokens; yield it once it answers."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "fastapi_upstream.app:app",
        "--app-dir",
        str(HERE.parent),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    env = dict(os.environ)
    env.update(
        FASTAPI_UPSTREAM_ACCESS_TOKEN_EXPIRE_SECONDS=str(access_seconds),
        FASTAPI_UPSTREAM_INVALID_TOKEN_STATUS=str(invalid_token_status),
    )
    upstream = FastApiUpstream(f"http://127.0.0.1:{port}", access_seconds, invalid_token_status)
    with upstream_process(
        "FastAPI", command, cwd=HERE.parent, env=env, ready=upstream.reset, startup=STARTUP
    ):
        yield upstream


@pytest.fixture(scope="session")
def fastapi_server() -> Iterator[FastApiUpstream]:
    """One FastAPI server for the session: 2-second tokens, invalid tokens answered 401."""
    with serve_fastapi(access_seconds=2) as upstream:
        yield upstream


@pytest.fixture
def fastapi_upstream(fastapi_server: FastApiUpstream) -> FastApiUpstream:
    """The session's server, reset: zeroed counters, seeded items, startup signing key."""
    fastapi_server.reset()
    return fastapi_server
