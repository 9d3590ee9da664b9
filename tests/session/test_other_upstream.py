"""A real Django REST framework + SimpleJWT upstream (tests/drf_upstream under gunicorn gthread).

Different paths and field names, no token_type, no expires_in (lifetime from the
JWT, whole seconds), 401 without an error code, 401 for a blacklisted refresh
token, rotation with blacklist after rotation. Counts come from the server.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import anyio
import httpx
import pytest
from drf_upstream.server import PASSWORD, USER, DrfUpstream, serve_drf

from sdk_session import (
    AsyncDispatchTransport,
    DispatchTransport,
    NotLoggedIn,
    RefreshRejected,
    SessionAuth,
    SessionExpired,
    SimpleJwtBinding,
    TokenSet,
)
from sdk_session.tokens import jwt_claims

from .support import WAIT, run_threads

ITEMS, REFRESH = "/api/items/", "/api/token/refresh/"


@pytest.fixture(scope="module")
def drf2() -> Iterator[DrfUpstream]:
    """The real upstream with 2 s access tokens (really 1-2 s: SimpleJWT floors them)."""
    with serve_drf(access_seconds=2) as upstream:
        yield upstream


@pytest.fixture
def drf(drf2: DrfUpstream) -> DrfUpstream:
    drf2.reset()
    return drf2


def make_auth(drf: DrfUpstream, **kwargs: object) -> SessionAuth:
    return SessionAuth(drf.url, binding=SimpleJwtBinding(), **kwargs)  # type: ignore[arg-type]


def sync_client(drf: DrfUpstream, auth: SessionAuth) -> httpx.Client:
    # What a plain-client user installs to sign at dispatch (see sdk_session.dispatch).
    return httpx.Client(base_url=drf.url, auth=auth, transport=DispatchTransport(), timeout=WAIT)


def wait_until_expired(tokens: TokenSet) -> None:
    claims = jwt_claims(tokens.access_token) or {}
    time.sleep(max(float(claims["exp"]) - time.time(), 0.0) + 0.05)


def test_login_takes_the_worst_case_of_whole_second_claims(drf: DrfUpstream) -> None:
    auth = make_auth(drf)
    with sync_client(drf, auth) as client:
        before = time.time()
        tokens = auth.login(client, USER, PASSWORD)
        assert tokens.token_type == "Bearer"
        claims = jwt_claims(tokens.access_token) or {}
        assert tokens.expires_at is not None
        assert tokens.expires_at <= float(claims["exp"])  # never later than the token says
        # SimpleJWT takes the access token's exp from the refresh token's clock reading and
        # its iat from its own: when a second ticks between the two, exp - iat is 1, not 2.
        lifetime = float(claims["exp"]) - float(claims["iat"])
        assert lifetime in (1.0, 2.0)
        assert tokens.expires_at >= before + lifetime - 1 - 0.5  # at worst a floored second early
        assert tokens.refresh_floor is not None  # whole seconds: no useless early refresh
        assert client.get(ITEMS).status_code == 200
    assert drf.count(ITEMS, 200) == 1


def test_threads_on_an_expired_token_share_one_refresh_and_send_no_dead_token(
    drf: DrfUpstream,
) -> None:
    auth = make_auth(drf)
    with sync_client(drf, auth) as client:
        wait_until_expired(auth.login(client, USER, PASSWORD))
        results, errors = run_threads(50, lambda i: client.get(ITEMS).status_code)
    assert errors == [] and results == [200] * 50
    assert (drf.count(REFRESH, 200), drf.count(ITEMS, 401)) == (1, 0)


@pytest.mark.anyio
async def test_tasks_on_an_expired_token_share_one_refresh(drf: DrfUpstream) -> None:
    auth = make_auth(drf)
    transport = AsyncDispatchTransport()
    async with httpx.AsyncClient(
        base_url=drf.url, auth=auth, transport=transport, timeout=WAIT
    ) as client:
        tokens = await auth.alogin(client, USER, PASSWORD)
        claims = jwt_claims(tokens.access_token) or {}
        await anyio.sleep(max(float(claims["exp"]) - time.time(), 0.0) + 0.05)
        statuses: list[int] = []

        async def call() -> None:
            statuses.append((await client.get(ITEMS)).status_code)

        with anyio.fail_after(WAIT):
            async with anyio.create_task_group() as group:
                for _ in range(100):
                    group.start_soon(call)
    assert statuses == [200] * 100
    assert (drf.count(REFRESH, 200), drf.count(ITEMS, 401)) == (1, 0)


def test_rotation_replaces_the_refresh_token_and_blacklists_the_old_one(drf: DrfUpstream) -> None:
    auth = make_auth(drf)
    with sync_client(drf, auth) as client:
        first = auth.login(client, USER, PASSWORD)
        wait_until_expired(first)
        assert client.get(ITEMS).status_code == 200
        second = auth.store.load()
        assert second is not None and second.refresh_token != first.refresh_token
        spent = httpx.post(f"{drf.url}{REFRESH}", json={"refresh": first.refresh_token})
        assert spent.status_code == 401 and spent.json()["code"] == "token_not_valid"


def test_blacklisted_refresh_token_fails_every_caller_alike_then_nothing_is_sent(
    drf: DrfUpstream,
) -> None:
    auth = make_auth(drf)
    with sync_client(drf, auth) as client:
        tokens = auth.login(client, USER, PASSWORD)
        # Somebody else spends the refresh token: it is blacklisted after rotation.
        stolen = httpx.post(f"{drf.url}{REFRESH}", json={"refresh": tokens.refresh_token})
        assert stolen.status_code == 200
        wait_until_expired(tokens)
        drf.reset()
        results, errors = run_threads(30, lambda i: client.get(ITEMS))
        assert results == [] and len(errors) == 30
        assert all(isinstance(e, SessionExpired) and e.reason == "rejected" for e in errors)
        assert all(isinstance(e.__cause__, RefreshRejected) for e in errors)
        assert drf.counters() == {f"{REFRESH} 401": 1}  # one refusal; no API call was sent
        for _ in range(5):  # later calls raise locally and send nothing
            with pytest.raises(SessionExpired):
                client.get(ITEMS)
    assert drf.counters() == {f"{REFRESH} 401": 1}


@pytest.mark.anyio
async def test_async_without_a_session_raises_locally(drf: DrfUpstream) -> None:
    auth = make_auth(drf)
    async with httpx.AsyncClient(base_url=drf.url, auth=auth) as client:
        for _ in range(3):
            with pytest.raises(NotLoggedIn):
                await client.get(ITEMS)
    assert drf.counters() == {}


def test_short_soak_refreshes_only_for_newer_tokens(drf: DrfUpstream) -> None:
    exps: list[float] = []

    def remember(tokens: TokenSet | None) -> None:
        if tokens is not None:
            exps.append(float((jwt_claims(tokens.access_token) or {})["exp"]))

    auth = make_auth(drf, on_tokens=remember)
    with sync_client(drf, auth) as client:
        auth.login(client, USER, PASSWORD)
        deadline = time.monotonic() + 4.0

        def work(i: int) -> int:
            calls = 0
            while time.monotonic() < deadline and calls < 2000:
                assert client.get(ITEMS).status_code == 200
                calls += 1
            return calls

        results, errors = run_threads(4, work)
    assert errors == []
    calls = sum(r for r in results if isinstance(r, int))
    assert len(exps) >= 2  # renewed as the tokens expired
    assert all(b > a for a, b in itertools.pairwise(exps))  # every token newer
    assert drf.count(REFRESH, 200) == len(exps) - 1
    assert drf.count(ITEMS, 401) <= max(1, calls // 100)
