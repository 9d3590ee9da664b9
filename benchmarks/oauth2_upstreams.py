"""``python -m benchmarks.oauth2_upstreams``: the generated SDKs against the real OAuth2 upstreams.

django-oauth-toolkit (tests/oauth2_upstream, 2 s access tokens, rotation, reuse protection)
through ``oauth2_sdk``, and the login-only FastAPI app (tests/fastapi_upstream, 2 s tokens)
through an SDK generated from its schema by ``init`` + generate. Each storm starts on an
expired token; every figure is counted by the server. Prints one table: per scenario, the
median of ``--rounds`` rounds and the range. The test suite asserts the same counts
(tests/oauth2_upstream/test_session_storms.py, tests/fastapi_upstream); this is where longer
soaks (``--soak``) and repeated rounds go.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "examples" / "oauth2")]

import oauth2_sdk  # noqa: E402
from fastapi_upstream.server import FastApiUpstream, serve_fastapi  # noqa: E402
from oauth2_upstream.server import OAuth2Upstream, serve_oauth2  # noqa: E402

Row = dict[str, float]
Grant = Literal["password", "client_credentials"]
GRANTS: tuple[Grant, ...] = ("password", "client_credentials")


def _wait_expired(client: Any) -> None:
    tokens = client.tokens
    time.sleep(max(0.0, tokens.expires_at - time.time()) + 0.2)


def _threads(count: int, call: Callable[[], object]) -> int:
    """``count`` threads released together, one call each: how many failed."""
    barrier = threading.Barrier(count, timeout=30)

    def one() -> bool:
        barrier.wait()
        try:
            call()
        except Exception:
            return False
        return True

    with ThreadPoolExecutor(count) as pool:
        outcomes = [f.result(timeout=120) for f in [pool.submit(one) for _ in range(count)]]
    return outcomes.count(False)


def _dot_client(upstream: OAuth2Upstream, grant: Grant) -> oauth2_sdk.SessionClient:
    registered = upstream.password_client if grant == "password" else upstream.service_client
    return oauth2_sdk.SessionClient(
        base_url=upstream.url,
        client_id=registered.client_id,
        client_secret=registered.client_secret,
        grant=grant,
    )


def _start(client: oauth2_sdk.SessionClient, upstream: OAuth2Upstream, grant: Grant) -> None:
    if grant == "password":
        client.login(upstream.username, upstream.password)
    else:
        client.renew()
    _wait_expired(client)
    upstream.reset_counters()


def dot_threads(upstream: OAuth2Upstream, grant: Grant, count: int) -> Row:
    with _dot_client(upstream, grant) as client:
        _start(client, upstream, grant)
        started = time.monotonic()
        failed = _threads(count, lambda: oauth2_sdk.items.items_list(client))
        spanned = time.monotonic() - started
    return _dot_row(upstream, grant, count, failed, spanned)


def dot_tasks(upstream: OAuth2Upstream, grant: Grant, count: int) -> Row:
    async def run() -> tuple[int, float]:
        async with _dot_client(upstream, grant) as client:
            if grant == "password":
                await client.alogin(upstream.username, upstream.password)
            else:
                await client.arenew()
            tokens = client.tokens
            assert tokens is not None and tokens.expires_at is not None
            await asyncio.sleep(max(0.0, tokens.expires_at - time.time()) + 0.2)
            upstream.reset_counters()
            started = time.monotonic()
            calls = (oauth2_sdk.items.items_list.asyncio(client) for _ in range(count))
            results = await asyncio.gather(*calls, return_exceptions=True)
            failed = sum(isinstance(result, BaseException) for result in results)
            return failed, time.monotonic() - started

    failed, spanned = asyncio.run(run())
    return _dot_row(upstream, grant, count, failed, spanned)


def dot_soak(upstream: OAuth2Upstream, seconds: float) -> Row:
    failures = [0]
    calls = [0]
    with _dot_client(upstream, "password") as client:
        client.login(upstream.username, upstream.password)
        upstream.reset_counters()
        deadline = time.monotonic() + seconds

        def worker() -> None:
            while time.monotonic() < deadline:
                try:
                    oauth2_sdk.items.items_list(client)
                    calls[0] += 1
                except Exception:
                    failures[0] += 1
                time.sleep(0.01)

        with ThreadPoolExecutor(8) as pool:
            for future in [pool.submit(worker) for _ in range(8)]:
                future.result(timeout=seconds + 60)
    row = _dot_row(upstream, "password", calls[0] + failures[0], failures[0], seconds)
    return row


def dot_revoked(upstream: OAuth2Upstream, count: int) -> Row:
    with _dot_client(upstream, "password") as client:
        client.login(upstream.username, upstream.password)
        upstream.revoke_all()
        upstream.reset_counters()
        failed = _threads(count, lambda: oauth2_sdk.items.items_list(client))
    row = _dot_row(upstream, "password", count, failed, 0.0)
    row["ok"] = count - failed  # expected: 0, every call a SessionExpired
    return row


def _dot_row(
    upstream: OAuth2Upstream, grant: Grant, calls: int, failed: int, spanned: float
) -> Row:
    counters = upstream.counters()
    renewal = "refresh_token" if grant == "password" else grant
    return {
        "calls": calls,
        "ok": calls - failed,
        "renewals": counters.token_requests.get(renewal, 0),
        "reused": counters.refresh_tokens_reused,
        "401s": counters.api.get(401, 0),
        "seconds": spanned,
        "lifetimes": spanned / upstream.access_seconds,
    }


def fastapi_sdk(folder: Path) -> ModuleType:
    """The login-only app's SDK, made by ``init`` + generate as a user would."""
    spec = ROOT / "tests" / "fastapi_upstream" / "openapi.json"
    config = "fastapi_bench_sdk.generator.yaml"
    for args in (
        ["init", "--spec", str(spec), "--package", "fastapi_bench_sdk"],
        ["--spec", str(spec), "--config", config, "--output", "fastapi_bench_sdk"],
    ):
        subprocess.run(
            [sys.executable, "-m", "generator", *args], cwd=folder, check=True, timeout=600
        )
    sys.path.insert(0, str(folder))
    return importlib.import_module("fastapi_bench_sdk")


