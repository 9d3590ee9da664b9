"""A separate process sharing a FileTokenStore: ``python file_store_worker.py STORE URL THREADS``.

Prints ``ready``, waits for a line on stdin, then makes one authenticated call
per thread and prints a JSON summary. Used by test_multiprocess.py.
"""

from __future__ import annotations

import json
import sys
import threading

import httpx

from generated_sdk.session import Binding as ItemsBinding
from sdk_session import FileTokenStore, SessionAuth


def main() -> None:
    store_path, url, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    auth = SessionAuth(url, store=FileTokenStore(store_path), binding=ItemsBinding())
    statuses: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()
    with httpx.Client(base_url=url, auth=auth, timeout=20) as client:

        def call() -> None:
            try:
                status = client.get("/items", params={"limit": 1}).status_code
            except Exception as exc:
                with lock:
                    errors.append(type(exc).__name__)
            else:
                with lock:
                    statuses.append(status)

        workers = [threading.Thread(target=call) for _ in range(threads)]
        print("ready", flush=True)
        sys.stdin.readline()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(30)
    print(json.dumps({"statuses": statuses, "errors": errors}), flush=True)


if __name__ == "__main__":
    main()
