"""Soak: 1 s access tokens, several threads calling one client back to back for a while."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from reference_server import Control

from ..clients import Peer
from .common import delta, describe

TOKEN_TTL = 1.0
MAX_CALLS_PER_WORKER = 1_000_000


@dataclass(frozen=True)
class SoakRow:
    client: str
    workers: int
    seconds: float
    served: int  # GET /me requests the server received
    unauthorized: int  # 401s the server answered
    refreshes: int  # refresh requests (accepted + refused)
    logins: int  # logins after the first
    ok: int
    failures: int  # client-visible failures
    error: str = ""


def run_one(peer: Peer, url: str, control: Control, *, workers: int, seconds: float) -> SoakRow:
    control.reset()
    control.configure(access_ttl=TOKEN_TTL, reuse_detection=True)
    peer.reset()
    before = control.counters()
    ok = [0] * workers
    failed = [0] * workers
    errors: list[str] = []
    try:
        caller = peer.sync(url)
    except Exception as exc:
        d = delta(before, control.counters())
        return SoakRow(peer.name, workers, seconds, d.me, d.unauthorized, 0, 0, 0, 0,
                       "setup: " + describe(exc))  # fmt: skip
    deadline = time.monotonic() + seconds

    def worker(index: int) -> None:
        for _ in range(MAX_CALLS_PER_WORKER):
            if time.monotonic() >= deadline:
                return
            try:
                caller.call()
                ok[index] += 1
            except Exception as error:
                failed[index] += 1
                if not errors:
                    errors.append(describe(error))
                time.sleep(0.01)  # do not spin on a dead session

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 120.0)
    caller.close()
    d = delta(before, control.counters())
    return SoakRow(
        client=peer.name,
        workers=workers,
        seconds=seconds,
        served=d.me,
        unauthorized=d.unauthorized,
        refreshes=d.refreshes + d.failed_refreshes,
        logins=max(0, d.logins - 1),
        ok=sum(ok),
        failures=sum(failed),
        error=errors[0] if errors else "",
    )


def run(
    peers: list[Peer],
    url: str,
    *,
    workers: int,
    seconds: float,
    log: Callable[[str], None] = print,
) -> list[SoakRow]:
    rows = []
    with Control(url) as control:
        for peer in peers:
            row = run_one(peer, url, control, workers=workers, seconds=seconds)
            log(
                f"  soak {peer.name:34} served={row.served:<6} 401s={row.unauthorized:<5} "
                f"refreshes={row.refreshes:<5} logins={row.logins:<5} failures={row.failures:<5} "
                f"{row.error}"
            )
            rows.append(row)
    return rows
