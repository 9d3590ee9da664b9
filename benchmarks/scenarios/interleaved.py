"""Interleaved soak: our session client against the static-token client, in short slices.

Both clients call ``GET /me`` from the same number of workers (threads, or asyncio
tasks on one client). They take turns in slices, in ABBA order (static, ours, ours,
static, static, ours, ...), so a shared machine's drift hits both alike and neither
always goes first; our client's tokens are short-lived and
its token endpoint slow (a server-side latency fault on login/refresh), the static
client holds one long-lived token. Reported per configuration: the medians over
rounds of ours ÷ static for throughput, p50 and p99 latency, plus refreshes, 401s
and client-visible failures. Proactive refreshes must not stall the other
requests (issue 15): throughput near 1 and p99 near the static client's.

Fairness: while one client has its slice, the other is not idle but sends a
trickle (one worker, one call every ``TRICKLE`` seconds, not measured), in both
directions. An application under steady load never leaves its session idle for
a whole slice; without the trickle our 1 s and 5 s tokens expire while the static
client has its turn, and each of our slices starts with a renewal every worker
must wait for (up to 500 ms of a 2 s slice), which measures the harness's idle
gaps rather than refresh ahead. The trickle keeps the token's life running as
under continuous traffic: renewals still happen inside our slices at whatever
point of the token's life they fall. Its load (about 10 calls/s against
hundreds per second) is the same for both clients.
"""

from __future__ import annotations

import asyncio
import statistics
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import generated_sdk as sdk
from generated_sdk import SessionClient
from reference_server import DEMO_EMAIL, DEMO_PASSWORD, Control

from ..server import login
from .common import delta

CONFIGS = ((1.0, 0.05), (5.0, 0.5))
"""(access-token lifetime s, token-endpoint latency s)."""
STATIC_TTL = 3600.0
WARMUP = 0.3
"""Seconds each client runs before the measured rounds (connections, first imports)."""
TRICKLE = 0.1
"""Seconds between two calls of the idle client while the other has its slice."""


@dataclass(frozen=True)
class InterleavedRow:
    mode: str
    ttl: float
    token_latency: float
    reuse_detection: bool
    rounds: int
    throughput: float  # ours / static, median over rounds
    throughput_spread: str
    p50_static_ms: float
    p50_ours_ms: float
    p99_static_ms: float
    p99_ours_ms: float
    p99_ratio: float
    p99_spread: str  # per-round p99 ours / static, min-max
    refreshes: int
    lifetimes: float  # measured wall time / token lifetime: about one refresh each
    unauthorized: int
    failures: int  # ours, client-visible
    static_failures: int
    errors: str  # "ours: ReadTimeout x1; static: ..." or "" (what failed, by client)


@dataclass
class Slice:
    calls: int
    latencies: list[float]
    busy_errors: list[str]  # exception names of the measured client's calls
    idle_errors: list[str]  # ... and of the other client's trickle


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def _thread_slice(
    call: Callable[[], object], workers: int, seconds: float, idle: Callable[[], object] | None
) -> Slice:
    """``workers`` threads calling ``call`` for ``seconds``; ``idle`` trickles meanwhile."""
    latencies: list[float] = []
    busy_errors: list[str] = []
    idle_errors: list[str] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def work() -> None:
        mine: list[float] = []
        for _ in range(1_000_000):
            t0 = time.perf_counter()
            if t0 >= deadline:
                break
            try:
                call()
            except Exception as exc:
                busy_errors.append(type(exc).__name__)  # list.append: atomic under the GIL
                continue
            mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)

    def trickle() -> None:
        for _ in range(1_000_000):
            if time.perf_counter() >= deadline or idle is None:
                break
            try:
                idle()
            except Exception as exc:
                idle_errors.append(type(exc).__name__)
            time.sleep(TRICKLE)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(workers)]
    threads.append(threading.Thread(target=trickle, daemon=True))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    return Slice(len(latencies), latencies, busy_errors, idle_errors)


