"""Run the django-oauth-toolkit project under gunicorn (gthread) on a free 127.0.0.1 port.

Pytest fixtures (defined here, registered for every test by tests/conftest.py):

- ``oauth2_server`` (session scope): one server for the whole session, 2-second access tokens,
  rotation, no grace period, reuse protection; yields an :class:`OAuth2Upstream`.
- ``oauth2_upstream`` (per test): that server after :meth:`OAuth2Upstream.reset`: zeroed
  counters, no tokens, only the seeded items.

For other settings, a server of your own (the context manager the fixtures use)::

    with serve_oauth2(access_seconds=2, reuse_protection=False, grace_seconds=5) as upstream:
        upstream.url                # "http://127.0.0.1:PORT" (API under /api/)
        upstream.token_url          # upstream.url + "/o/token/"
        upstream.revoke_url         # upstream.url + "/o/revoke_token/"
        upstream.username, upstream.password            # the user, "alice"
        upstream.password_client    # OAuth2Client(client_id, client_secret): password grant
        upstream.service_client     # OAuth2Client(...): client_credentials grant
        upstream.scopes             # ("read", "write")
        upstream.counters()         # -> OAuth2Counters (see below)
        upstream.reset()            # counters zeroed, every token deleted, seeded items only
        upstream.reset_counters()   # counters only
        upstream.revoke_all()       # revoke every refresh token, delete every access token
        upstream.expire_access_tokens()  # every access token expired now (no waiting)

Clients authenticate to the token endpoint with HTTP Basic or client_id/client_secret in the
form (DOT takes both); secrets are stored hashed. :class:`OAuth2Counters` fields:
``token_requests`` / ``token_ok`` (grant_type -> count), ``token_errors`` (error code -> count,
any grant), ``token_errors_by_grant`` (grant_type -> error code -> count),
``refresh_tokens_presented`` (distinct refresh tokens sent in refresh_token grants),
``refresh_tokens_reused`` (how many of those were sent twice or more), ``revocations`` (status
-> count), ``api`` (status -> count of /api/ requests), ``requests`` (``"<METHOD> <path>
<status>"`` -> count, everything). The counts live in the database, so they hold across gunicorn
workers (``workers=``).

The sqlite database is built once per process (migrations, user, clients, items) and copied for
each server, so every server starts from the same clean state. Only 127.0.0.1 is used; the
server process is stopped on the way out.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from upstream_process import free_port, upstream_process

from .oauth2project.setup_db import (
    PASSWORD,
    PASSWORD_CLIENT_ID,
    PASSWORD_CLIENT_SECRET,
    SERVICE_CLIENT_ID,
    SERVICE_CLIENT_SECRET,
    USER,
)

__all__ = [
    "OAuth2Client",
    "OAuth2Counters",
    "OAuth2Upstream",
    "oauth2_server",
    "oauth2_upstream",
    "serve_oauth2",
]

HERE = Path(__file__).resolve().parent
STARTUP = 30.0
_TEMPLATE: dict[str, Path] = {}


@dataclass(frozen=True)
class OAuth2Client:
    client_id: str
    client_secret: str

    @property
    def basic_auth(self) -> tuple[str, str]:
        """For ``httpx``'s ``auth=``: HTTP Basic client authentication."""
        return (self.client_id, self.client_secret)


@dataclass(frozen=True)
class OAuth2Counters:
    token_requests: dict[str, int] = field(default_factory=dict)
    token_ok: dict[str, int] = field(default_factory=dict)
    token_errors: dict[str, int] = field(default_factory=dict)
    token_errors_by_grant: dict[str, dict[str, int]] = field(default_factory=dict)
    refresh_tokens_presented: int = 0
    refresh_tokens_reused: int = 0
    revocations: dict[int, int] = field(default_factory=dict)
    api: dict[int, int] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)

    @classmethod
    def parse(cls, body: dict[str, Any]) -> OAuth2Counters:
        counters = cls(
            refresh_tokens_presented=int(body["refresh_tokens_presented"]),
            refresh_tokens_reused=int(body["refresh_tokens_reused"]),
        )
        for key, value in body["counts"].items():
            kind, _, rest = key.partition("|")
            if kind == "token_requests":
                counters.token_requests[rest] = value
            elif kind == "token_ok":
                counters.token_ok[rest] = value
            elif kind == "token_error":
                grant, _, error = rest.partition("|")
                counters.token_errors[error] = counters.token_errors.get(error, 0) + value
                counters.token_errors_by_grant.setdefault(grant, {})[error] = value
            elif kind == "revoke":
                counters.revocations[int(rest)] = value
            elif kind == "api":
                counters.api[int(rest)] = value
            elif kind == "path":
                request, _, status = rest.rpartition("|")
                counters.requests[f"{request} {status}"] = value
        return counters


