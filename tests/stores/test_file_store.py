"""FileTokenStore hardening for many processes on one machine.

Lock timeouts against another process, a dead holder's lock freed at once, no
torn reads while another process writes, and renewal failures shared with the
requests that waited in other processes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import anyio
import pytest

from sdk_session import FileTokenStore, SessionExpired, StoreLockTimeout, TokenSet

from .conftest import ROOT

TOKENS = TokenSet.issue(access_token="A", refresh_token="R", expires_in=60, now=1000.0)

HOLD = """
import sys, time
from sdk_session import FileTokenStore
store = FileTokenStore(sys.argv[1])
with store.refresh_lock(5):
    print("held", flush=True)
    time.sleep(60)
"""

WRITE = """
import sys
from sdk_session import FileTokenStore, TokenSet
store = FileTokenStore(sys.argv[1])
tokens = TokenSet.issue(access_token="A" * 500, refresh_token="R" * 500, expires_in=60, now=1.0)
for _ in range(int(sys.argv[2])):
    with store.refresh_lock(5):
        store.save(tokens)
print("done", flush=True)
"""


def python(code: str, *args: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, env=env
    )


def test_lock_held_by_another_process_times_out_then_frees_when_it_dies(tmp_path: Path) -> None:
    path = tmp_path / "session.json"
    holder = python(HOLD, str(path))
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        store = FileTokenStore(path)
        started = time.monotonic()
        with pytest.raises(StoreLockTimeout), store.refresh_lock(0.3):
            pass
        assert 0.25 < time.monotonic() - started < 2.0

        async def try_async() -> None:
            with pytest.raises(StoreLockTimeout):
                async with store.arefresh_lock(0.3):
                    pass

        anyio.run(try_async)
        holder.kill()  # kill -9: the kernel drops its lock
        holder.wait(5)
        started = time.monotonic()
        with store.refresh_lock(2):
            pass
        assert time.monotonic() - started < 0.5
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(5)


def test_no_torn_reads_while_another_process_writes(tmp_path: Path) -> None:
    path = tmp_path / "session.json"
    store = FileTokenStore(path)
    with store.refresh_lock(5):
        store.save(TOKENS)
    writer = python(WRITE, str(path), "300")
    last, reads = 0, 0
    try:
        while writer.poll() is None:
            tokens = store.load()  # raises StoreError on a half-written record
            assert tokens is not None
            assert tokens.generation >= last
            last = tokens.generation
            reads += 1
        assert writer.stdout is not None and writer.stdout.read().strip() == "done"
    finally:
        if writer.poll() is None:
            writer.kill()
    assert reads > 10
    final = store.load()
    assert final is not None and final.generation == 301


def test_a_renewal_failure_reaches_waiters_in_other_processes(tmp_path: Path) -> None:
    path = tmp_path / "session.json"
    leader, waiter = FileTokenStore(path), FileTokenStore(path)  # as if two processes
    with leader.refresh_lock(5):
        leader.save(TOKENS)
    waiter.load()
    ticket = waiter.refresh_state.ticket()
    failure = SessionExpired("session expired: refused", reason="rejected", session_ended=True)
    with leader.refresh_lock(5):
        leader.load()
        leader.save(None)
        leader.refresh_state.record_failure(failure)
    with waiter.refresh_lock(5):
        assert waiter.load() is None
        seen = waiter.refresh_state.failure_since(ticket)
    assert seen is not None and seen is not failure
    assert (str(seen), seen.reason, seen.session_ended) == (str(failure), "rejected", True)
    # a later caller's ticket postdates the failure; a success clears it
    assert waiter.refresh_state.failure_since(waiter.refresh_state.ticket()) is None
    with leader.refresh_lock(5):
        leader.save(TOKENS)
    waiter.load()
    assert waiter.refresh_state.failure_since(ticket) is None


def test_async_loads_see_the_shared_failure_too(tmp_path: Path) -> None:
    path = tmp_path / "session.json"
    leader, waiter = FileTokenStore(path), FileTokenStore(path)
    with leader.refresh_lock(5):
        leader.save(TOKENS)

    async def scenario() -> SessionExpired | None:
        await waiter.aload()
        ticket = waiter.refresh_state.ticket()
        async with leader.arefresh_lock(5):
            await leader.asave(None)
            leader.refresh_state.record_failure(
                SessionExpired("session expired: refused", reason="rejected", session_ended=True)
            )
        async with waiter.arefresh_lock(5):
            assert await waiter.aload() is None
            return waiter.refresh_state.failure_since(ticket)

    seen = anyio.run(scenario)
    assert seen is not None and seen.reason == "rejected"


def test_records_of_the_previous_layout_still_load(tmp_path: Path) -> None:
    path = tmp_path / "session.json"
    record = {"format": 1, "generation": 7, "tokens": TOKENS.with_generation(7).to_json()}
    path.write_text(json.dumps(record))
    store = FileTokenStore(path)
    loaded = store.load()
    assert loaded is not None and loaded.generation == 7
    with store.refresh_lock(5):
        saved = store.save(TOKENS)
    assert saved is not None and saved.generation == 8
