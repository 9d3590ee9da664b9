"""Pointing the session layer at another upstream takes one short binding.

The upstream here is a SimpleJWT-style stand-in (``drf_upstream``): different
paths and field names, no token_type, no expires_in (lifetime from the JWT),
401 without an error code, 401 for a spent refresh token.
"""

from __future__ import annotations

import time

import anyio
import httpx
import pytest

from sdk_session import MemoryTokenStore, SessionAuth, SessionExpired

from .drf_upstream import PASSWORD, USER, SimpleJwtBinding, StandIn
from .support import POOL, WAIT, Clock, run_threads


def make_auth(drf: StandIn, clock: Clock, **kwargs: object) -> SessionAuth:
    return SessionAuth(drf.url, binding=SimpleJwtBinding(), clock=clock, **kwargs)  # type: ignore[arg-type]


def test_login_and_call_with_the_other_binding(drf: StandIn) -> None:
    clock = Clock()
    auth = make_auth(drf, clock)
    with httpx.Client(base_url=drf.url, auth=auth, limits=POOL) as client:
        tokens = auth.login(client, USER, PASSWORD)
        assert tokens.token_type == "Bearer"
        assert tokens.lifetime == pytest.approx(60.0)  # from the JWT's exp - iat
        assert client.get("/api/items/").status_code == 200
    assert (drf.state.logins, drf.state.refreshes) == (1, 0)


def test_refresh_before_expiry_from_the_jwt_exp(drf: StandIn) -> None:
    clock = Clock()
    auth = make_auth(drf, clock)
    with httpx.Client(base_url=drf.url, auth=auth, limits=POOL) as client:
        auth.login(client, USER, PASSWORD)
        clock.offset = 50  # 10 s before expiry: outside the 6 s leeway (10% of 60 s)
        assert client.get("/api/items/").status_code == 200
        assert drf.state.refreshes == 0
        clock.offset = 55  # inside it
        for _ in range(5):
            assert client.get("/api/items/").status_code == 200
    assert drf.state.refreshes == 1
    assert drf.state.unauthorized == 0


def test_401_without_error_code_refreshes_and_resends(drf: StandIn) -> None:
    drf.state.access_ttl = 0.2
    clock = Clock(frozen=True)  # our clock never sees the token expire: only the 401 tells
    auth = make_auth(drf, clock)
    with httpx.Client(base_url=drf.url, auth=auth, limits=POOL) as client:
        auth.login(client, USER, PASSWORD)
        drf.state.access_ttl = 60
        time.sleep(0.3)
        assert client.get("/api/items/").status_code == 200
    assert (drf.state.unauthorized, drf.state.refreshes) == (1, 1)


@pytest.mark.parametrize("rotate", [True, False])
def test_rotation_and_non_rotation(drf: StandIn, rotate: bool) -> None:
    drf.state.rotate = rotate
    clock = Clock()
    store = MemoryTokenStore()
    auth = make_auth(drf, clock, store=store)
    with httpx.Client(base_url=drf.url, auth=auth, limits=POOL) as client:
        first = auth.login(client, USER, PASSWORD)
        for step in (1, 2, 3):
            clock.offset = 100 * step
            assert client.get("/api/items/").status_code == 200
        current = store.load()
    assert current is not None
    assert (current.refresh_token == first.refresh_token) is not rotate
    assert (drf.state.refreshes, drf.state.rejected_refreshes) == (3, 0)


def test_spent_refresh_token_answered_401_expires_the_session(drf: StandIn) -> None:
    clock = Clock()
    store = MemoryTokenStore()
    auth = make_auth(drf, clock, store=store)
    with httpx.Client(base_url=drf.url, auth=auth, limits=POOL) as client:
        tokens = auth.login(client, USER, PASSWORD)
        assert tokens.refresh_token is not None
        drf.state.blacklist.add(tokens.refresh_token)
        clock.offset = 100
        with pytest.raises(SessionExpired) as caught:
            client.get("/api/items/")
    assert caught.value.reason == "rejected" and caught.value.session_ended
    assert store.load() is None


def test_threads_share_one_refresh(drf: StandIn) -> None:
    clock = Clock()
    auth = make_auth(drf, clock)
    with httpx.Client(base_url=drf.url, auth=auth, limits=POOL) as client:
        auth.login(client, USER, PASSWORD)
        clock.offset = 100
        results, errors = run_threads(50, lambda i: client.get("/api/items/").status_code)
    assert errors == [] and results == [200] * 50
    assert (drf.state.refreshes, drf.state.rejected_refreshes) == (1, 0)


@pytest.mark.anyio
async def test_async_tasks_share_one_refresh_after_401(drf: StandIn) -> None:
    drf.state.access_ttl = 0.2
    clock = Clock(frozen=True)
    auth = make_auth(drf, clock)
    statuses: list[int] = []
    async with httpx.AsyncClient(base_url=drf.url, auth=auth) as client:
        await auth.alogin(client, USER, PASSWORD)
        drf.state.access_ttl = 60
        await anyio.sleep(0.3)

        async def call() -> None:
            statuses.append((await client.get("/api/items/")).status_code)

        with anyio.fail_after(WAIT):
            async with anyio.create_task_group() as group:
                for _ in range(100):
                    group.start_soon(call)
    assert statuses == [200] * 100
    assert (drf.state.refreshes, drf.state.rejected_refreshes) == (1, 0)