def fastapi_threads(sdk: ModuleType, upstream: FastApiUpstream, count: int) -> Row:
    with sdk.SessionClient(base_url=upstream.url) as client:
        client.login(upstream.username, upstream.password)
        _wait_expired(client)
        upstream.reset_counters()
        failed = _threads(count, lambda: sdk.items.items_read_items(client))
    counters = upstream.counters()
    return {
        "calls": count,
        "ok": count - failed,
        "renewals": counters.logins_ok,
        "reused": 0,
        "401s": counters.api.get(401, 0),
        "seconds": 0.0,
        "lifetimes": 0.0,
    }


def _summary(rows: list[Row], key: str) -> str:
    values = [row[key] for row in rows]
    shown = "{:.1f}" if key in ("seconds", "lifetimes") else "{:g}"
    median, low, high = (shown.format(v) for v in (statistics.median(values), *_span(values)))
    return median if low == high else f"{median} ({low}-{high})"


def _span(values: list[float]) -> tuple[float, float]:
    return min(values), max(values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--soak", type=float, default=20.0, help="soak seconds")
    args = parser.parse_args(argv)
    results: dict[str, list[Row]] = {}

    def add(name: str, row: Row) -> None:
        results.setdefault(name, []).append(row)

    with serve_oauth2(access_seconds=2) as upstream:
        for _ in range(args.rounds):
            for grant in GRANTS:
                upstream.reset()
                add(f"DOT {grant}: 200 threads", dot_threads(upstream, grant, 200))
                upstream.reset()
                add(f"DOT {grant}: 500 asyncio tasks", dot_tasks(upstream, grant, 500))
            upstream.reset()
            add("DOT password: 50 threads, refresh token revoked", dot_revoked(upstream, 50))
        upstream.reset()
        add(f"DOT password: {args.soak:g} s soak, 8 threads", dot_soak(upstream, args.soak))
    with tempfile.TemporaryDirectory() as folder, serve_fastapi(access_seconds=2) as app:
        sdk = fastapi_sdk(Path(folder))
        for _ in range(args.rounds):
            app.reset()
            add("FastAPI login-only: 200 threads", fastapi_threads(sdk, app, 200))

    keys = ("calls", "ok", "renewals", "reused", "401s", "seconds", "lifetimes")
    print(f"| scenario (2 s tokens, starting expired) | {' | '.join(keys)} |")
    print("|---" * (len(keys) + 1) + "|")
    for name, rows in results.items():
        print(f"| {name} | {' | '.join(_summary(rows, key) for key in keys)} |")
    print(
        f"\nmedian of {args.rounds} rounds (range); renewals: refresh_token grants (password), "
        "client_credentials grants, or logins (FastAPI) counted by the server after the start; "
        "reused: refresh tokens presented twice"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
