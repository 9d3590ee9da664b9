"""A real Django REST framework + SimpleJWT upstream (gunicorn gthread, 32 threads, sqlite).

``SessionAuth`` with ``SimpleJwtBinding`` on plain httpx clients, as a new user would set
it up, with and without the dispatch transport (``DispatchTransport``: sign when the
request gets its connection). Scenarios: storms on an expired token (2 s and 1 s tokens,
default pool limits and ``Limits(500, 500)``), a soak with 1 s tokens, and a refresh
token blacklisted behind the client's back (no credentials provider). Counts come from
the server (``/_counters/``) and from what each call returned or raised.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from sdk_session import (
    AsyncDispatchTransport,
    DispatchTransport,
    SessionAuth,
    SessionExpired,
    SimpleJwtBinding,
    TokenRejected,
    TokenSet,
)
from sdk_session.tokens import jwt_claims

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
from drf_upstream.server import PASSWORD, USER, DrfUpstream, serve_drf

ITEMS, REFRESH = "/api/items/", "/api/token/refresh/"
TIMEOUT = 60.0
DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)
WIDE_LIMITS = httpx.Limits(max_connections=500, max_keepalive_connections=500)


@dataclass(frozen=True)
class DrfRow:
    scenario: str
    setup: str
    calls: int
    ok: int
    plain_401: int  # 401 responses handed to the application
    outlived: int  # TokenRejected: the request waited longer than a token lives
    expired: int  # SessionExpired
    other: int  # anything else raised
    refreshes: int  # refreshes the server accepted
    failed_refreshes: int  # refreshes the server refused
    not_newer: int  # accepted refreshes whose token expires no later than the previous one
    served_401: int  # 401s the server answered on the API
    sent_after_end: int  # API calls sent after the session ended
    bound: str  # refreshes allowed: duration / lifetime granted + 1
    needed: int  # refreshes whose old token expired before the scenario ended
    wall_s: float
    error: str = ""


class Outcomes:
    """What the calls of one scenario returned or raised (thread-safe)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.first_error = ""
        self._lock = threading.Lock()

    def response(self, response: httpx.Response) -> None:
        with self._lock:
            self.counts["ok" if response.status_code == 200 else f"http{response.status_code}"] += 1

    def error(self, exc: BaseException) -> None:
        kind = (
            "outlived"
            if isinstance(exc, TokenRejected)
            else "expired"
            if isinstance(exc, SessionExpired)
            else "other"
        )
        with self._lock:
            self.counts[kind] += 1
            if not self.first_error:
                self.first_error = f"{type(exc).__name__}: {exc}"[:120]


class Exps:
    """``on_tokens``: every token's ``exp``, to count refreshes that were not newer."""

    def __init__(self) -> None:
        self.values: list[float] = []
        self.lifetimes: list[float] = []  # exp - now when received: what the server granted
        self.ended: float | None = None  # epoch seconds when the scenario's last call returned

    def __call__(self, tokens: TokenSet | None) -> None:
        if tokens is not None:
            exp = (jwt_claims(tokens.access_token) or {}).get("exp")
            if isinstance(exp, int | float):
                self.values.append(float(exp))
                self.lifetimes.append(float(exp) - time.time())

    def real_lifetime(self, nominal: float) -> float:
        """The median lifetime the server really granted (whole-second claims floor it)."""
        return statistics.median(self.lifetimes) if self.lifetimes else nominal

    def needed(self) -> int:
        """Refreshes that replaced a token which expired before the scenario ended: what a
        client renewing only at expiry makes too (SimpleJWT floors ``exp``, so a "2 s" token
        lives 1 to 2 s and one storm may need a second refresh or not)."""
        ended = time.time() if self.ended is None else self.ended
        return sum(1 for exp in self.values[:-1] if exp <= ended)

    def not_newer(self) -> int:
        return sum(1 for a, b in zip(self.values, self.values[1:], strict=False) if b <= a)


def _auth(upstream: DrfUpstream, exps: Exps) -> SessionAuth:
    return SessionAuth(upstream.url, binding=SimpleJwtBinding(), on_tokens=exps)


