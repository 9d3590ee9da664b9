"""One worker of the sniffio scenario: ``python -m benchmarks.scenarios.sniffio_worker``.

Args: URL TOKEN SITE_PACKAGES VIEW. Before anything from site-packages is imported, the
``SITE_PACKAGES`` entry of ``sys.path`` is replaced by ``VIEW``, a directory of symlinks
to the same entries with or without sniffio (built by ``sniffio_cost``), so where sniffio
is absent its import really fails after scanning a ``sys.path`` as long as the checkout's.
Then the worker logs in, warms up, counts the imports that fail per call, prints one JSON
line, and answers commands read from stdin, one a line, with one JSON line each:
``static N`` / ``ours N`` (N async ``GET /me`` calls on that client), ``quit``.

Only the standard library is imported at module level: httpx, httpcore, the SDK and the
session layer are imported after the swap, from the view.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import importlib.metadata
import importlib.util
import json
import os
import statistics
import sys
import time
import timeit
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any, ClassVar

WARMUP = 50
COUNTED = 20
"""Calls per client during which every import that reaches the finders is counted."""
MAX_COMMANDS = 100_000


class _Misses:
    """Meta-path finder (first in ``sys.meta_path`` while counting) that records every
    module name an import had to look up (a name already in ``sys.modules`` never gets
    here) and lets the real finders go on."""

    names: ClassVar[Counter[str]] = Counter()

    @classmethod
    def find_spec(
        cls, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        cls.names[name] += 1
        return None


def _swap(site_packages: str, view: str) -> None:
    real = os.path.realpath(site_packages)
    sys.path[:] = [view if os.path.realpath(p) == real else p for p in sys.path]
    if view not in sys.path:
        raise SystemExit(f"{site_packages} is not on sys.path: {sys.path}")
    importlib.invalidate_caches()


def _import_sniffio() -> None:
    with contextlib.suppress(ImportError):
        __import__("sniffio")  # what ``import sniffio`` calls


def _version() -> str | None:
    try:
        return importlib.metadata.version("sniffio")
    except importlib.metadata.PackageNotFoundError:
        return None


def _import_us() -> float:
    """Median µs of ``import sniffio`` (a failed scan, or a ``sys.modules`` hit)."""
    number = 500
    times = timeit.repeat(_import_sniffio, number=number, repeat=7)
    return statistics.median(times) / number * 1e6


async def _slice(call: Callable[[], Awaitable[object]], n: int) -> dict[str, float]:
    latencies = []
    cpu0 = time.thread_time()
    for _ in range(n):
        t0 = time.perf_counter()
        await call()
        latencies.append(time.perf_counter() - t0)
    cpu = (time.thread_time() - cpu0) / n
    return {"median_us": statistics.median(latencies) * 1e6, "cpu_us": cpu * 1e6}


async def _count(call: Callable[[], Awaitable[object]]) -> dict[str, float]:
    _Misses.names.clear()
    sys.meta_path.insert(0, _Misses)
    try:
        for _ in range(COUNTED):
            await call()
    finally:
        sys.meta_path.remove(_Misses)
    return {name: k / COUNTED for name, k in sorted(_Misses.names.items())}


def main(argv: list[str]) -> int:
    url, token, site_packages, view = argv
    _swap(site_packages, view)
    import generated_sdk as sdk  # after the swap, on purpose
    from generated_sdk import SessionClient
    from reference_server import DEMO_EMAIL, DEMO_PASSWORD

    loop = asyncio.new_event_loop()
    static = sdk.AuthenticatedClient(base_url=url, token=token)
    ours = SessionClient(base_url=url)

    async def static_call() -> object:
        return await sdk.users.me.asyncio(static)

    async def ours_call() -> object:
        return await sdk.users.me.asyncio(ours)

    callers: dict[str, Callable[[], Awaitable[object]]] = {
        "static": static_call,
        "ours": ours_call,
    }
    try:
        loop.run_until_complete(ours.alogin(DEMO_EMAIL, DEMO_PASSWORD))
        for call in callers.values():
            for _ in range(WARMUP):
                loop.run_until_complete(call())
        found = importlib.util.find_spec("sniffio")
        hello: dict[str, Any] = {
            "sniffio": None if found is None else found.origin,
            "version": _version(),
            "sys_path": len(sys.path),
            "httpcore": importlib.import_module("httpcore").__file__,
            "import_us": _import_us(),
            "misses": {name: loop.run_until_complete(_count(c)) for name, c in callers.items()},
        }
        print(json.dumps(hello), flush=True)
        for _ in range(MAX_COMMANDS):
            words = sys.stdin.readline().split()
            if not words or words[0] == "quit":
                break
            result = loop.run_until_complete(_slice(callers[words[0]], int(words[1])))
            print(json.dumps(result), flush=True)
    finally:
        loop.run_until_complete(static.aclose())
        loop.run_until_complete(ours.aclose())
        loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
