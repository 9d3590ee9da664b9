"""Run the Django + SimpleJWT project under gunicorn (gthread) on a free 127.0.0.1 port.

    with serve_drf(access_seconds=2) as upstream:
        upstream.url, upstream.counters(), upstream.reset()

The sqlite database is built once per process (migrations, user ``alice``) and
copied for each server, so every server starts from the same clean state.
Only 127.0.0.1 is used; the server process is stopped on the way out.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from upstream_process import free_port, upstream_process

from .drfproject.setup_db import PASSWORD, USER

__all__ = ["PASSWORD", "USER", "DrfUpstream", "serve_drf"]

HERE = Path(__file__).resolve().parent
STARTUP = 30.0
_TEMPLATE: dict[str, Path] = {}


@dataclass(frozen=True)
class DrfUpstream:
    url: str
    access_seconds: int

    def counters(self) -> dict[str, int]:
        """``{"<path> <status>": count}`` of everything answered since the last reset."""
        response = httpx.get(f"{self.url}/_counters/", timeout=10)
        response.raise_for_status()
        counts: dict[str, int] = response.json()
        return counts

    def count(self, path: str, status: int) -> int:
        return self.counters().get(f"{path} {status}", 0)

    def reset(self) -> None:
        httpx.post(f"{self.url}/_counters/reset/", timeout=10).raise_for_status()


def _environment(db: Path, access_seconds: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="drfproject.settings",
        DRF_UPSTREAM_DB=str(db),
        DRF_UPSTREAM_ACCESS_SECONDS=str(access_seconds),
        PYTHONPATH=str(HERE),
    )
    return env


def _template() -> Path:
    """A migrated database with the test user, built once per process."""
    if "db" not in _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="drf-upstream-"))
        db = folder / "template.sqlite3"
        subprocess.run(
            [sys.executable, "-m", "drfproject.setup_db"],
            cwd=HERE,
            env=_environment(db, 60),
            check=True,
            timeout=120,
        )
        _TEMPLATE["db"] = db
    return _TEMPLATE["db"]


@contextlib.contextmanager
def serve_drf(access_seconds: int = 60, *, threads: int = 32) -> Iterator[DrfUpstream]:
    """Serve the project with ``access_seconds`` access tokens; yield it once it answers."""
    folder = Path(tempfile.mkdtemp(prefix="drf-upstream-"))
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
        "1",
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--backlog",
        "2048",
        # gunicorn's default keep-alive (2 s) stays: tests that wait out a 1-2 s token send
        # their refresh on a connection gunicorn may be closing just then, which the
        # dispatch transport must absorb (it sends a dropped token call once more).
        "--log-level",
        "warning",
        "drfproject.wsgi:application",
    ]
    upstream = DrfUpstream(f"http://127.0.0.1:{port}", access_seconds)
    env = _environment(db, access_seconds)
    try:
        with upstream_process(
            "DRF", command, cwd=HERE, env=env, ready=upstream.reset, startup=STARTUP
        ):
            yield upstream
    finally:
        shutil.rmtree(folder, ignore_errors=True)
