"""Per-call cost as instructions executed, counted by valgrind (not part of ``make bench``).

    .venv/bin/python -m benchmarks.instructions [--calls N]

    .venv/bin/python -m benchmarks.instructions --loopback [--calls N]

Wall-clock and CPU-time medians on this shared VM move by 5-10% between runs, more than
the session layer costs. An instruction count does not: each client makes ``N`` calls
to ``GET /me`` in a fresh interpreter under ``valgrind --tool=callgrind`` with a fixed
hash seed, once with ``N`` calls and once with none; the difference divided by ``N`` is
what one call executes in user space (interpreter included, the kernel's socket work
not). By default the calls go to an ``httpx.MockTransport`` (no network), which shows
the layers' own cost against the smallest possible call; with ``--loopback`` they go
over TCP to the reference server in its own process (not counted), as in
``--only overhead``. Raw httpx decodes the JSON body, as the generated calls do and as
``--only overhead``'s floor does: a call whose answer is never read is not the work
an application does. Needs ``valgrind`` on the PATH (Debian: ``apt-get install
valgrind``); a run takes a few minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

CLIENTS = ("raw httpx + static header", "generated call, AuthenticatedClient",
           "generated call, SessionClient")  # fmt: skip
MODES = ("sync", "async")
WARMUP = 200
USER = {"id": 1, "email": "demo@example.com", "name": "Demo", "created_at": "2024-01-01T00:00:00Z"}
URL = "http://127.0.0.1:9"
_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def _handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=USER)


def _child(client: str, mode: str, calls: int, url: str) -> None:
    """Make ``WARMUP + calls`` calls with one client (run under valgrind)."""
    import generated_sdk as sdk
    from generated_sdk import SessionClient
    from reference_server import DEMO_EMAIL, DEMO_PASSWORD
    from sdk_session import MemoryTokenStore, TokenSet

    from .server import login

    loopback = url != "mock"
    base = url if loopback else URL
    token = str(login(url)["access_token"]) if loopback else "a"
    args: dict[str, Any] = {} if loopback else {"transport": httpx.MockTransport(_handler)}
    headers = {"Authorization": f"Bearer {token}"}
    total = WARMUP + calls
    if client == CLIENTS[0]:
        if mode == "sync":
            raw = httpx.Client(base_url=base, headers=headers, **args)
            for _ in range(total):
                raw.get("/me").raise_for_status().json()
            return

        async def raw_calls() -> None:
            async with httpx.AsyncClient(base_url=base, headers=headers, **args) as c:
                for _ in range(total):
                    (await c.get("/me")).raise_for_status().json()

        asyncio.run(raw_calls())
        return
    generated: sdk.Client
    if client == CLIENTS[1]:
        generated = sdk.AuthenticatedClient(base_url=base, token=token, httpx_args=args)
    elif loopback:
        generated = SessionClient(base_url=base)
        generated.login(DEMO_EMAIL, DEMO_PASSWORD)
    else:
        now = time.time()
        store = MemoryTokenStore(
            TokenSet(access_token="a", refresh_token="r", expires_at=now + 9e3, obtained_at=now)
        )
        generated = SessionClient(base_url=base, store=store, httpx_args=args)
    if mode == "sync":
        for _ in range(total):
            sdk.users.me(generated)
        return

    async def generated_calls() -> None:
        for _ in range(total):
            await sdk.users.me.asyncio(generated)

    asyncio.run(generated_calls())


def _count(client: str, mode: str, calls: int, url: str) -> int:
    command = [
        "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
        "-m", "benchmarks.instructions", "--child", client, mode, str(calls), url,
    ]  # fmt: skip
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1800)
    found = _COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"valgrind run failed ({client}, {mode}): {done.stderr[-500:]}")
    return int(found.group(1))


def _per_call(client: str, mode: str, calls: int, url: str) -> float:
    return (_count(client, mode, calls, url) - _count(client, mode, 0, url)) / calls


def _table(calls: int, url: str) -> str:
    jobs = [(client, mode) for mode in MODES for client in CLIENTS]
    work: Callable[[tuple[str, str]], float] = lambda job: _per_call(*job, calls, url)  # noqa: E731
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        counts = dict(zip(jobs, pool.map(work, jobs), strict=True))
    where = "a mock transport" if url == "mock" else "TCP to the reference server"
    lines = [
        f"Instructions per call over {where} ({calls} calls, callgrind)\n",
        "| mode | client | instructions / call | ÷ raw httpx | ÷ AuthenticatedClient |",
        "|---|---|---|---|---|",
    ]
    for client, mode in jobs:
        value = counts[(client, mode)]
        floor, static = counts[(CLIENTS[0], mode)], counts[(CLIENTS[1], mode)]
        lines.append(
            f"| {mode} | {client} | {value:,.0f} | {value / floor:.3f} | {value / static:.3f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.instructions")
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--loopback", action="store_true")
    parser.add_argument("--child", nargs=4, metavar=("CLIENT", "MODE", "CALLS", "URL"))
    args = parser.parse_args(argv)
    if args.child:
        client, mode, calls, url = args.child
        _child(client, mode, int(calls), url)
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    if not args.loopback:
        print(_table(args.calls, "mock"))
        return 0
    from .server import server_process

    with server_process() as url:
        print(_table(args.calls, url))
    return 0


if __name__ == "__main__":
    sys.exit(main())