async def _task_slice(
    call: Callable[[], Awaitable[object]],
    workers: int,
    seconds: float,
    idle: Callable[[], Awaitable[object]] | None,
) -> Slice:
    """``workers`` tasks calling ``call`` for ``seconds``; ``idle`` trickles meanwhile."""
    latencies: list[float] = []
    busy_errors: list[str] = []
    idle_errors: list[str] = []
    deadline = time.perf_counter() + seconds

    async def work() -> None:
        for _ in range(1_000_000):
            t0 = time.perf_counter()
            if t0 >= deadline:
                return
            try:
                await call()
            except Exception as exc:
                busy_errors.append(type(exc).__name__)
                continue
            latencies.append(time.perf_counter() - t0)

    async def trickle() -> None:
        for _ in range(1_000_000):
            if time.perf_counter() >= deadline or idle is None:
                return
            try:
                await idle()
            except Exception as exc:
                idle_errors.append(type(exc).__name__)
            await asyncio.sleep(TRICKLE)

    jobs = [work() for _ in range(workers)] + [trickle()]
    await asyncio.wait_for(asyncio.gather(*jobs), seconds + 60)
    return Slice(len(latencies), latencies, busy_errors, idle_errors)


def _errors(pairs: list[tuple[Slice, Slice]]) -> tuple[list[str], list[str]]:
    """Every failed call's exception name, ours and the static client's (measured or
    trickling)."""
    ours = [e for s, o in pairs for e in o.busy_errors + s.idle_errors]
    static = [e for s, o in pairs for e in s.busy_errors + o.idle_errors]
    return ours, static


def _describe(ours: list[str], static: list[str]) -> str:
    parts = []
    for who, names in (("ours", ours), ("static", static)):
        if names:
            counted = ", ".join(f"{n} x{k}" for n, k in sorted(Counter(names).items()))
            parts.append(f"{who}: {counted}")
    return "; ".join(parts)


def _row(
    mode: str, ttl: float, latency: float, reuse: bool, pairs: list[tuple[Slice, Slice]],
    counters: tuple[int, int], wall: float,
) -> InterleavedRow:  # fmt: skip
    ratios = [o.calls / s.calls for s, o in pairs if s.calls]
    ours_errors, static_errors = _errors(pairs)
    static = [x for s, _ in pairs for x in s.latencies]
    ours = [x for _, o in pairs for x in o.latencies]
    p99_s, p99_o = _p(static, 0.99), _p(ours, 0.99)
    p99s = [_p(o.latencies, 0.99) / _p(s.latencies, 0.99) for s, o in pairs if s.latencies]
    return InterleavedRow(
        mode=mode,
        ttl=ttl,
        token_latency=latency,
        reuse_detection=reuse,
        rounds=len(pairs),
        throughput=statistics.median(ratios) if ratios else 0.0,
        throughput_spread=f"{min(ratios):.2f}-{max(ratios):.2f}" if ratios else "-",
        p50_static_ms=_p(static, 0.5) * 1e3,
        p50_ours_ms=_p(ours, 0.5) * 1e3,
        p99_static_ms=p99_s * 1e3,
        p99_ours_ms=p99_o * 1e3,
        p99_ratio=p99_o / p99_s if p99_s else 0.0,
        p99_spread=f"{min(p99s):.2f}-{max(p99s):.2f}" if p99s else "-",
        refreshes=counters[0],
        lifetimes=wall / ttl,
        unauthorized=counters[1],
        failures=len(ours_errors),
        static_failures=len(static_errors),
        errors=_describe(ours_errors, static_errors),
    )


def _prepare(control: Control, url: str, ttl: float, latency: float, reuse: bool) -> str:
    control.reset()
    control.configure(access_ttl=STATIC_TTL, reuse_detection=reuse)
    token = str(login(url)["access_token"])  # the static client's long-lived token
    control.configure(access_ttl=ttl)
    control.fault("token", latency=latency, count=None)
    return token


