"""A worker process sharing a token store: ``python store_worker.py CONFIG_JSON``.

Builds a ``SessionClient`` on the shared store (file, Redis, Redis Cluster or
Sentinel), prints
``ready``, waits for a line on stdin (the start barrier), then runs ``threads``
threads that each make ``calls`` authenticated calls (or call for ``duration``
seconds, pausing ``pause`` between calls; or, in ``renew`` mode, one forced
renewal). Prints a JSON summary as its last line: calls, ok, failures by kind.

``spend`` mode plays a lock holder that dies after the server rotated the
refresh token but before the new tokens were saved: it takes the store's lock,
redeems the refresh token with a raw request, prints ``spent`` and sleeps
(until the test kills it).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any

import httpx

from benchmarks.redis_fleet.servers import open_store
from generated_sdk import SessionClient
from sdk_session import FileTokenStore, SessionExpired, TokenStore

DEMO = ("demo@example.com", "demo-password")


def build_store(spec: dict[str, Any]) -> TokenStore:
    if spec["kind"] == "file":
        return FileTokenStore(spec["path"])
    return open_store(spec)  # one Redis, a cluster or Sentinel


def failure_kind(exc: BaseException) -> str:
    if isinstance(exc, SessionExpired):
        return f"SessionExpired:{exc.reason}"
    return type(exc).__name__


def main() -> None:
    config: dict[str, Any] = json.loads(sys.argv[1])
    store = build_store(config["store"])
    client = SessionClient(
        base_url=config["url"],
        store=store,
        credentials=(lambda: DEMO) if config.get("credentials") else None,
        timeout=30.0,
        httpx_args={"limits": httpx.Limits(max_connections=100, max_keepalive_connections=100)},
    )
    mode = config.get("mode", "calls")
    threads = int(config.get("threads", 1))
    calls_each = int(config.get("calls", 1))
    duration = float(config.get("duration", 0))
    pause = float(config.get("pause", 0))
    lock = threading.Lock()
    summary: dict[str, Any] = {"calls": 0, "ok": 0, "failures": {}}
    http = client.get_httpx_client()

    def record(kind: str | None) -> None:
        with lock:
            summary["calls"] += 1
            if kind is None:
                summary["ok"] += 1
            else:
                summary["failures"][kind] = summary["failures"].get(kind, 0) + 1

    def one() -> None:
        try:
            if mode == "renew":
                client.renew()
                record(None)
                return
            status = http.get("/items", params={"limit": 1}).status_code
        except Exception as exc:
            record(failure_kind(exc))
        else:
            record(None if status == 200 else f"HTTP {status}")

    def work() -> None:
        if duration > 0:
            until = time.monotonic() + duration
            while time.monotonic() < until:
                one()
                time.sleep(pause)
        else:
            for _ in range(calls_each):
                one()

    if mode == "spend":
        print("ready", flush=True)
        sys.stdin.readline()
        with store.refresh_lock(10):
            tokens = store.load()
            assert tokens is not None
            request = client.binding.refresh_request(httpx.URL(config["url"]), tokens)
            with httpx.Client() as raw:
                assert raw.send(request).status_code == 200
            print("spent", flush=True)
            time.sleep(600)
        return

    pool = [threading.Thread(target=work) for _ in range(threads)]
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.monotonic()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    summary["elapsed"] = round(time.monotonic() - started, 3)
    http.close()
    print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
