"""Token stores: generations, the file store's atomicity, permissions, locking and errors."""

from __future__ import annotations

import json
import os
import stat
import sys
import threading
from pathlib import Path

import pytest

from sdk_session import (
    FileTokenStore,
    MemoryTokenStore,
    StoreError,
    StoreLockTimeout,
    TokenSet,
    TokenStore,
)

TOKENS = TokenSet.issue(access_token="A", refresh_token="R", expires_in=60, now=1000.0)


def test_stores_satisfy_the_protocol(tmp_path: Path) -> None:
    assert isinstance(MemoryTokenStore(), TokenStore)
    assert isinstance(FileTokenStore(tmp_path / "t.json"), TokenStore)


@pytest.mark.parametrize("kind", ["memory", "file"])
def test_save_stamps_increasing_generations(kind: str, tmp_path: Path) -> None:
    store: TokenStore = (
        MemoryTokenStore() if kind == "memory" else FileTokenStore(tmp_path / "t.json")
    )
    assert store.load() is None
    with store.refresh_lock(5):
        first = store.save(TOKENS)
        second = store.save(TOKENS)
    assert first is not None and second is not None
    assert second.generation > first.generation
    assert store.load() == second
    with store.refresh_lock(5):
        assert store.save(None) is None
    assert store.load() is None


def test_file_store_is_private_json_replaced_atomically(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    store = FileTokenStore(path)
    with store.refresh_lock(5):
        store.save(TOKENS)
        inode = path.stat().st_ino
        store.save(TOKENS)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.stat().st_ino != inode, "replaced by rename, not rewritten in place"
    assert json.loads(path.read_text())["tokens"]["access_token"] == "A"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tokens.json", "tokens.json.lock"]


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tokens.json"
    store = FileTokenStore(path)
    with store.refresh_lock(5):
        store.save(TOKENS)
    before = path.read_bytes()

    def broken_replace(src: str, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with store.refresh_lock(5), pytest.raises(StoreError, match="ENOSPC"):
        store.save(TOKENS.with_refresh_token("R2"))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tokens.json", "tokens.json.lock"]


def test_another_store_object_sees_the_saved_tokens(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    a, b = FileTokenStore(path), FileTokenStore(path)
    with a.refresh_lock(5):
        saved = a.save(TOKENS)
    assert b.load() == saved
    with b.refresh_lock(5):
        again = b.save(TOKENS.with_refresh_token("R2"))
    assert again is not None and saved is not None and again.generation == saved.generation + 1
    assert a.load() == again


def test_corrupt_file_is_a_store_error_without_contents(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    path.write_text('{"format": 1, "generation": 1, "tokens": {"access_token": "SECRET"')
    with pytest.raises(StoreError, match="corrupt") as caught:
        FileTokenStore(path).load()
    assert "SECRET" not in str(caught.value)


def test_file_lock_excludes_other_store_objects_with_a_timeout(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    holder, other = FileTokenStore(path), FileTokenStore(path)
    with holder.refresh_lock(5), pytest.raises(StoreLockTimeout), other.refresh_lock(0.2):
        pass
    with other.refresh_lock(1):
        pass  # free again


@pytest.mark.anyio
async def test_async_lock_waits_without_blocking_and_times_out(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "tokens.json")
    memory = MemoryTokenStore()
    for s in (store, memory):
        held = threading.Event()
        release = threading.Event()

        def hold(
            s: TokenStore = s, held: threading.Event = held, release: threading.Event = release
        ) -> None:
            with s.refresh_lock(5):
                held.set()
                release.wait(10)

        thread = threading.Thread(target=hold)
        thread.start()
        assert held.wait(10)
        with pytest.raises(StoreLockTimeout):
            async with s.arefresh_lock(0.2):
                pass
        release.set()
        thread.join(10)
        async with s.arefresh_lock(5):
            saved = await s.asave(TOKENS)
        assert await s.aload() == saved


def test_missing_filelock_gives_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "filelock", None)
    with pytest.raises(ImportError, match=r"items-sdk\[file\]"):
        FileTokenStore(tmp_path / "t.json")
