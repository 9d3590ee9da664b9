"""Refresh storm: the access token has expired, then N calls start at once.

Async: N asyncio tasks on one client. Threads: N threads sharing one client, released
together by a barrier. Counted by the server: refresh calls (accepted + refused), logins,
reuse detections; counted by the client: failed calls.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from reference_server import Control

from ..clients import Peer
from .common import delta, describe

TOKEN_TTL = 1.0
"""Lifetime of the token the client logs in with: it has expired when the storm starts."""
REFRESHED_TTL = 300.0
"""Lifetime of tokens issued once the storm starts, so none expires again mid-storm (1000
queued requests on a shared 2-core machine take many seconds)."""
CALL_DEADLINE = 120.0


@dataclass(frozen=True)
class StormRow:
    client: str
    mode: str  # "asyncio" or "threads"
    n: int
    reuse_detection: bool
    refreshes: int  # refresh requests the server saw (accepted + refused)
    logins: int
    reuse_detected: int
    failures: int
    wall_s: float
    error: str = ""
    renewed_ttl: float = REFRESHED_TTL


def _wait_expired(issued: float) -> None:
    # Authlib stores whole seconds, so give every client's clock a clear margin.
    time.sleep(max(0.0, issued + TOKEN_TTL + 1.05 - time.monotonic()))


def _threads(
    peer: Peer, url: str, n: int, on_ready: Callable[[], None]
) -> tuple[int, str, float, Callable[[], None]]:
    caller = peer.sync(url)
    issued = time.monotonic()
    on_ready()
    _wait_expired(issued)
    barrier = threading.Barrier(n, timeout=30.0)
    errors: list[str] = []
    lock = threading.Lock()

    def one() -> None:
        try:
            barrier.wait()
            caller.call()
        except Exception as error:
            with lock:
                errors.append(describe(error))

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=n) as pool:
        for _ in range(n):
            pool.submit(one)
    wall = time.perf_counter() - started
    return len(errors), (errors[0] if errors else ""), wall, caller.close


async def _tasks(
    peer: Peer, url: str, n: int, on_ready: Callable[[], None]
) -> tuple[int, str, float]:
    caller = await peer.async_(url)
    on_ready()
    try:
        await asyncio.sleep(TOKEN_TTL + 1.05)
        started = time.perf_counter()
        tasks = [asyncio.ensure_future(caller.call()) for _ in range(n)]
        done, pending = await asyncio.wait(tasks, timeout=CALL_DEADLINE)
        wall = time.perf_counter() - started
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=10.0)
    finally:
        await caller.aclose()
    errors = [describe(e) for t in done if (e := t.exception()) is not None]
    failures = len(errors) + len(pending)
    if pending:
        errors.append(f"{len(pending)} calls unfinished after {CALL_DEADLINE:.0f} s, cancelled")
    return failures, (errors[0] if errors else ""), wall


def run_one(
    peer: Peer,
    url: str,
    control: Control,
    *,
    mode: str,
    n: int,
    reuse_detection: bool,
    renewed_ttl: float = REFRESHED_TTL,
) -> StormRow:
    control.reset()
    control.configure(access_ttl=TOKEN_TTL, reuse_detection=reuse_detection)
    peer.reset()
    error = ""
    failures = n
    wall = 0.0
    before = control.counters()

    def on_ready() -> None:  # the client holds its short-lived token; renewals live long
        control.configure(access_ttl=renewed_ttl)

    try:
        if mode == "threads":
            failures, error, wall, close = _threads(peer, url, n, on_ready)
            close()
        else:
            failures, error, wall = asyncio.run(_tasks(peer, url, n, on_ready))
    except Exception as exc:  # a peer that cannot run the scenario at all
        error = "setup: " + describe(exc)
    after = control.counters()
    d = delta(before, after)
    return StormRow(
        client=peer.name,
        mode=mode,
        n=n,
        reuse_detection=reuse_detection,
        refreshes=d.refreshes + d.failed_refreshes,
        logins=max(0, d.logins - 1),  # minus the initial login
        reuse_detected=d.reuse_detected,
        failures=failures,
        wall_s=wall,
        error=error,
        renewed_ttl=renewed_ttl,
    )


def run(
    peers: list[Peer],
    url: str,
    *,
    tasks: int,
    threads: int,
    reuse_modes: tuple[bool, ...] = (True, False),
    log: Callable[[str], None] = print,
) -> list[StormRow]:
    rows: list[StormRow] = []
    with Control(url) as control:
        for reuse in reuse_modes:
            for mode, n in (("asyncio", tasks), ("threads", threads)):
                for peer in peers:
                    row = run_one(peer, url, control, mode=mode, n=n, reuse_detection=reuse)
                    log(
                        f"  storm {mode:7} n={n:<5} reuse={'on' if reuse else 'off':3} "
                        f"{peer.name:34} refreshes={row.refreshes:<4} logins={row.logins:<4} "
                        f"failures={row.failures:<4} {row.wall_s:6.2f} s {row.error}"
                    )
                    rows.append(row)
        # The variant whose queue outlasts the renewed tokens too (1 s): ours only.
        ours = [p for p in peers if p.name.startswith("ours")]
        for peer in ours:
            row = run_one(
                peer, url, control, mode="asyncio", n=tasks, reuse_detection=True, renewed_ttl=1.0
            )
            log(
                f"  storm asyncio n={tasks:<5} renewed 1 s {peer.name:34} "
                f"refreshes={row.refreshes:<4} failures={row.failures:<4} {row.wall_s:6.2f} s "
                f"{row.error}"
            )
            rows.append(row)
    return rows
