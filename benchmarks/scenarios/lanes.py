"""Asyncio lanes against httpx's own transport, interleaved in short slices.

Raw ``httpx.AsyncClient`` with a static token, ``GET /me`` from N tasks, once over
``httpx.AsyncHTTPTransport`` and once over ``AsyncLaneTransport``, taking turns in
slices within one run. Reported per task count: throughput lanes ÷ plain (median
over rounds and its spread), p50/p99/max latency of each, and how many times a
request found the connection httpcore assigned it taken by another request (counted
at httpcore's own retry step, which this scenario observes).
"""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
from httpcore._async import connection_pool

from sdk_session.lanes import AsyncLaneTransport

from ..server import login
from .interleaved import Slice, _p, _task_slice

TASKS = (8, 32)
WARMUP = 0.3


@dataclass(frozen=True)
class LanesRow:
    tasks: int
    rounds: int
    throughput: float  # lanes / plain, median over rounds
    spread: str
    plain_ms: tuple[float, float, float]  # p50, p99, max
    lanes_ms: tuple[float, float, float]
    plain_lost: int
    lanes_lost: int


@contextmanager
def _counting(counts: dict[str, int], key: list[str]) -> Iterator[None]:
    """Count httpcore's "connection taken, queue again" steps under ``key[0]``."""
    original = connection_pool.AsyncPoolRequest.clear_connection

    def counted(self: connection_pool.AsyncPoolRequest) -> None:
        counts[key[0]] += 1
        original(self)

    connection_pool.AsyncPoolRequest.clear_connection = counted  # type: ignore[method-assign]
    try:
        yield
    finally:
        connection_pool.AsyncPoolRequest.clear_connection = original  # type: ignore[method-assign]


def _stats(slices: list[Slice]) -> tuple[float, float, float]:
    values = [x for s in slices for x in s.latencies]
    return (_p(values, 0.5) * 1e3, _p(values, 0.99) * 1e3, max(values, default=0.0) * 1e3)


async def _run(url: str, token: str, tasks: int, rounds: int, slice_s: float) -> LanesRow:
    headers = {"Authorization": f"Bearer {token}"}
    plain = httpx.AsyncClient(base_url=url, headers=headers, timeout=60)
    lanes = httpx.AsyncClient(
        base_url=url, headers=headers, timeout=60, transport=AsyncLaneTransport()
    )
    counts = {"plain": 0, "lanes": 0}
    key = ["plain"]

    def caller(client: httpx.AsyncClient) -> Callable[[], Awaitable[object]]:
        async def call() -> object:
            return (await client.get("/me")).json()

        return call

    pairs: list[tuple[Slice, Slice]] = []
    try:
        await _task_slice(caller(plain), tasks, WARMUP, None)
        await _task_slice(caller(lanes), tasks, WARMUP, None)
        with _counting(counts, key):
            for n in range(rounds):
                order = ("lanes", "plain") if n % 2 else ("plain", "lanes")  # ABBA
                got = {}
                for name in order:
                    key[0] = name
                    client = plain if name == "plain" else lanes
                    got[name] = await _task_slice(caller(client), tasks, slice_s, None)
                pairs.append((got["plain"], got["lanes"]))
    finally:
        await plain.aclose()
        await lanes.aclose()
    ratios = [b.calls / a.calls for a, b in pairs if a.calls]
    return LanesRow(
        tasks=tasks,
        rounds=len(pairs),
        throughput=statistics.median(ratios) if ratios else 0.0,
        spread=f"{min(ratios):.2f}-{max(ratios):.2f}" if ratios else "-",
        plain_ms=_stats([a for a, _ in pairs]),
        lanes_ms=_stats([b for _, b in pairs]),
        plain_lost=counts["plain"],
        lanes_lost=counts["lanes"],
    )


def run(
    url: str, *, rounds: int, slice_s: float, log: Callable[[str], None] = print
) -> list[LanesRow]:
    token = str(login(url)["access_token"])
    rows = []
    for tasks in TASKS:
        row = asyncio.run(_run(url, token, tasks, rounds, slice_s))
        log(
            f"  lanes tasks={tasks} throughput lanes/plain={row.throughput:.2f} ({row.spread}) "
            f"p99 {row.plain_ms[1]:.1f} -> {row.lanes_ms[1]:.1f} ms, max "
            f"{row.plain_ms[2]:.0f} -> {row.lanes_ms[2]:.0f} ms, lost races "
            f"{row.plain_lost} -> {row.lanes_lost}"
        )
        rows.append(row)
    return rows
