"""Several processes share one token store (file, Redis): one refresh per expiry overall."""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reference_server import Control
from sdk_session import FileTokenStore, TokenStore

from ..clients.ours import Sync
from ..server import stop
from .common import delta, describe

TOKEN_TTL = 1.0
REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class MultiRow:
    store: str
    processes: int
    seconds: float
    served: int
    unauthorized: int
    refreshes: int
    reuse_detected: int
    ok: int
    failures: int
    error: str = ""


def make_store(kind: str, arg: str) -> TokenStore:
    if kind == "file":
        return FileTokenStore(arg)
    module: Any = importlib.import_module("sdk_session.stores.redis")
    store: TokenStore = module.RedisTokenStore(arg, prefix="bench")
    return store


def redis_available() -> str | None:
    """``None`` if the Redis row can run, else why not."""
    if shutil.which("redis-server") is None:
        return "no redis-server binary"
    try:
        importlib.import_module("sdk_session.stores.redis").RedisTokenStore  # noqa: B018
    except Exception as exc:
        return "sdk_session.stores.redis.RedisTokenStore not available: " + describe(exc)
    return None


@contextlib.contextmanager
def redis_server(folder: str) -> Iterator[str]:
    """A throwaway redis-server on 127.0.0.1 (the fleet benchmark's and the tests' own wrapper)."""
    from ..redis_fleet.processes import find_binaries, single_redis

    binaries = find_binaries()
    if binaries is None:
        raise RuntimeError("no redis-server binary")
    with single_redis(binaries, Path(folder)) as node:
        yield node.url


def run_one(
    url: str, control: Control, kind: str, arg: str, *, processes: int, seconds: float
) -> MultiRow:
    control.reset()
    control.configure(access_ttl=TOKEN_TTL, reuse_detection=True)
    Sync(url, make_store(kind, arg)).close()  # log in once; the store holds the session
    before = control.counters()
    start = time.time() + 3.0  # let every process import first
    env = dict(os.environ, PYTHONPATH=str(REPO))
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "benchmarks.scenarios.mp_worker",
                url,
                kind,
                arg,
                str(start),
                str(seconds),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=REPO,
            env=env,
            text=True,
        )
        for _ in range(processes)
    ]
    ok = failures = 0
    error = ""
    try:
        for proc in procs:
            out, err = proc.communicate(timeout=seconds + 60.0)
            lines = out.strip().splitlines()
            if proc.returncode != 0 or not lines:
                failures += 1
                error = error or f"worker exit {proc.returncode}: {err.strip()[-200:]}"
                continue
            result = json.loads(lines[-1])
            ok += int(result["ok"])
            failures += int(result["failures"])
            error = error or str(result["error"])
    finally:
        for proc in procs:
            stop(proc)
    d = delta(before, control.counters())
    return MultiRow(
        store=kind,
        processes=processes,
        seconds=seconds,
        served=d.me,
        unauthorized=d.unauthorized,
        refreshes=d.refreshes + d.failed_refreshes,
        reuse_detected=d.reuse_detected,
        ok=ok,
        failures=failures,
        error=error,
    )


def run(
    url: str, *, processes: int, seconds: float, log: Callable[[str], None] = print
) -> tuple[list[MultiRow], str | None]:
    """Rows, and why the Redis row is missing (``None`` if it ran)."""
    rows = []
    with Control(url) as control, tempfile.TemporaryDirectory(prefix="bench-mp-") as folder:
        rows.append(
            run_one(url, control, "file", str(Path(folder) / "session.json"),
                    processes=processes, seconds=seconds)
        )  # fmt: skip
        log(f"  multi-process file: {rows[-1]}")
        missing = redis_available()
        if missing is None:
            with redis_server(folder) as redis_url:
                rows.append(
                    run_one(url, control, "redis", redis_url, processes=processes,
                            seconds=seconds)
                )  # fmt: skip
                log(f"  multi-process redis: {rows[-1]}")
    return rows, missing
