"""Run the reference server in a child process (so its CPU is not the client's) and log in."""

from __future__ import annotations

import contextlib
import os
import selectors
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx

from reference_server import DEMO_EMAIL, DEMO_PASSWORD

_BANNER = "Items API listening on "


@contextlib.contextmanager
def server_process(*, ready_timeout: float = 20.0) -> Iterator[str]:
    """``python -m reference_server --port 0`` in a subprocess; yields its URL; always stopped."""
    command = [sys.executable, "-m", "reference_server", "--host", "127.0.0.1", "--port", "0"]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    try:
        assert proc.stdout is not None
        url = _read_url(proc, ready_timeout)
        yield url
    finally:
        stop(proc)


def _read_url(proc: subprocess.Popen[bytes], timeout: float) -> str:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    buffer = b""
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                continue
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            buffer += chunk
            for line in buffer.decode(errors="replace").splitlines():
                if line.startswith(_BANNER):
                    url = line[len(_BANNER) :].strip()
                    if not url.startswith("http://127.0.0.1:"):
                        raise RuntimeError(f"unexpected server URL {url!r}")
                    return url
    raise RuntimeError(f"the reference server did not report its URL in {timeout} s")


def stop(proc: subprocess.Popen[Any], timeout: float = 5.0) -> None:
    """Terminate a child process, then kill it if it does not stop in ``timeout`` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)
    for stream in (proc.stdout, proc.stderr, proc.stdin):
        if stream is not None:
            stream.close()


def login(url: str) -> dict[str, Any]:
    """Tokens for the demo user from ``POST /login`` (for peers that start from a token)."""
    with httpx.Client(base_url=url, timeout=30.0) as http:
        response = http.post("/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data
