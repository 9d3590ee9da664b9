"""One way to run a test upstream in a subprocess on a free 127.0.0.1 port: started, waited
for (bounded), stopped however the test ends. Used by the Django, OAuth2 and FastAPI upstreams."""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import httpx

STARTUP = 30.0
"""Seconds an upstream may take to answer its first request."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def upstream_process(
    name: str,
    command: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    ready: Callable[[], object],
    startup: float = STARTUP,
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``command``; yield once ``ready()`` stops raising ``httpx.HTTPError``."""
    process = subprocess.Popen(list(command), cwd=cwd, env=dict(env))
    try:
        deadline = time.monotonic() + startup
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the {name} upstream exited during startup")
            try:
                ready()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the {name} upstream did not start in time") from None
                time.sleep(0.1)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
