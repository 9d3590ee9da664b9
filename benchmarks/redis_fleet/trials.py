"""Failover trials against a real Cluster or Sentinel group and the reference server.

``failover_trial``: log in, refresh, ``kill -9`` the primary right after the
save returned, wait for the failover, refresh again. With reuse detection on,
a new primary that lost the last save still holds the spent refresh token: the
upstream revokes the session and the credentials provider logs in again (a
lost session). ``lag=True`` first stalls the replica for ``STALL`` seconds and
cuts its link (a congested host), so the save is not on the replica when the
primary dies unless the store waited for it.

``soak``: several stores (as separate processes would have) call for a while
with short-lived tokens while the primary is killed; every outcome is timed.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from generated_sdk import SessionClient
from reference_server import Control
from sdk_session import SessionExpired, StoreUnavailable, TokenSet
from sdk_session.stores.redis import RedisTokenStore, ReplicationUnconfirmed

from .servers import Node, open_store, stall_replica, wait_until

DEMO = ("demo@example.com", "demo-password")
RECOVERY_TIMEOUT = 30.0
STALL = 0.2


class Fleet(Protocol):
    def spec(self, prefix: str, **extra: Any) -> dict[str, Any]: ...

    def primary_of(self, key: str) -> Node: ...

    def replica_of(self, key: str) -> Node: ...

    def kill_primary_of(self, key: str) -> Node: ...

    def restore(self, victim: Node, key: str, timeout: float = 30.0) -> None: ...

    def healthy(self) -> bool: ...


class TimedStore:
    """Wraps a store's ``save`` to note when it returned (the kill is timed from there)."""

    def __init__(self, store: RedisTokenStore) -> None:
        self.store = store
        self.saved_at = 0.0
        self.unconfirmed: list[ReplicationUnconfirmed] = []
        store.on_unreplicated = self.unconfirmed.append
        original = store.save

        def save(tokens: TokenSet | None) -> TokenSet | None:
            saved = original(tokens)
            self.saved_at = time.monotonic()
            return saved

        store.save = save  # type: ignore[method-assign]


def session_key(prefix: str) -> str:
    return f"{{{prefix}}}:session"


def _client(store: RedisTokenStore, upstream_url: str) -> SessionClient:
    return SessionClient(base_url=upstream_url, store=store, credentials=lambda: DEMO, timeout=10.0)


@dataclass(frozen=True)
class TrialResult:
    wait: bool
    lag: bool
    kill_delay_ms: float
    window_s: float
    unavailable: int
    other_failures: int
    unconfirmed: int
    reuse_detected: int
    relogins: int

    @property
    def lost(self) -> bool:
        """The session did not survive: revoked upstream, logged in again, or an error."""
        return self.reuse_detected > 0 or self.relogins > 0 or self.other_failures > 0


def failover_trial(
    fleet: Fleet,
    upstream_url: str,
    control: Control,
    *,
    prefix: str,
    wait: bool,
    lag: bool = False,
    store_options: dict[str, Any] | None = None,
) -> TrialResult:
    # A trial starts on a replicated deployment: every primary's replica connected and caught
    # up (a node restored by the previous trial may still be syncing).
    wait_until(fleet.healthy, RECOVERY_TIMEOUT, "a healthy deployment before the trial")
    control.reset()
    control.configure(access_ttl=60, reuse_detection=True)
    options: dict[str, Any] = {**(store_options or {}), "wait_replicas": None if wait else 0}
    timed = TimedStore(open_store(fleet.spec(prefix), **options))
    key = session_key(prefix)
    unavailable = other = 0
    with _client(timed.store, upstream_url) as client:
        client.login(*DEMO)
        victim = fleet.primary_of(key)  # looked up first: nothing between save and kill
        stall = None
        if lag:
            stall = stall_replica(victim, fleet.replica_of(key), STALL)
        client.renew()
        victim.kill()
        killed = time.monotonic()
        kill_delay = killed - timed.saved_at
        if stall is not None:
            stall.join()  # the replica resumes, finds its primary gone
        unconfirmed = len(timed.unconfirmed)  # later saves find no replica until the restore
        http = client.get_httpx_client()
        window = RECOVERY_TIMEOUT
        renewed = False
        while time.monotonic() - killed < RECOVERY_TIMEOUT:
            try:
                if window == RECOVERY_TIMEOUT:
                    http.get("/items").raise_for_status()
                    window = time.monotonic() - killed
                client.renew()  # spends whatever refresh token the new primary holds
                renewed = True
                break
            except StoreUnavailable:
                unavailable += 1
                time.sleep(0.05)
            except (SessionExpired, httpx.HTTPError, Exception):
                other += 1
                break
        if not renewed:
            other += 1
    timed.store.close()
    fleet.restore(victim, key)
    counters = control.counters()
    return TrialResult(
        wait=wait,
        lag=lag,
        kill_delay_ms=kill_delay * 1000,
        window_s=window,
        unavailable=unavailable,
        other_failures=other,
        unconfirmed=unconfirmed,
        reuse_detected=counters.reuse_detected,
        relogins=counters.logins - 1,
    )


