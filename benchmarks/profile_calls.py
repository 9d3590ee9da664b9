"""Profile the per-call path on a valid token with cProfile (not part of ``make bench``).

    .venv/bin/python -m benchmarks.profile_calls [--calls N] [--top N] [--async]

Starts the reference server in its own process, logs in, warms up, then profiles
``N`` sequential ``GET /me`` calls through ``SessionClient`` and through the
static-token ``AuthenticatedClient`` and prints the top functions by own time
(``tottime``) and by cumulative time, so what the session layer adds is visible
next to what httpx and the generated call cost anyway.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import sys
from collections.abc import Awaitable, Callable

import generated_sdk as sdk
from generated_sdk import SessionClient
from reference_server import DEMO_EMAIL, DEMO_PASSWORD

from .server import login, server_process

WARMUP = 200


def _package(filename: str) -> str:
    for marker in ("sdk_session", "generated_sdk", "httpx", "httpcore", "h11", "anyio", "attrs"):
        if f"/{marker}/" in filename:
            return marker
    if filename.startswith("~") or filename == "<built-in>":
        return "builtins"
    return "stdlib/other"


def _by_package(stats: pstats.Stats, calls: int) -> str:
    """Own time and function calls per call, grouped by package."""
    own: dict[str, list[float]] = {}
    for (filename, _, _), (_, ncalls, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        entry = own.setdefault(_package(filename), [0.0, 0.0])
        entry[0] += tottime
        entry[1] += ncalls
    lines = [f"   {'package':14} {'own µs/call':>12} {'calls/call':>11}"]
    for name, (tottime, ncalls) in sorted(own.items(), key=lambda kv: -kv[1][0]):
        lines.append(f"   {name:14} {tottime / calls * 1e6:12.1f} {ncalls / calls:11.1f}")
    return "\n".join(lines) + "\n"


def _ours(stats: pstats.Stats, calls: int, top: int) -> str:
    """The session layer's own functions by own time per call (what it adds)."""
    rows = []
    for (filename, line, function), (_, ncalls, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        if "/sdk_session/" in filename:
            where = f"{filename.split('/sdk_session/')[-1]}:{line}({function})"
            rows.append((tottime, ncalls, where))
    if not rows:
        return ""
    lines = [f"   {'sdk_session function':56} {'own µs/call':>12} {'calls/call':>11}"]
    for tottime, ncalls, where in sorted(rows, reverse=True)[:top]:
        lines.append(f"   {where:56} {tottime / calls * 1e6:12.2f} {ncalls / calls:11.2f}")
    return "\n".join(lines) + "\n"


def _report(name: str, profile: cProfile.Profile, calls: int, top: int) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    out.write(f"== {name}: {calls} calls, total {stats.total_tt:.3f} s ")  # type: ignore[attr-defined]
    out.write(f"({stats.total_tt / calls * 1e6:.0f} µs/call under the profiler)\n")  # type: ignore[attr-defined]
    out.write(_by_package(stats, calls))
    out.write(_ours(stats, calls, top))
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def _sync(url: str, calls: int, top: int) -> None:
    static = sdk.AuthenticatedClient(base_url=url, token=str(login(url)["access_token"]))
    ours = SessionClient(base_url=url)
    ours.login(DEMO_EMAIL, DEMO_PASSWORD)
    for name, client in (("sync AuthenticatedClient", static), ("sync SessionClient", ours)):
        for _ in range(WARMUP):
            sdk.users.me(client)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(calls):
            sdk.users.me(client)
        profile.disable()
        print(_report(name, profile, calls, top))
    static.close()
    ours.close()


async def _async(url: str, calls: int, top: int) -> None:
    static = sdk.AuthenticatedClient(base_url=url, token=str(login(url)["access_token"]))
    ours = SessionClient(base_url=url)
    await ours.alogin(DEMO_EMAIL, DEMO_PASSWORD)
    clients: list[tuple[str, Callable[[], Awaitable[object]]]] = [
        ("async AuthenticatedClient", lambda: sdk.users.me.asyncio(static)),
        ("async SessionClient", lambda: sdk.users.me.asyncio(ours)),
    ]
    for name, call in clients:
        for _ in range(WARMUP):
            await call()
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(calls):
            await call()
        profile.disable()
        print(_report(name, profile, calls, top))
    await static.aclose()
    await ours.aclose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_calls")
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--async", dest="use_async", action="store_true")
    args = parser.parse_args(argv)
    with server_process() as url:
        if args.use_async:
            asyncio.run(_async(url, args.calls, args.top))
        else:
            _sync(url, args.calls, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