def _sync_client(
    upstream: DrfUpstream, auth: SessionAuth, limits: httpx.Limits, dispatch: bool
) -> httpx.Client:
    if dispatch:
        transport: httpx.BaseTransport = DispatchTransport(limits=limits)
        return httpx.Client(base_url=upstream.url, auth=auth, transport=transport, timeout=TIMEOUT)
    return httpx.Client(base_url=upstream.url, auth=auth, limits=limits, timeout=TIMEOUT)


def _wait_expired(tokens: TokenSet) -> None:
    exp = float((jwt_claims(tokens.access_token) or {}).get("exp", time.time()))
    time.sleep(max(exp - time.time(), 0.0) + 0.05)


def _row(
    scenario: str,
    setup: str,
    upstream: DrfUpstream,
    outcomes: Outcomes,
    exps: Exps,
    calls: int,
    wall: float,
    *,
    sent_after_end: int = 0,
) -> DrfRow:
    counts = upstream.counters()
    lifetime = min(exps.real_lifetime(upstream.access_seconds), upstream.access_seconds)
    return DrfRow(
        scenario=scenario,
        setup=setup,
        calls=calls,
        ok=outcomes.counts["ok"],
        plain_401=outcomes.counts["http401"],
        outlived=outcomes.counts["outlived"],
        expired=outcomes.counts["expired"],
        other=outcomes.counts["other"]
        + sum(n for k, n in outcomes.counts.items() if k.startswith("http") and k != "http401"),
        refreshes=counts.get(f"{REFRESH} 200", 0),
        failed_refreshes=counts.get(f"{REFRESH} 401", 0),
        not_newer=exps.not_newer(),
        served_401=counts.get(f"{ITEMS} 401", 0),
        sent_after_end=sent_after_end,
        bound=f"{wall / lifetime + 1:.1f}",
        needed=exps.needed(),
        wall_s=wall,
        error=outcomes.first_error,
    )


def storm_threads(
    upstream: DrfUpstream, n: int, limits: httpx.Limits, dispatch: bool, label: str
) -> DrfRow:
    exps, outcomes = Exps(), Outcomes()
    auth = _auth(upstream, exps)
    with _sync_client(upstream, auth, limits, dispatch) as client:
        _wait_expired(auth.login(client, USER, PASSWORD))
        upstream.reset()
        barrier = threading.Barrier(n, timeout=30.0)

        def one() -> None:
            try:
                barrier.wait()
                outcomes.response(client.get(ITEMS))
            except Exception as exc:
                outcomes.error(exc)

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=n) as pool:
            for _ in range(n):
                pool.submit(one)
        wall = time.perf_counter() - started
        exps.ended = time.time()
    return _row(f"storm, {n} threads", label, upstream, outcomes, exps, n, wall)


async def _storm_tasks(
    upstream: DrfUpstream, n: int, limits: httpx.Limits, dispatch: bool, outcomes: Outcomes,
    exps: Exps,
) -> float:  # fmt: skip
    auth = _auth(upstream, exps)
    kwargs: dict[str, object] = {"base_url": upstream.url, "auth": auth, "timeout": TIMEOUT}
    if dispatch:
        kwargs["transport"] = AsyncDispatchTransport(limits=limits)
    else:
        kwargs["limits"] = limits
    async with httpx.AsyncClient(**kwargs) as client:  # type: ignore[arg-type]
        tokens = await auth.alogin(client, USER, PASSWORD)
        exp = float((jwt_claims(tokens.access_token) or {}).get("exp", time.time()))
        await asyncio.sleep(max(exp - time.time(), 0.0) + 0.05)
        upstream.reset()

        async def one() -> None:
            try:
                outcomes.response(await client.get(ITEMS))
            except Exception as exc:
                outcomes.error(exc)

        started = time.perf_counter()
        await asyncio.wait_for(asyncio.gather(*(one() for _ in range(n))), 180.0)
        exps.ended = time.time()
        return time.perf_counter() - started


def storm_tasks(
    upstream: DrfUpstream, n: int, limits: httpx.Limits, dispatch: bool, label: str
) -> DrfRow:
    exps, outcomes = Exps(), Outcomes()
    wall = asyncio.run(_storm_tasks(upstream, n, limits, dispatch, outcomes, exps))
    return _row(f"storm, {n} asyncio tasks", label, upstream, outcomes, exps, n, wall)


