"""A login-only upstream (FastAPI's ``OAuth2PasswordBearer``, no refresh token): the session
logs in again with the credentials given to ``login()``, once for every waiting caller."""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType

import pytest

from sdk_session import SessionClient, SessionExpired

from .client import session_client
from .server import FastApiUpstream

THREADS = 200
TASKS = 500


def _items(client: SessionClient) -> int:
    """``GET /api/v1/items/`` through the generated operation."""
    sdk = sys.modules[type(client).__module__.partition(".")[0]]
    count: int = sdk.items.items_read_items(client).count
    return count


def _wait_expired(client: SessionClient) -> None:
    tokens = client.tokens
    assert tokens is not None and tokens.expires_at is not None  # from the JWT's exp
    time.sleep(max(0.0, tokens.expires_at - time.time()) + 0.2)


def test_threads_on_an_expired_token_share_one_login(
    fastapi_sdk: ModuleType, fastapi_upstream: FastApiUpstream
) -> None:
    with session_client(fastapi_sdk, fastapi_upstream) as client:
        client.login(fastapi_upstream.username, fastapi_upstream.password)
        assert client.tokens is not None and client.tokens.refresh_token is None
        _wait_expired(client)
        fastapi_upstream.reset_counters()
        barrier = threading.Barrier(THREADS, timeout=30)

        def worker() -> int:
            barrier.wait()
            return _items(client)

        with ThreadPoolExecutor(THREADS) as pool:
            answers = [f.result(timeout=120) for f in [pool.submit(worker) for _ in range(THREADS)]]
    counters = fastapi_upstream.counters()
    assert len(answers) == THREADS  # every call answered
    assert counters.logins_ok == 1 and counters.logins_failed == 0
    assert counters.api == {200: THREADS}  # no dead token was sent


@pytest.mark.anyio
async def test_tasks_on_an_expired_token_share_one_login(
    fastapi_sdk: ModuleType, fastapi_upstream: FastApiUpstream
) -> None:
    async with session_client(fastapi_sdk, fastapi_upstream) as client:
        await client.alogin(fastapi_upstream.username, fastapi_upstream.password)
        tokens = client.tokens
        assert tokens is not None and tokens.expires_at is not None
        await asyncio.sleep(max(0.0, tokens.expires_at - time.time()) + 0.2)
        fastapi_upstream.reset_counters()

        async def worker() -> int:
            count: int = (await fastapi_sdk.items.items_read_items.asyncio(client)).count
            return count

        answers = await asyncio.wait_for(
            asyncio.gather(*(worker() for _ in range(TASKS))), timeout=120
        )
    counters = fastapi_upstream.counters()
    assert len(answers) == TASKS
    assert counters.logins_ok == 1
    assert counters.api == {200: TASKS}


def test_a_refused_token_is_renewed_by_one_login(
    fastapi_sdk: ModuleType, fastapi_upstream: FastApiUpstream
) -> None:
    """The server stops accepting the token before it expires (a new signing key): the 401
    is answered by logging in again, and the call is resent."""
    with session_client(fastapi_sdk, fastapi_upstream) as client:
        client.login(fastapi_upstream.username, fastapi_upstream.password)
        fastapi_upstream.rotate_key()
        fastapi_upstream.reset_counters()
        assert _items(client) >= 0
    counters = fastapi_upstream.counters()
    assert counters.logins_ok == 1
    assert counters.api == {401: 1, 200: 1}


def test_without_keep_login_the_401_surfaces(
    fastapi_sdk: ModuleType, fastapi_upstream: FastApiUpstream
) -> None:
    with session_client(fastapi_sdk, fastapi_upstream, keep_login=False) as client:
        client.login(fastapi_upstream.username, fastapi_upstream.password)
        fastapi_upstream.rotate_key()
        with pytest.raises(SessionExpired) as caught:
            _items(client)
    assert caught.value.reason == "no_refresh_token"


def test_init_and_generate_give_a_login_only_session_client(fastapi_sdk: ModuleType) -> None:
    report: str = fastapi_sdk.report
    assert "session refresh: none (login-only" in report
    binding = fastapi_sdk.session.Binding
    assert binding.login_path == "/api/v1/login/access-token" and binding.refresh_path is None
    assert issubclass(fastapi_sdk.SessionClient, SessionClient)