@dataclass
class SoakResult:
    seconds: float
    calls: int = 0
    ok: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    first_failure_s: float | None = None  # after the kill
    last_failure_s: float | None = None
    last_ok_s: float | None = None  # after the kill: a later success shows recovery
    slowest_failure_s: float = 0.0
    timeline: list[tuple[float, str, float]] = field(default_factory=list)  # since kill
    refreshes: int = 0
    reuse_detected: int = 0
    relogins: int = 0

    @property
    def other_failures(self) -> int:
        return sum(n for kind, n in self.failures.items() if kind != "StoreUnavailable")


def soak(
    fleet: Fleet,
    upstream_url: str,
    control: Control,
    *,
    prefix: str,
    seconds: float = 20.0,
    kill_after: float = 5.0,
    stores: int = 4,
    threads: int = 3,
    pause: float = 0.05,
    access_ttl: float = 1.0,
) -> SoakResult:
    """``stores`` x ``threads`` callers for ``seconds``; the primary dies ``kill_after`` in."""
    control.reset()
    control.configure(access_ttl=access_ttl, reuse_detection=True)
    spec = fleet.spec(prefix)
    clients = [_client(open_store(spec), upstream_url) for _ in range(stores)]
    clients[0].login(*DEMO)
    result = SoakResult(seconds)
    lock = threading.Lock()
    killed_at: list[float] = []
    started = time.monotonic()

    def call(client: SessionClient) -> None:
        http = client.get_httpx_client()
        while time.monotonic() - started < seconds:
            begun = time.monotonic()
            kind = None
            try:
                status = http.get("/items", params={"limit": 1}).status_code
                kind = None if status == 200 else f"HTTP {status}"
            except Exception as exc:
                kind = type(exc).__name__
            ended = time.monotonic()
            with lock:
                result.calls += 1
                if kind is None:
                    result.ok += 1
                    if killed_at:
                        result.last_ok_s = ended - killed_at[0]
                else:
                    result.failures[kind] += 1
                    result.slowest_failure_s = max(result.slowest_failure_s, ended - begun)
                    if killed_at:
                        since = ended - killed_at[0]
                        result.timeline.append((since, kind, ended - begun))
                        if result.first_failure_s is None:
                            result.first_failure_s = since
                        result.last_failure_s = since
            time.sleep(pause)

    workers = [
        threading.Thread(target=call, args=(client,), daemon=True)
        for client in clients
        for _ in range(threads)
    ]
    for worker in workers:
        worker.start()
    time.sleep(kill_after)
    key = session_key(prefix)
    victim = fleet.kill_primary_of(key)
    killed_at.append(time.monotonic())
    fleet.restore(victim, key)  # restarted once the failover is done, as an operator would
    for worker in workers:
        worker.join(seconds + 30)
    for client in clients:
        client.close()
        client.store.close()  # type: ignore[attr-defined]
    counters = control.counters()
    result.refreshes = counters.refreshes
    result.reuse_detected = counters.reuse_detected
    result.relogins = counters.logins - 1
    return result


def save_latency(fleet: Fleet, *, prefix: str, saves: int = 100) -> dict[bool, list[float]]:
    """Seconds per save with WAIT on and off, interleaved, on a healthy deployment."""
    tokens = TokenSet.issue(access_token="A", refresh_token="R", expires_in=60, now=1000.0)
    stores = {
        wait: open_store(fleet.spec(prefix), wait_replicas=None if wait else 0)
        for wait in (True, False)
    }
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(saves):
        for wait, store in stores.items():
            with store.refresh_lock(5):
                started = time.perf_counter()
                store.save(tokens)
                times[wait].append(time.perf_counter() - started)
    for store in stores.values():
        store.close()
    return times
