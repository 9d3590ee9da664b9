"""Bytecodes each call executes, per function, counted by a tracer (not part of ``make bench``).

    .venv/bin/python -m benchmarks.bytecodes [--calls N] [--top N] [--async]

Raw httpx, the static-token generated call and the session client each call ``GET /me``
on an ``httpx.MockTransport`` (no network, no timing); ``sys.settrace`` with opcode
events counts every bytecode the interpreter runs in Python code, per function. The
table lists what the session client runs beyond the static-token call, function by
function (negative: what it runs less). A count does not move with the machine's load, so
it shows what a change to the path removed; how much of the clock a bytecode costs depends
on what the CPU caches hold (see the README's per-call figures).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import FrameType
from typing import Any

import httpx

import generated_sdk as sdk
from generated_sdk import SessionClient
from sdk_session import MemoryTokenStore, TokenSet

USER = {"id": 1, "email": "demo@example.com", "name": "Demo", "created_at": "2024-01-01T00:00:00Z"}
URL = "http://127.0.0.1:9"
WARMUP = 200
Key = tuple[str, str]


def _answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=USER)


_ROOT = str(Path(__file__).resolve().parents[1]) + os.sep
_INSTALLED = "site-packages" + os.sep


def _where(code: Any) -> Key:
    """``code``'s file, short: relative to this checkout or to site-packages."""
    name = str(code.co_filename)
    if _INSTALLED in name:
        name = name.split(_INSTALLED, 1)[1]
    elif name.startswith(_ROOT):
        name = name[len(_ROOT) :]
    return name, str(code.co_name)


def _counting(counts: Counter[Key]) -> Callable[[FrameType, str, Any], Any]:
    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        frame.f_trace_opcodes = True
        if event == "opcode":
            counts[_where(frame.f_code)] += 1
        return tracer

    return tracer


def _session(mock: httpx.MockTransport) -> SessionClient:
    now = time.time()
    tokens = TokenSet(access_token="a", refresh_token="r", expires_at=now + 9e3, obtained_at=now)
    return SessionClient(
        base_url=URL, store=MemoryTokenStore(tokens), httpx_args={"transport": mock}
    )


def count_sync(calls: int) -> dict[str, Counter[Key]]:
    raw = httpx.Client(
        base_url=URL, headers={"Authorization": "Bearer a"}, transport=httpx.MockTransport(_answer)
    )
    static = sdk.AuthenticatedClient(
        base_url=URL, token="a", httpx_args={"transport": httpx.MockTransport(_answer)}
    )
    ours = _session(httpx.MockTransport(_answer))
    clients: dict[str, Callable[[], object]] = {
        "raw": lambda: raw.get("/me").raise_for_status().json(),
        "static": lambda: sdk.users.me(static),
        "ours": lambda: sdk.users.me(ours),
    }
    counted: dict[str, Counter[Key]] = {}
    for name, call in clients.items():
        for _ in range(WARMUP):
            call()
        counts: Counter[Key] = Counter()
        sys.settrace(_counting(counts))
        try:
            for _ in range(calls):
                call()
        finally:
            sys.settrace(None)
        counted[name] = counts
    return counted


async def _count_async(calls: int) -> dict[str, Counter[Key]]:
    raw = httpx.AsyncClient(
        base_url=URL, headers={"Authorization": "Bearer a"}, transport=httpx.MockTransport(_answer)
    )
    static = sdk.AuthenticatedClient(
        base_url=URL, token="a", httpx_args={"transport": httpx.MockTransport(_answer)}
    )
    ours = _session(httpx.MockTransport(_answer))

    async def raw_call() -> object:
        return (await raw.get("/me")).raise_for_status().json()

    async def static_call() -> object:
        return await sdk.users.me.asyncio(static)

    async def ours_call() -> object:
        return await sdk.users.me.asyncio(ours)

    clients: dict[str, Callable[[], Awaitable[object]]] = {
        "raw": raw_call,
        "static": static_call,
        "ours": ours_call,
    }
    counted: dict[str, Counter[Key]] = {}
    for name, call in clients.items():
        for _ in range(WARMUP):
            await call()
        counts: Counter[Key] = Counter()
        sys.settrace(_counting(counts))
        try:
            for _ in range(calls):
                await call()
        finally:
            sys.settrace(None)
        counted[name] = counts
    await ours.aclose()
    return counted


def table(counted: dict[str, Counter[Key]], calls: int, top: int) -> str:
    totals = {name: sum(counts.values()) / calls for name, counts in counted.items()}
    lines = [
        f"Bytecodes per call: raw httpx {totals['raw']:.0f}, static-token call "
        f"{totals['static']:.0f}, session client {totals['ours']:.0f} "
        f"(+{totals['ours'] - totals['static']:.0f} over the static-token call)\n",
        "| bytecodes / call, session client minus static-token call | function |",
        "|---|---|",
    ]
    ours, static = counted["ours"], counted["static"]
    diff = {key: (ours[key] - static[key]) / calls for key in set(ours) | set(static)}
    ranked = sorted(diff.items(), key=lambda item: -abs(item[1]))
    for (path, function), value in ranked[:top]:
        lines.append(f"| {value:+.1f} | `{path}:{function}` |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bytecodes")
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--async", dest="run_async", action="store_true")
    args = parser.parse_args(argv)
    if args.calls < 1:
        parser.error("--calls must be at least 1")
    run_async = args.run_async
    counted = asyncio.run(_count_async(args.calls)) if run_async else count_sync(args.calls)
    print(table(counted, args.calls, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
