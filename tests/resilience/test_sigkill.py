"""Nothing lost: a file-store writer SIGKILLed at random moments never leaves a bad file.

Each trial starts a writer that saves token sets 0, 1, 2, ... in a loop and kills it
with SIGKILL after a random delay (seeded RNG). The file must then parse and hold one
whole token set (access and refresh of the same n), never older than the last check.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sys
import time
from pathlib import Path

import pytest

from sdk_session.stores.file import FileTokenStore

from .kill_worker import save_forever

TRIALS = 120
SEED = 20261127

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def test_file_store_survives_sigkill_at_random_moments(tmp_path: Path) -> None:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.resilience.kill_worker"])
    rng = random.Random(SEED)
    path = tmp_path / "session.json"
    last = -1
    killed_mid_run = 0
    for trial in range(TRIALS):
        writer = context.Process(target=save_forever, args=(str(path), last + 1), daemon=True)
        writer.start()
        # The random moment is counted from the writer's first save of this trial: starting a
        # process takes longer than the window on some machines (a fresh clone's first run),
        # and a writer killed before it saved anything tests nothing.
        assert saved_after(path, last, timeout=10.0), f"trial {trial}: the writer never saved"
        time.sleep(rng.uniform(0.0, 0.03))
        assert writer.pid is not None
        os.kill(writer.pid, signal.SIGKILL)
        writer.join(10)
        assert not writer.is_alive(), f"trial {trial}: the writer did not die"
        killed_mid_run += writer.exitcode == -signal.SIGKILL
        tokens = FileTokenStore(path).load()  # raises StoreError if the file is torn
        if tokens is None:
            assert last == -1, f"trial {trial}: the tokens were lost"
            continue
        n = int(tokens.access_token.removeprefix("access-"))
        assert tokens.refresh_token == f"refresh-{n}", f"trial {trial}: mixed tokens"
        assert tokens.obtained_at == n
        assert n >= last, f"trial {trial}: older tokens came back"
        last = n
    assert killed_mid_run == TRIALS
    assert last > 0


def saved_after(path: Path, last: int, timeout: float) -> bool:
    """Whether a token set newer than ``last`` is in the file within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tokens = FileTokenStore(path).load() if path.exists() else None
        if tokens is not None and tokens.obtained_at > last:
            return True
        time.sleep(0.001)
    return False
