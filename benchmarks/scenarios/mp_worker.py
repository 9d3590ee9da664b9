"""One process of the multi-process scenario: ``python -m benchmarks.scenarios.mp_worker``.

Args: URL STORE_KIND(file|redis) STORE_ARG START_EPOCH SECONDS. Prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import time

from ..clients.ours import Sync
from .common import describe
from .multiprocess import make_store

MAX_CALLS = 1_000_000


def main(argv: list[str]) -> int:
    url, kind, arg, start, seconds = argv[0], argv[1], argv[2], float(argv[3]), float(argv[4])
    caller = Sync(url, make_store(kind, arg), login=False)  # the parent logged in
    time.sleep(max(0.0, start - time.time()))
    deadline = time.monotonic() + seconds
    ok = failures = 0
    error = ""
    for _ in range(MAX_CALLS):
        if time.monotonic() >= deadline:
            break
        try:
            caller.call()
            ok += 1
        except Exception as exc:
            failures += 1
            error = error or describe(exc)
            time.sleep(0.01)
    caller.close()
    print(json.dumps({"ok": ok, "failures": failures, "error": error}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
