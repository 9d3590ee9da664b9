"""``serve()``: run a reference server in a background thread for tests and demos.

The socket is bound here, before uvicorn starts, so the port is known and
reserved up front (port 0 picks a free one with no race between choosing and
binding).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Iterator

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from .app import create_app
from .config import DEFAULT_ACCESS_TTL, DEFAULT_REFRESH_TTL, ServerConfig

_log = logging.getLogger(__name__)


def bind_socket(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on accepted sockets whose
    # proto says TCP, and without it every response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except BaseException:
        sock.close()
        raise
    return sock


def socket_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def make_server(
    config: ServerConfig, *, log_level: str = "warning", own_logging: bool = False
) -> uvicorn.Server:
    """A uvicorn server for a fresh app; no access log, no lifespan.

    ``own_logging`` lets uvicorn install its logging config (right for the CLI);
    otherwise the host process's logging setup is left alone.
    """
    uv_config = uvicorn.Config(
        create_app(config),
        log_level=log_level,
        log_config=LOGGING_CONFIG if own_logging else None,
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=2,
    )
    return uvicorn.Server(uv_config)


@contextlib.contextmanager
def serve(
    *,
    access_ttl: float = DEFAULT_ACCESS_TTL,
    refresh_ttl: float = DEFAULT_REFRESH_TTL,
    reuse_detection: bool = True,
    host: str = "127.0.0.1",
    port: int = 0,
    ready_timeout: float = 10.0,
    stop_timeout: float = 10.0,
    log_level: str = "warning",
) -> Iterator[str]:
    """Run a server in a daemon thread; yield its base URL, e.g. ``http://127.0.0.1:43567``.

    Waits up to ``ready_timeout`` seconds for it to accept requests and, on exit,
    up to ``stop_timeout`` seconds for it to stop.
    """
    config = ServerConfig(
        access_ttl=access_ttl, refresh_ttl=refresh_ttl, reuse_detection=reuse_detection
    )
    sock = bind_socket(host, port)
    server = make_server(config, log_level=log_level)
    failure: list[BaseException] = []

    def run() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # reported to the caller below
            failure.append(exc)

    thread = threading.Thread(target=run, name="items-api-server", daemon=True)
    with sock:
        thread.start()
        deadline = time.monotonic() + ready_timeout
        while not server.started:
            if failure or not thread.is_alive():
                raise RuntimeError("the reference server failed to start") from (
                    failure[0] if failure else None
                )
            if time.monotonic() > deadline:
                server.should_exit = True
                thread.join(stop_timeout)
                raise TimeoutError(f"the reference server did not start in {ready_timeout}s")
            time.sleep(0.01)
        try:
            yield socket_url(sock)
        finally:
            server.should_exit = True
            thread.join(stop_timeout)
            if thread.is_alive():
                server.force_exit = True
                thread.join(stop_timeout)
                if thread.is_alive():
                    _log.warning("the reference server did not stop in time")