def soak(upstream: DrfUpstream, workers: int, seconds: float, label: str) -> DrfRow:
    exps, outcomes = Exps(), Outcomes()
    auth = _auth(upstream, exps)
    with _sync_client(upstream, auth, DEFAULT_LIMITS, True) as client:
        auth.login(client, USER, PASSWORD)
        upstream.reset()
        deadline = time.monotonic() + seconds

        def worker() -> None:
            for _ in range(1_000_000):
                if time.monotonic() >= deadline:
                    return
                try:
                    outcomes.response(client.get(ITEMS))
                except Exception as exc:
                    outcomes.error(exc)
                    time.sleep(0.01)

        started = time.perf_counter()
        threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(seconds + 60)
        wall = time.perf_counter() - started
        exps.ended = time.time()
    calls = sum(outcomes.counts.values())
    return _row(f"soak, {workers} threads x {seconds:.0f} s", label, upstream, outcomes, exps,
                calls, wall)  # fmt: skip


def blacklisted(upstream: DrfUpstream, threads: int, tasks: int) -> DrfRow:
    """The refresh token is spent elsewhere (blacklisted); no credentials provider."""
    exps, outcomes = Exps(), Outcomes()
    auth = _auth(upstream, exps)
    with _sync_client(upstream, auth, DEFAULT_LIMITS, True) as client:
        tokens = auth.login(client, USER, PASSWORD)
        httpx.post(f"{upstream.url}{REFRESH}", json={"refresh": tokens.refresh_token})
        _wait_expired(tokens)
        upstream.reset()
        started = time.perf_counter()
        barrier = threading.Barrier(threads, timeout=30.0)

        def one() -> None:
            try:
                barrier.wait()
                outcomes.response(client.get(ITEMS))
            except Exception as exc:
                outcomes.error(exc)

        with ThreadPoolExecutor(max_workers=threads) as pool:
            for _ in range(threads):
                pool.submit(one)

        async def many() -> None:
            transport = AsyncDispatchTransport()
            async with httpx.AsyncClient(
                base_url=upstream.url, auth=auth, transport=transport, timeout=TIMEOUT
            ) as aclient:

                async def one_task() -> None:
                    try:
                        outcomes.response(await aclient.get(ITEMS))
                    except Exception as exc:
                        outcomes.error(exc)

                await asyncio.gather(*(one_task() for _ in range(tasks)))

        asyncio.run(many())
        wall = time.perf_counter() - started
        exps.ended = time.time()
        sent = sum(n for k, n in upstream.counters().items() if k.startswith(ITEMS))
    return _row(
        f"blacklisted refresh token, {threads} threads + {tasks} tasks",
        "dispatch transport",
        upstream,
        outcomes,
        exps,
        threads + tasks,
        wall,
        sent_after_end=sent,
    )


@contextmanager
def _server(access_seconds: int) -> Iterator[DrfUpstream]:
    with serve_drf(access_seconds=access_seconds, threads=32) as upstream:
        yield upstream


SETUPS = (("SessionAuth + DispatchTransport", True), ("SessionAuth only (plain client)", False))


def run(
    *, tasks: int, threads: int, workers: int, seconds: float, log: Callable[[str], None] = print
) -> list[DrfRow]:
    rows: list[DrfRow] = []

    def add(row: DrfRow) -> None:
        log(
            f"  drf {row.scenario:44} {row.setup:34} ok={row.ok}/{row.calls} "
            f"401s={row.plain_401} outlived={row.outlived} expired={row.expired} "
            f"other={row.other} refreshes={row.refreshes} (bound {row.bound}, needed {row.needed}) "
            f"not-newer={row.not_newer} served-401={row.served_401} {row.wall_s:.1f} s"
        )
        rows.append(row)

    for access_seconds in (2, 1):
        with _server(access_seconds) as upstream:
            for label, dispatch in SETUPS:
                tag = f"{label}, {access_seconds} s tokens"
                add(storm_tasks(upstream, tasks, DEFAULT_LIMITS, dispatch, tag))
                if access_seconds == 2:
                    add(storm_threads(upstream, threads, DEFAULT_LIMITS, dispatch, tag))
                    add(
                        storm_tasks(
                            upstream, tasks, WIDE_LIMITS, dispatch, tag + ", Limits(500, 500)"
                        )
                    )
            if access_seconds == 1:
                add(soak(upstream, workers, seconds, "SessionAuth + DispatchTransport, 1 s tokens"))
            else:
                add(blacklisted(upstream, 50, 50))
    return rows
