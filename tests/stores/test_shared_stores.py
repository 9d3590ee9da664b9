"""Many processes sharing one store (file, then Redis) against the reference server.

Counts come from the server (refreshes, reuse detection, 401s), failures from
the workers; both are added to the session report (see conftest.report).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from benchmarks.redis_fleet.processes import Node
from benchmarks.redis_fleet.servers import open_store as redis_store
from generated_sdk.session import Binding as ItemsBinding
from reference_server.testing import Upstream
from sdk_session import FileTokenStore, SessionAuth, SessionExpired, TokenStore
from sdk_session.stores import RedisTokenStore

from .conftest import Workers, total

KINDS = ["file", "redis"]
PROCESSES = 8
DEMO = ("demo@example.com", "demo-password")


def store_spec(kind: str, request: pytest.FixtureRequest, tmp_path: Path, **extra: Any) -> Any:
    if kind == "file":
        return {"kind": "file", "path": str(tmp_path / "session.json")}
    server: Node = request.getfixturevalue("redis_server")
    prefix: str = request.getfixturevalue("prefix")
    return {"kind": "redis", "url": server.url, "prefix": prefix, **extra}


def open_store(spec: dict[str, Any]) -> TokenStore:
    if spec["kind"] == "file":
        return FileTokenStore(spec["path"])
    return redis_store(spec)


def log_in(upstream: Upstream, store: TokenStore, *, access_ttl: float) -> None:
    upstream.control.configure(access_ttl=access_ttl)
    auth = SessionAuth(upstream.url, store=store, binding=ItemsBinding())
    with httpx.Client(base_url=upstream.url, auth=auth) as client:
        auth.login(client, *DEMO)


def counts(upstream: Upstream, summary: dict[str, Any], **more: Any) -> dict[str, Any]:
    server = upstream.control.counters()
    return {
        "refreshes": server.refreshes,
        "failed_refreshes": server.failed_refreshes,
        "logins": server.logins,
        "reuse_detected": server.reuse_detected,
        "unauthorized_401s": server.unauthorized,
        "requests": sum(server.requests.values()),
        "calls": summary["calls"],
        "failures": sum(summary["failures"].values()),
        "failure_kinds": summary["failures"],
        **more,
    }


@pytest.mark.parametrize("kind", KINDS)
def test_storm_one_refresh_for_200_callers(
    kind: str,
    upstream: Upstream,
    workers: Workers,
    report: dict[str, Any],
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    """8 processes x 25 threads hit an expired token together: one refresh, no failure."""
    spec = store_spec(kind, request, tmp_path)
    log_in(upstream, open_store(spec), access_ttl=0.3)
    upstream.control.configure(access_ttl=60, reuse_detection=True)
    procs = workers.spawn({"store": spec, "url": upstream.url, "threads": 25}, PROCESSES)
    time.sleep(0.4)  # the stored token is expired for every process
    workers.go(procs)
    summary = total(workers.results(procs, timeout=60))
    entry = counts(upstream, summary)
    report[f"storm[{kind}]"] = entry
    assert summary["calls"] == PROCESSES * 25
    assert summary["failures"] == {}
    assert (entry["refreshes"], entry["failed_refreshes"], entry["reuse_detected"]) == (1, 0, 0)
    assert entry["logins"] == 1


@pytest.mark.parametrize("kind", KINDS)
def test_soak_short_lived_tokens(
    kind: str,
    upstream: Upstream,
    workers: Workers,
    report: dict[str, Any],
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    """8 processes call for 20 s with 1 s access tokens: refreshes track the lifetime."""
    duration, ttl = 20.0, 1.0
    spec = store_spec(kind, request, tmp_path)
    log_in(upstream, open_store(spec), access_ttl=ttl)
    config = {
        "store": spec,
        "url": upstream.url,
        "threads": 2,
        "duration": duration,
        "pause": 0.1,
    }
    procs = workers.spawn(config, PROCESSES)
    workers.go(procs)
    started = time.monotonic()
    summary = total(workers.results(procs, timeout=duration + 60))
    elapsed = time.monotonic() - started
    effective = ttl * 0.9  # refreshed proactively at 90 % of the lifetime (default leeway cap)
    entry = counts(
        upstream, summary, seconds=round(elapsed, 1), expected=round(elapsed / effective)
    )
    report[f"soak[{kind}]"] = entry
    assert summary["failures"] == {}
    assert entry["reuse_detected"] == 0 and entry["failed_refreshes"] == 0
    assert duration / ttl * 0.5 <= entry["refreshes"] <= duration / ttl * 2 + 2


def _wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


@pytest.mark.parametrize("with_credentials", [True, False], ids=["provider", "no-provider"])
def test_kill_9_of_the_lock_holder_during_a_slow_refresh(
    with_credentials: bool,
    upstream: Upstream,
    redis_server: Node,
    prefix: str,
    workers: Workers,
    report: dict[str, Any],
) -> None:
    """The holder dies while its refresh is in flight; another takes over after the lease.

    The reference server drops a refresh whose client went away before it read
    the body, so the old refresh token is still good: the takeover refreshes once.
    """
    lease = 2.0
    spec = {"kind": "redis", "url": redis_server.url, "prefix": prefix, "lease": lease}
    log_in(upstream, open_store(spec), access_ttl=0.3)
    upstream.control.configure(access_ttl=60)
    time.sleep(0.4)
    upstream.control.fault("refresh", latency=1.0, count=1)
    common = {"store": spec, "url": upstream.url, "credentials": with_credentials}
    (holder,) = workers.spawn({**common, "mode": "renew"}, 1)
    others = workers.spawn({**common, "threads": 5}, 3)

    workers.go([holder])
    _wait_for(lambda: upstream.control.counters().requests["refresh"] >= 1, 20, "the refresh")
    lock_client = redis.Redis.from_url(redis_server.url)
    assert lock_client.exists(f"{{{prefix}}}:lock")
    lock_client.close()
    workers.go(others)
    time.sleep(0.2)  # they queue on the lock
    killed = time.monotonic()
    os.kill(holder.pid, 9)
    summary = total(workers.results(others, timeout=30))
    recovery = time.monotonic() - killed

    name = "provider" if with_credentials else "no provider"
    entry = counts(upstream, summary, recovery_seconds=round(recovery, 2), lease=lease)
    report[f"kill9-slow-refresh[redis, {name}]"] = entry
    assert summary["failures"] == {}
    assert recovery < lease + 3.0
    assert (entry["refreshes"], entry["reuse_detected"], entry["logins"]) == (1, 0, 1)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("with_credentials", [True, False], ids=["provider", "no-provider"])
def test_kill_9_of_a_holder_that_spent_the_refresh_token(
    kind: str,
    with_credentials: bool,
    upstream: Upstream,
    workers: Workers,
    report: dict[str, Any],
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    """The rotated refresh token dies with its holder: one re-login, or SessionExpired for all.

    Never a hang and never a loop: the takeover's refresh is refused as reused
    (the server revokes the family), then either the credentials provider logs
    in once and everybody resends, or every waiting caller gets SessionExpired.
    """
    lease = 2.0
    spec = store_spec(kind, request, tmp_path, lease=lease)
    log_in(upstream, open_store(spec), access_ttl=0.3)
    upstream.control.configure(access_ttl=60)
    time.sleep(0.4)
    common = {"store": spec, "url": upstream.url, "credentials": with_credentials}
    (holder,) = workers.spawn({**common, "mode": "spend"}, 1)
    others = workers.spawn({**common, "threads": 5}, 3)
    workers.go([holder])
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "spent"
    workers.go(others)
    time.sleep(0.2)
    killed = time.monotonic()
    os.kill(holder.pid, 9)
    summary = total(workers.results(others, timeout=30))
    recovery = time.monotonic() - killed

    name = "provider" if with_credentials else "no provider"
    entry = counts(upstream, summary, recovery_seconds=round(recovery, 2))
    report[f"kill9-spent-token[{kind}, {name}]"] = entry
    assert recovery < lease + 3.0
    assert (entry["refreshes"], entry["failed_refreshes"], entry["reuse_detected"]) == (1, 1, 1)
    if with_credentials:
        assert summary["failures"] == {}
        assert entry["logins"] == 2  # the first login and the one recovery
    else:
        assert summary["failures"] == {"SessionExpired:rejected": 15}
        assert entry["logins"] == 1
        assert open_store(spec).load() is None


def test_no_provider_caller_gets_session_expired_in_process(
    upstream: Upstream, redis_server: Node, prefix: str
) -> None:
    """A refused refresh without a provider: SessionExpired, and the store is cleared."""
    store = RedisTokenStore(redis_server.url, prefix=prefix)
    log_in(upstream, store, access_ttl=0.2)
    upstream.control.forget_sessions()
    time.sleep(0.3)
    auth = SessionAuth(upstream.url, store=store, binding=ItemsBinding())
    with httpx.Client(base_url=upstream.url, auth=auth) as client, pytest.raises(SessionExpired):
        client.get("/items")
    assert store.load() is None
    store.close()