@dataclass(frozen=True)
class OAuth2Upstream:
    url: str
    access_seconds: int
    username: str = USER
    password: str = PASSWORD
    password_client: OAuth2Client = OAuth2Client(PASSWORD_CLIENT_ID, PASSWORD_CLIENT_SECRET)
    service_client: OAuth2Client = OAuth2Client(SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET)
    scopes: tuple[str, ...] = ("read", "write")

    @property
    def token_url(self) -> str:
        return f"{self.url}/o/token/"

    @property
    def revoke_url(self) -> str:
        return f"{self.url}/o/revoke_token/"

    def counters(self) -> OAuth2Counters:
        """Everything counted since the last reset."""
        response = httpx.get(f"{self.url}/_counters/", timeout=10)
        response.raise_for_status()
        return OAuth2Counters.parse(response.json())

    def _control(self, path: str) -> int:
        response = httpx.post(f"{self.url}{path}", timeout=30)
        response.raise_for_status()
        affected: int = response.json()["affected"]
        return affected

    def reset_counters(self) -> None:
        self._control("/_counters/reset/")

    def reset(self) -> None:
        """Zero the counters, delete every token and grant, drop the items tests created."""
        self._control("/_control/reset/")

    def revoke_all(self) -> int:
        """Revoke every live refresh token and delete every access token; how many revoked."""
        return self._control("/_control/revoke-all/")

    def expire_access_tokens(self) -> int:
        """Make every access token expired now; how many were live."""
        return self._control("/_control/expire-access/")


def _environment(
    db: Path, access_seconds: int, rotate: bool, grace_seconds: int, reuse_protection: bool
) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="oauth2project.settings",
        OAUTH2_UPSTREAM_DB=str(db),
        OAUTH2_UPSTREAM_ACCESS_TOKEN_EXPIRE_SECONDS=str(access_seconds),
        OAUTH2_UPSTREAM_ROTATE_REFRESH_TOKEN=str(int(rotate)),
        OAUTH2_UPSTREAM_REFRESH_TOKEN_GRACE_PERIOD_SECONDS=str(grace_seconds),
        OAUTH2_UPSTREAM_REFRESH_TOKEN_REUSE_PROTECTION=str(int(reuse_protection)),
        PYTHONPATH=str(HERE),
    )
    return env


def _template() -> Path:
    """A migrated database with the user, the clients and the items, built once per process."""
    if "db" not in _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="oauth2-upstream-"))
        db = folder / "template.sqlite3"
        subprocess.run(
            [sys.executable, "-m", "oauth2project.setup_db"],
            cwd=HERE,
            env=_environment(db, 60, True, 0, True),
            check=True,
            timeout=120,
        )
        _TEMPLATE["db"] = db
    return _TEMPLATE["db"]


@contextlib.contextmanager
def serve_oauth2(
    access_seconds: int = 60,
    *,
    rotate: bool = True,
    grace_seconds: int = 0,
    reuse_protection: bool = True,
    workers: int = 1,
    threads: int = 32,
) -> Iterator[OAuth2Upstream]:
    """Serve the project with these DOT settings; yield it once it answers."""
    folder = Path(tempfile.mkdtemp(prefix="oauth2-upstream-"))
    db = folder / "db.sqlite3"
    shutil.copyfile(_template(), db)
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--backlog",
        "2048",
        # gunicorn 27's control socket defaults to one path per user: two servers at once
        # would share it.
        "--no-control-socket",
        "--log-level",
        "warning",
        "oauth2project.wsgi:application",
    ]
    env = _environment(db, access_seconds, rotate, grace_seconds, reuse_protection)
    upstream = OAuth2Upstream(f"http://127.0.0.1:{port}", access_seconds)
    try:
        with upstream_process(
            "OAuth2", command, cwd=HERE, env=env, ready=upstream.reset_counters, startup=STARTUP
        ):
            yield upstream
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def oauth2_server() -> Iterator[OAuth2Upstream]:
    """One django-oauth-toolkit server for the session: 2-second access tokens."""
    with serve_oauth2(access_seconds=2) as upstream:
        yield upstream


@pytest.fixture
def oauth2_upstream(oauth2_server: OAuth2Upstream) -> OAuth2Upstream:
    """The session's server, reset: zeroed counters, no tokens, the seeded items only."""
    oauth2_server.reset()
    return oauth2_server
