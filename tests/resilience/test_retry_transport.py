"""The retry transports on their own (httpx.MockTransport): what is retried, how long it waits."""

from __future__ import annotations

import email.utils
import time

import anyio
import httpx
import pytest

import generated_sdk
import sdk_session
from sdk_session import AsyncRetryTransport, RetryPolicy, RetryTransport
from sdk_session.retry import ATTEMPTS, EXTENSION

FAST = RetryPolicy(backoff=0.001, max_backoff=0.002)


class Script:
    """A MockTransport handler answering from a list (an exception is raised)."""

    def __init__(self, *answers: int | Exception, headers: dict[str, str] | None = None) -> None:
        self.answers = list(answers)
        self.headers = headers or {}
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        answer = self.answers.pop(0) if self.answers else 200
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(answer, headers=self.headers if answer != 200 else {})


def client(script: Script, policy: int | RetryPolicy | None = FAST, **kw: object) -> httpx.Client:
    return httpx.Client(transport=RetryTransport(httpx.MockTransport(script), policy, **kw))  # type: ignore[arg-type]


def test_get_503_twice_then_success() -> None:
    script = Script(503, 503)
    with client(script) as http:
        response = http.get("https://x.test/items")
    assert response.status_code == 200
    assert response.extensions[ATTEMPTS] == 3


def test_budget_is_bounded() -> None:
    script = Script(503, 503, 503, 503)
    with client(script) as http:
        assert http.get("https://x.test/items").status_code == 503
    assert len(script.seen) == 3


def test_post_is_retried_only_with_a_key_or_when_it_never_left() -> None:
    script = Script(503)
    with client(script) as http:
        assert http.post("https://x.test/items", json={}).status_code == 503
    script = Script(503)
    with client(script) as http:
        response = http.post("https://x.test/items", json={}, headers={"Idempotency-Key": "1"})
        assert response.status_code == 200
    script = Script(httpx.ConnectError("refused"))
    with client(script) as http:
        assert http.post("https://x.test/items", json={}).status_code == 200
    script = Script(httpx.ReadError("reset"))
    with client(script) as http, pytest.raises(httpx.ReadError):
        http.post("https://x.test/items", json={})


def test_retry_after_seconds_and_date_are_honoured_up_to_the_cap() -> None:
    waits: list[float] = []
    policy = FAST.evolve(max_retry_after=10)
    with client(Script(429, headers={"Retry-After": "3"}), policy, sleep=waits.append) as http:
        assert http.get("https://x.test/").status_code == 200
    date = email.utils.formatdate(time.time() + 5, usegmt=True)
    with client(Script(503, headers={"Retry-After": date}), policy, sleep=waits.append) as http:
        assert http.get("https://x.test/").status_code == 200
    with client(Script(429, headers={"Retry-After": "11"}), policy, sleep=waits.append) as http:
        assert http.get("https://x.test/").status_code == 429  # over the cap: not waited for
    assert waits[0] == 3 and 3.5 < waits[1] <= 5


def test_backoff_grows_and_is_capped() -> None:
    policy = RetryPolicy(backoff=1, max_backoff=4)
    waits = [policy.backoff_for(n) for n in range(5)]
    assert 0.5 <= waits[0] <= 1 and 1 <= waits[1] <= 2 and all(2 <= w <= 4 for w in waits[2:])


def test_per_call_context_manager_and_extension() -> None:
    script = Script(503, 503)
    with client(script) as http:
        with sdk_session.retries(0):
            assert http.get("https://x.test/").status_code == 503
        assert len(script.seen) == 1
        request = http.build_request("GET", "https://x.test/", extensions={EXTENSION: 0})
        assert http.send(request).status_code == 503
        assert http.get("https://x.test/").status_code == 200


def test_disabled() -> None:
    script = Script(503)
    with client(script, None) as http:
        assert http.get("https://x.test/").status_code == 503


def test_session_client_installs_it_and_can_go_without() -> None:
    with_retry = generated_sdk.SessionClient(base_url="https://x.test")
    sync = with_retry.get_httpx_client()._transport
    asynchronous = with_retry.get_async_httpx_client()._transport
    assert isinstance(sync, sdk_session.DispatchTransport)  # outermost: signs at dispatch
    assert isinstance(asynchronous, sdk_session.AsyncDispatchTransport)
    assert isinstance(sync.transport, RetryTransport)
    assert isinstance(asynchronous.transport, AsyncRetryTransport)
    without = generated_sdk.SessionClient(base_url="https://x.test", retries=None)
    transport = without.get_httpx_client()._transport
    assert isinstance(transport, sdk_session.DispatchTransport)
    assert not isinstance(transport.transport, RetryTransport)
    assert generated_sdk.SessionClient(base_url="https://x.test", retries=5).retries == (
        sdk_session.DEFAULT_RETRY.evolve(retries=5)
    )


@pytest.mark.anyio
async def test_async_transport() -> None:
    script = Script(httpx.ConnectError("refused"), 502)
    transport = AsyncRetryTransport(httpx.MockTransport(script), FAST)
    async with httpx.AsyncClient(transport=transport) as http:
        with anyio.fail_after(5):
            response = await http.post("https://x.test/", content=b"x")
    assert response.status_code == 502  # a POST that reached the server is not resent
    assert len(script.seen) == 2
