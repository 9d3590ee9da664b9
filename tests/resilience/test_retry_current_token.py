"""A transport-level retry leaves with the session's current token, not the one first signed."""

from __future__ import annotations

import httpx

import generated_sdk as sdk
from generated_sdk import SessionClient
from reference_server.testing import Upstream
from sdk_session import MemoryTokenStore, RetryPolicy

DEMO = ("demo@example.com", "demo-password")
FAST = RetryPolicy(backoff=0.01, max_backoff=0.05)


class RenewOnFirst503(httpx.BaseTransport):
    """Records the Authorization of every /items attempt; on the first 503, another
    client sharing the store renews the session (as a concurrent caller would)."""

    def __init__(self, inner: httpx.BaseTransport, renew: list[SessionClient]) -> None:
        self.inner = inner
        self.renew = renew
        self.sent: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.url.path == "/items":
            self.sent.append(request.headers.get("Authorization", ""))
            if response.status_code == 503 and len(self.sent) == 1:
                self.renew[0].renew()
        return response

    def close(self) -> None:
        self.inner.close()


def test_retry_after_a_concurrent_renewal_carries_the_new_token(upstream: Upstream) -> None:
    store = MemoryTokenStore()
    renewer: list[SessionClient] = []
    recorder = RenewOnFirst503(httpx.HTTPTransport(), renewer)
    with (
        SessionClient(base_url=upstream.url, store=store) as other,
        SessionClient(
            base_url=upstream.url,
            store=store,
            retries=FAST,
            httpx_args={"transport": recorder},
        ) as client,
    ):
        renewer.append(other)
        client.login(*DEMO)
        first = store.load()
        assert first is not None
        upstream.control.fault("list", status=503, count=1)

        page = sdk.items.list(client, limit=2)

        current = store.load()
        assert current is not None and current.generation > first.generation
        assert len(page.items) == 2
        assert recorder.sent == [first.authorization, current.authorization]
        counters = upstream.control.counters()
        assert counters.refreshes == 1
        assert counters.unauthorized == 0
        assert counters.requests["list"] == 2
