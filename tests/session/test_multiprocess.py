"""Two real processes sharing one FileTokenStore refresh an expired token exactly once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from generated_sdk.session import Binding as ItemsBinding
from reference_server.testing import Upstream
from sdk_session import FileTokenStore, SessionAuth

from .support import WAIT

WORKER = Path(__file__).with_name("file_store_worker.py")
ROOT = Path(__file__).resolve().parents[2]


def test_two_processes_one_refresh(upstream: Upstream, tmp_path: Path) -> None:
    store_path = tmp_path / "session.json"
    upstream.control.configure(access_ttl=0.3)
    auth = SessionAuth(upstream.url, store=FileTokenStore(store_path), binding=ItemsBinding())
    with httpx.Client(base_url=upstream.url, auth=auth) as client:
        auth.login(client, "demo@example.com", "demo-password")
    upstream.control.configure(access_ttl=60)
    time.sleep(0.4)  # the stored token is now expired for both processes

    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(store_path), upstream.url, "10"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    try:
        for worker in workers:
            assert worker.stdout is not None
            assert worker.stdout.readline().strip() == "ready"
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        summaries = []
        for worker in workers:
            out, _ = worker.communicate(timeout=WAIT)
            summaries.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()

    assert [s["errors"] for s in summaries] == [[], []]
    assert [s["statuses"] for s in summaries] == [[200] * 10, [200] * 10]
    counters = upstream.control.counters()
    assert (counters.refreshes, counters.failed_refreshes, counters.reuse_detected) == (1, 0, 0)
    assert counters.unauthorized == 0
    assert FileTokenStore(store_path).load() is not None
