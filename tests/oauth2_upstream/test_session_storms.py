"""The session against a real OAuth2 provider (django-oauth-toolkit under gunicorn, 2 s
access tokens, rotation, reuse protection): storms on an expired token, a soak, revocation
and a wrong client secret, counted on the server.

"Renewals per lifetime": a storm that spans ``t`` seconds of 2 s tokens may need one renewal
per token lifetime it crosses plus the one it starts with; more would mean two callers
renewed the same token.
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import oauth2_sdk
import pytest

from sdk_session import (
    InvalidClient,
    SessionClient,
    SessionExpired,
)

from .client import Grant, session_client
from .server import OAuth2Upstream

THREADS = 200
TASKS = 500
CALLS = 3
"""Calls per thread: a storm spans a few token lifetimes."""
TASK_CALLS = 1
"""Calls per task (500 tasks already take a lifetime or two on this server)."""


def _renewals_allowed(upstream: OAuth2Upstream, seconds: float) -> int:
    return math.ceil(seconds / upstream.access_seconds) + 1


def _wait_expired(client: SessionClient) -> None:
    tokens = client.tokens
    assert tokens is not None and tokens.expires_at is not None
    time.sleep(max(0.0, tokens.expires_at - time.time()) + 0.2)


def _start(client: SessionClient, grant: Grant, upstream: OAuth2Upstream) -> None:
    if grant == "password":
        client.login(upstream.username, upstream.password)
    else:
        client.renew()
    _wait_expired(client)


def _list(client: SessionClient) -> int:
    return oauth2_sdk.items.items_list(client).count


async def _alist(client: SessionClient) -> int:
    return (await oauth2_sdk.items.items_list.asyncio(client)).count


def _renewal_count(upstream: OAuth2Upstream, grant: Grant) -> int:
    counters = upstream.counters()
    return counters.token_requests.get("refresh_token" if grant == "password" else grant, 0)


@pytest.mark.parametrize("grant", ["password", "client_credentials"])
def test_threads_on_an_expired_token(oauth2_upstream: OAuth2Upstream, grant: Grant) -> None:
    with session_client(oauth2_upstream, grant) as client:
        _start(client, grant, oauth2_upstream)
        oauth2_upstream.reset_counters()
        barrier = threading.Barrier(THREADS, timeout=30)

        def worker() -> list[int]:
            barrier.wait()
            return [_list(client) for _ in range(CALLS)]

        started = time.monotonic()
        with ThreadPoolExecutor(THREADS) as pool:
            futures = [pool.submit(worker) for _ in range(THREADS)]
            results = [future.result(timeout=120) for future in futures]
        spanned = time.monotonic() - started
    counters = oauth2_upstream.counters()
    assert all(counts == [25] * CALLS for counts in results)  # 0 calls failed
    assert counters.refresh_tokens_reused == 0
    assert (
        1 <= _renewal_count(oauth2_upstream, grant) <= _renewals_allowed(oauth2_upstream, spanned)
    )
    assert counters.token_errors == {}


@pytest.mark.anyio
@pytest.mark.parametrize("grant", ["password", "client_credentials"])
async def test_tasks_on_an_expired_token(oauth2_upstream: OAuth2Upstream, grant: Grant) -> None:
    client = session_client(oauth2_upstream, grant)
    async with client:
        if grant == "password":
            await client.alogin(oauth2_upstream.username, oauth2_upstream.password)
        else:
            await client.arenew()
        tokens = client.tokens
        assert tokens is not None and tokens.expires_at is not None
        await asyncio.sleep(max(0.0, tokens.expires_at - time.time()) + 0.2)
        oauth2_upstream.reset_counters()

        async def worker() -> list[int]:
            return [await _alist(client) for _ in range(TASK_CALLS)]

        started = time.monotonic()
        results = await asyncio.wait_for(
            asyncio.gather(*(worker() for _ in range(TASKS))), timeout=120
        )
        spanned = time.monotonic() - started
    counters = oauth2_upstream.counters()
    assert all(counts == [25] * TASK_CALLS for counts in results)
    assert counters.refresh_tokens_reused == 0
    assert (
        1 <= _renewal_count(oauth2_upstream, grant) <= _renewals_allowed(oauth2_upstream, spanned)
    )
    assert counters.token_errors == {}


SOAK_SECONDS = 20.0


def test_soak_with_rotation_and_reuse_protection(oauth2_upstream: OAuth2Upstream) -> None:
    """Twenty seconds of steady traffic from 8 threads over 2 s tokens: every rotation
    presents each refresh token once (reuse protection would revoke the family and fail
    the calls that follow)."""
    failures: list[BaseException] = []
    calls = [0]
    with session_client(oauth2_upstream, "password") as client:
        client.login(oauth2_upstream.username, oauth2_upstream.password)
        deadline = time.monotonic() + SOAK_SECONDS

        def worker() -> None:
            for _ in range(100_000):  # bounded; the deadline ends it long before
                if time.monotonic() >= deadline:
                    return
                try:
                    _list(client)
                    calls[0] += 1
                except Exception as exc:  # counted, asserted below
                    failures.append(exc)
                time.sleep(0.01)

        with ThreadPoolExecutor(8) as pool:
            for future in [pool.submit(worker) for _ in range(8)]:
                future.result(timeout=SOAK_SECONDS + 60)
    counters = oauth2_upstream.counters()
    assert failures == []
    assert calls[0] > 100
    assert counters.refresh_tokens_reused == 0
    assert counters.token_errors == {}
    # Renewed ahead of expiry, about once per lifetime (the leeway brings it forward).
    refreshes = counters.token_requests.get("refresh_token", 0)
    assert SOAK_SECONDS / oauth2_upstream.access_seconds - 2 <= refreshes
    assert refreshes <= 2 * _renewals_allowed(oauth2_upstream, SOAK_SECONDS)


def test_revoked_refresh_token_fails_every_caller_alike(oauth2_upstream: OAuth2Upstream) -> None:
    with session_client(oauth2_upstream, "password") as client:
        client.login(oauth2_upstream.username, oauth2_upstream.password)
        assert oauth2_upstream.revoke_all() >= 1
        oauth2_upstream.reset_counters()
        barrier = threading.Barrier(50, timeout=30)

        def worker() -> BaseException | None:
            barrier.wait()
            try:
                _list(client)
            except Exception as exc:
                return exc
            return None

        with ThreadPoolExecutor(50) as pool:
            outcomes = [f.result(timeout=60) for f in [pool.submit(worker) for _ in range(50)]]
    assert all(isinstance(outcome, SessionExpired) for outcome in outcomes), outcomes
    assert {outcome.reason for outcome in outcomes if isinstance(outcome, SessionExpired)} == {
        "rejected"
    }
    counters = oauth2_upstream.counters()
    assert counters.token_requests == {"refresh_token": 1}
    assert counters.token_errors == {"invalid_grant": 1}


@pytest.mark.parametrize("grant", ["password", "client_credentials"])
def test_wrong_client_secret_is_named_by_client_id_and_never_shown(
    oauth2_upstream: OAuth2Upstream, grant: Grant, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = "wrong-secret-" + "x" * 12
    caplog.set_level(logging.DEBUG)
    with session_client(oauth2_upstream, grant, client_secret=wrong) as client:
        expected: type[Exception] = InvalidClient if grant == "password" else SessionExpired
        with pytest.raises(expected) as caught:
            if grant == "password":
                client.login(oauth2_upstream.username, oauth2_upstream.password)
            else:
                _list(client)
        shown = [str(caught.value), repr(caught.value), repr(client), repr(client.binding)]
        shown.append(caplog.text)
    client_id = _client_of(oauth2_upstream, grant).client_id
    assert repr(client_id) in str(caught.value)
    for text in shown:
        assert wrong not in text
        assert _client_of(oauth2_upstream, grant).client_secret not in text
    if isinstance(caught.value, SessionExpired):
        assert caught.value.reason == "invalid_client"
        assert isinstance(caught.value.cause, InvalidClient)


def _client_of(upstream: OAuth2Upstream, grant: Grant) -> Any:
    return upstream.password_client if grant == "password" else upstream.service_client