def run_threads(
    url: str, control: Control, ttl: float, latency: float, reuse: bool, *, rounds: int,
    slice_s: float, workers: int,
) -> InterleavedRow:  # fmt: skip
    token = _prepare(control, url, ttl, latency, reuse)
    static = sdk.AuthenticatedClient(base_url=url, token=token)
    ours = SessionClient(base_url=url)
    ours.login(DEMO_EMAIL, DEMO_PASSWORD)

    def static_call() -> object:
        return sdk.users.me(static)

    def ours_call() -> object:
        return sdk.users.me(ours)

    _thread_slice(static_call, workers, WARMUP, ours_call)  # connections, imports
    _thread_slice(ours_call, workers, WARMUP, static_call)
    before = control.counters()
    started = time.perf_counter()
    pairs = []
    try:
        for n in range(rounds):
            if n % 2:  # ABBA: whichever drift a round has, both clients go first as often
                o = _thread_slice(ours_call, workers, slice_s, static_call)
                s = _thread_slice(static_call, workers, slice_s, ours_call)
            else:
                s = _thread_slice(static_call, workers, slice_s, ours_call)
                o = _thread_slice(ours_call, workers, slice_s, static_call)
            pairs.append((s, o))
        wall = time.perf_counter() - started
    finally:
        static.close()
        ours.close()
        control.clear_faults()
    d = delta(before, control.counters())
    return _row("threads", ttl, latency, reuse, pairs, (d.refreshes + d.failed_refreshes,
                                                        d.unauthorized), wall)  # fmt: skip


async def _run_tasks(
    url: str, control: Control, ttl: float, latency: float, reuse: bool, rounds: int,
    slice_s: float, workers: int,
) -> InterleavedRow:  # fmt: skip
    token = _prepare(control, url, ttl, latency, reuse)
    static = sdk.AuthenticatedClient(base_url=url, token=token)
    ours = SessionClient(base_url=url)
    await ours.alogin(DEMO_EMAIL, DEMO_PASSWORD)
    pairs = []

    async def static_call() -> object:
        return await sdk.users.me.asyncio(static)

    async def ours_call() -> object:
        return await sdk.users.me.asyncio(ours)

    await _task_slice(static_call, workers, WARMUP, ours_call)
    await _task_slice(ours_call, workers, WARMUP, static_call)
    before = control.counters()
    started = time.perf_counter()
    try:
        for n in range(rounds):
            if n % 2:
                o = await _task_slice(ours_call, workers, slice_s, static_call)
                s = await _task_slice(static_call, workers, slice_s, ours_call)
            else:
                s = await _task_slice(static_call, workers, slice_s, ours_call)
                o = await _task_slice(ours_call, workers, slice_s, static_call)
            pairs.append((s, o))
        wall = time.perf_counter() - started
    finally:
        await static.aclose()
        await ours.aclose()
        control.clear_faults()
    d = delta(before, control.counters())
    return _row("asyncio", ttl, latency, reuse, pairs, (d.refreshes + d.failed_refreshes,
                                                        d.unauthorized), wall)  # fmt: skip


def run(
    url: str, *, rounds: int, slice_s: float, workers: int, log: Callable[[str], None] = print
) -> list[InterleavedRow]:
    rows = []
    with Control(url) as control:
        for ttl, latency in CONFIGS:
            for reuse in (True, False):
                for mode in ("threads", "asyncio"):
                    if mode == "threads":
                        row = run_threads(url, control, ttl, latency, reuse, rounds=rounds,
                                          slice_s=slice_s, workers=workers)  # fmt: skip
                    else:
                        row = asyncio.run(_run_tasks(url, control, ttl, latency, reuse, rounds,
                                                     slice_s, workers))  # fmt: skip
                    log(
                        f"  interleaved {mode:7} ttl={ttl:g} s token={latency * 1e3:.0f} ms "
                        f"reuse={'on' if reuse else 'off':3} throughput={row.throughput:.2f} "
                        f"p99 {row.p99_static_ms:.1f} -> {row.p99_ours_ms:.1f} ms "
                        f"refreshes={row.refreshes} (lifetimes {row.lifetimes:.1f}) "
                        f"401s={row.unauthorized} "
                        f"failures ours/static={row.failures}/{row.static_failures}"
                        + (f" ({row.errors})" if row.errors else "")
                    )
                    rows.append(row)
    return rows
