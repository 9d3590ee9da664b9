"""Per-call overhead on a valid token: raw httpx (the floor), the static-token client, ours.

Every client calls ``GET /me`` on the same server (a separate process). Clients take turns
in interleaved rounds whose order rotates (A B C, B C A, C A B, ...), so drift on a shared
machine hits all of them and none is always first or last; each round also records the
client thread's CPU time (``time.thread_time``). Besides the median over all calls, each
row gives the median of the per-round ratios (each round's median ÷ the floor's median in
that round), the paired estimate that drift between rounds cannot move.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

import generated_sdk as sdk
from generated_sdk import SessionClient
from reference_server import DEMO_EMAIL, DEMO_PASSWORD

from ..server import login

FLOOR = "raw httpx + static header"
STATIC = "generated call, AuthenticatedClient"
OURS = "generated call, SessionClient"
CLIENTS = (FLOOR, STATIC, OURS)
WARMUP = 50


@dataclass
class Samples:
    latencies: list[float] = field(default_factory=list)  # seconds per call
    round_medians: list[float] = field(default_factory=list)
    cpu_per_call: list[float] = field(default_factory=list)  # per round


@dataclass(frozen=True)
class OverheadRow:
    client: str
    mode: str
    calls: int
    median_us: float
    p99_us: float
    ratio: float  # median / floor median (all calls)
    ratio_paired: float  # median over rounds of the per-round ratio
    ratio_min: float  # per-round ratio spread
    ratio_max: float
    cpu_us: float  # median over rounds of client-thread CPU per call
    cpu_ratio: float


def _rotated(n: int) -> tuple[str, ...]:
    """Round ``n``'s order: each client goes first, second and last equally often."""
    k = n % len(CLIENTS)
    return CLIENTS[k:] + CLIENTS[:k]


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


Result = tuple[list["OverheadRow"], dict[str, list[float]]]


def _result(mode: str, samples: dict[str, Samples]) -> Result:
    return _rows(mode, samples), {name: s.latencies for name, s in samples.items()}


def _rows(mode: str, samples: dict[str, Samples]) -> list[OverheadRow]:
    floor = samples[FLOOR]
    floor_median = statistics.median(floor.latencies)
    floor_cpu = statistics.median(floor.cpu_per_call)
    rows = []
    for name in CLIENTS:
        s = samples[name]
        per_round = [m / f for m, f in zip(s.round_medians, floor.round_medians, strict=True)]
        cpu = statistics.median(s.cpu_per_call)
        rows.append(
            OverheadRow(
                client=name,
                mode=mode,
                calls=len(s.latencies),
                median_us=statistics.median(s.latencies) * 1e6,
                p99_us=_p99(s.latencies) * 1e6,
                ratio=statistics.median(s.latencies) / floor_median,
                ratio_paired=statistics.median(per_round),
                ratio_min=min(per_round),
                ratio_max=max(per_round),
                cpu_us=cpu * 1e6,
                cpu_ratio=cpu / floor_cpu,
            )
        )
    return rows


def _sync_round(call: Callable[[], object], n: int, into: Samples) -> None:
    latencies = []
    cpu0 = time.thread_time()
    for _ in range(n):
        t0 = time.perf_counter()
        call()
        latencies.append(time.perf_counter() - t0)
    into.cpu_per_call.append((time.thread_time() - cpu0) / n)
    into.latencies.extend(latencies)
    into.round_medians.append(statistics.median(latencies))


def run_sync(url: str, *, calls: int, rounds: int) -> Result:
    token = str(login(url)["access_token"])
    raw = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"})
    static = sdk.AuthenticatedClient(base_url=url, token=token)
    ours = SessionClient(base_url=url)
    ours.login(DEMO_EMAIL, DEMO_PASSWORD)

    def floor_call() -> object:
        response = raw.get("/me")
        response.raise_for_status()
        return response.json()

    callers: dict[str, Callable[[], object]] = {
        FLOOR: floor_call,
        STATIC: lambda: sdk.users.me(static),
        OURS: lambda: sdk.users.me(ours),
    }
    samples = {name: Samples() for name in CLIENTS}
    try:
        for call in callers.values():
            for _ in range(WARMUP):
                call()
        per_round = max(1, calls // rounds)
        for n in range(rounds):
            for name in _rotated(n):
                _sync_round(callers[name], per_round, samples[name])
    finally:
        raw.close()
        static.close()
        ours.close()
    return _result("sync", samples)


async def _async_round(call: Callable[[], Awaitable[object]], n: int, into: Samples) -> None:
    latencies = []
    cpu0 = time.thread_time()
    for _ in range(n):
        t0 = time.perf_counter()
        await call()
        latencies.append(time.perf_counter() - t0)
    into.cpu_per_call.append((time.thread_time() - cpu0) / n)
    into.latencies.extend(latencies)
    into.round_medians.append(statistics.median(latencies))


async def _run_async(url: str, calls: int, rounds: int) -> Result:
    token = str(login(url)["access_token"])
    raw = httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"})
    static = sdk.AuthenticatedClient(base_url=url, token=token)
    ours = SessionClient(base_url=url)
    await ours.alogin(DEMO_EMAIL, DEMO_PASSWORD)

    async def floor_call() -> object:
        response = await raw.get("/me")
        response.raise_for_status()
        return response.json()

    async def static_call() -> object:
        return await sdk.users.me.asyncio(static)

    async def ours_call() -> object:
        return await sdk.users.me.asyncio(ours)

    callers: dict[str, Callable[[], Awaitable[object]]] = {
        FLOOR: floor_call,
        STATIC: static_call,
        OURS: ours_call,
    }
    samples = {name: Samples() for name in CLIENTS}
    try:
        for call in callers.values():
            for _ in range(WARMUP):
                await call()
        per_round = max(1, calls // rounds)
        for n in range(rounds):
            for name in _rotated(n):
                await _async_round(callers[name], per_round, samples[name])
    finally:
        await raw.aclose()
        await static.aclose()
        await ours.aclose()
    return _result("async", samples)


def run_async(url: str, *, calls: int, rounds: int) -> Result:
    return asyncio.run(_run_async(url, calls, rounds))
