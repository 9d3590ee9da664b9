"""Test helpers: run a small ASGI app over real TCP on 127.0.0.1, collect errors, etc."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import uvicorn

POOL = httpx.Limits(max_connections=100, max_keepalive_connections=100)
"""Connection limits for clients shared by many threads. With httpx's default of 20
keep-alive connections, the pool closes surplus connections while other threads use
the pool, and httpcore then occasionally fails a request with EBADF (seen with plain
httpx and 200 threads, no session layer involved); keeping every connection avoids it."""

WAIT = 20.0
"""Upper bound of every wait in these tests (joins, gathers); counts are asserted, not timings."""


@contextlib.contextmanager
def serve_app(app: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a daemon thread on a free 127.0.0.1 port; yield its URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(512)
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(WAIT)
        sock.close()


def run_threads(
    count: int, target: Callable[[int], object]
) -> tuple[list[object], list[BaseException]]:
    """Run ``target(i)`` in ``count`` threads released together; (results, errors)."""
    barrier = threading.Barrier(count)
    results: list[object] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(i: int) -> None:
        barrier.wait(WAIT)
        try:
            value = target(i)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        else:
            with lock:
                results.append(value)

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results, errors


class HeaderRecorder:
    """An httpx response hook that records the Authorization header each answered request
    carried (a request hook runs before the dispatch transport signs the request)."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str | None]] = []
        self._lock = threading.Lock()

    def __call__(self, response: httpx.Response) -> None:
        request = response.request
        with self._lock:
            self.seen.append((request.url.path, request.headers.get("authorization")))

    async def hook(self, response: httpx.Response) -> None:
        self(response)


class Clock:
    """Our clock, shiftable: tests move it instead of sleeping (the server keeps real time).

    A frozen clock never sees a token expire, so only the server's 401 can say so.
    """

    def __init__(self, offset: float = 0.0, *, frozen: bool = False) -> None:
        self.offset = offset
        self.frozen_at = time.time() if frozen else None

    def __call__(self) -> float:
        return (self.frozen_at or time.time()) + self.offset


DEMO = ("demo@example.com", "demo-password")


def expire_session_on_server(control: Any, login: Callable[[], object]) -> None:
    """Log in with 0.3 s access tokens, let them expire, then restore long lifetimes.

    Afterwards the stored access token is expired for the server (and for a
    client with a real clock), while every token issued from now on lives 60 s,
    so one refresh is all any later call can need: counts are deterministic.
    """
    control.configure(access_ttl=0.3)
    login()
    control.configure(access_ttl=60)
    time.sleep(0.4)
