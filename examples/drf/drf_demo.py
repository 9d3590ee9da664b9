"""The second upstream, end to end: a real Django REST framework + SimpleJWT server, driven
through ``drf_sdk``, the SDK generated from its schema (``make demo-drf``).

Starts the Django test project (tests/drf_upstream) under gunicorn on a free 127.0.0.1 port with
2-second access tokens, logs in with the generated ``drf_sdk.SessionClient``, walks every page of
the page-number-paginated item list, lets the token expire under 50 concurrent calls, and prints
what the server counted. Nothing of the session is hand-written for this upstream: ``drf_sdk``
and its ``session.py`` come from examples/drf/drf_sdk.generator.yaml and the schema.
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import drf_sdk as sdk
from drf_sdk.models import TokenObtainPair

# The Django project lives with the tests; its runner starts and stops the server.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
from drf_upstream.server import PASSWORD, USER, serve_drf


def main() -> None:
    with serve_drf(access_seconds=2) as upstream:
        print(f"Django REST framework + SimpleJWT upstream at {upstream.url} (2 s access tokens)")
        with sdk.SessionClient(base_url=upstream.url) as client:
            client.login(USER, PASSWORD)
            print(f"logged in as {USER!r}: {client.tokens!r}")
            page = sdk.items.items_list(client)
            print(f"first page: {len(page.results)} of {page.count} items, next={page.next_!r}")
            names = [item.name for item in sdk.items.items_list.iter(client)]
            print(f"iter() walked every page: {len(names)} items ({names[0]} .. {names[-1]})")
            item = sdk.items.items_retrieve(client, id=7)
            print(f"sdk.items.items_retrieve(client, id=7) -> {item}")

            time.sleep(2.2)  # the access token has expired now
            upstream.reset()
            with ThreadPoolExecutor(50) as pool:
                counts = list(pool.map(lambda _: sdk.items.items_list(client).count, range(50)))
            served = upstream.counters()
            print(
                f"50 concurrent calls on an expired token: {counts.count(45)} answered, "
                f"refreshes {served.get('/api/token/refresh/ 200', 0)}, "
                f"401s served {served.get('/api/items/ 401', 0)}"
            )
        shown = TokenObtainPair(username=USER, password=PASSWORD, access="a.b.c", refresh="d.e.f")
        print(f"models hide tokens and passwords: {shown!r}")


if __name__ == "__main__":
    main()
