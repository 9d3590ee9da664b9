"""Every upstream fault of the fault matrix (docs/reliability.md), sync and async.

Each case ends in success or in one typed error naming the cause, within
``support.BOUND`` seconds, with the token store intact (old tokens, new tokens,
or deliberately cleared: never anything else).
"""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest

from generated_sdk import errors
from generated_sdk.errors import ApiConnectionError, ApiTimeoutError
from reference_server.faults import BodyKind
from reference_server.testing import Upstream
from sdk_session import MemoryTokenStore, SessionExpired, TokenSet

from .support import MODES, Api, expire_access, make_client, provider, run

pytestmark = pytest.mark.parametrize("mode", MODES)


def refreshes(upstream: Upstream) -> int:
    return upstream.control.counters().requests["refresh"]


# -- the token endpoint ------------------------------------------------------------


def test_refresh_slower_than_the_timeout_fails_fast_then_recovers(
    upstream: Upstream, mode: str
) -> None:
    store = MemoryTokenStore()
    client = make_client(upstream, store=store, token_timeout=0.3, credentials=provider)

    async def scenario(api: Api) -> None:
        await expire_access(upstream, api.login)()
        before = store.load()
        upstream.control.fault("refresh", latency=1.5)
        start = time.monotonic()
        with pytest.raises((ApiTimeoutError, SessionExpired)):
            await api.list()
        assert time.monotonic() - start < 1.2  # one attempt: a lost refresh is not resent
        assert store.load() == before  # untouched: the old tokens
        await api.list()  # the late refresh may have rotated: re-login through the provider

    run(mode, client, scenario)
    assert store.load() is not None


@pytest.mark.parametrize("status", [500, 503])
def test_refresh_5xx_once_is_retried_within_the_token_budget(
    upstream: Upstream, mode: str, status: int
) -> None:
    store = MemoryTokenStore()
    client = make_client(upstream, store=store)

    async def scenario(api: Api) -> None:
        await expire_access(upstream, api.login)()
        upstream.control.fault("refresh", status=status, count=1)
        await api.list()

    run(mode, client, scenario)
    assert refreshes(upstream) == 2
    assert upstream.control.counters().refreshes == 1


@pytest.mark.parametrize("status", [500, 503])
def test_refresh_5xx_beyond_the_budget_is_one_typed_error_and_keeps_the_session(
    upstream: Upstream, mode: str, status: int
) -> None:
    store = MemoryTokenStore()
    client = make_client(upstream, store=store)

    async def scenario(api: Api) -> None:
        await expire_access(upstream, api.login)()
        before = store.load()
        upstream.control.fault("refresh", status=status, count=None)
        with pytest.raises(SessionExpired) as caught:
            await api.list()
        assert (caught.value.reason, caught.value.session_ended) == ("unavailable", False)
        assert store.load() == before
        upstream.control.clear_faults()
        await api.list()

    run(mode, client, scenario)
    assert refreshes(upstream) == 3 + 1  # 1 + token budget (2), then the good one


def test_refresh_dropped_once_is_sent_once_more(upstream: Upstream, mode: str) -> None:
    """How a pooled connection the server closed while idle fails (gunicorn after 2 s):
    the call never sees it."""
    store = MemoryTokenStore()
    client = make_client(upstream, store=store)

    async def scenario(api: Api) -> None:
        await expire_access(upstream, api.login)()
        before = store.load()
        upstream.control.fault("refresh", drop=True)
        await api.list()
        after = store.load()
        assert before is not None and after is not None
        assert after.generation > before.generation

    run(mode, client, scenario)
    counters = upstream.control.counters()
    assert (refreshes(upstream), counters.refreshes, counters.reuse_detected) == (2, 1, 0)


def test_refresh_dropped_twice_fails_typed_and_keeps_the_session(
    upstream: Upstream, mode: str
) -> None:
    store = MemoryTokenStore()
    client = make_client(upstream, store=store)

    async def scenario(api: Api) -> None:
        await expire_access(upstream, api.login)()
        before = store.load()
        upstream.control.fault("refresh", drop=True, count=2)
        with pytest.raises((ApiConnectionError, SessionExpired)):
            await api.list()
        assert store.load() == before
        await api.list()  # the dropped refresh was not handled: the old token still works

    run(mode, client, scenario)
    assert refreshes(upstream) == 3


def test_dropped_login_is_retried(upstream: Upstream, mode: str) -> None:
    client = make_client(upstream)

    async def scenario(api: Api) -> None:
        upstream.control.fault("login", drop=True)
        assert isinstance(await api.login(), TokenSet)

    run(mode, client, scenario)
    assert upstream.control.counters().requests["login"] == 2


@pytest.mark.parametrize(
    "body", ["malformed", "html", "missing_fields", "wrong_types", "truncated"]
)
def test_unusable_refresh_answer_without_provider_ends_the_session(
    upstream: Upstream, mode: str, body: BodyKind
) -> None:
    store = MemoryTokenStore()
    client = make_client(upstream, store=store)

    async def scenario(api: Api) -> None:
        await expire_access(upstream, api.login)()
        upstream.control.fault("refresh", body=body)
        with pytest.raises(SessionExpired) as caught:
            await api.list()
        assert (caught.value.reason, caught.value.session_ended) == ("malformed", True)

    run(mode, client, scenario)
    assert store.load() is None  # deliberately cleared: the refresh token was spent


@pytest.mark.parametrize("body", ["malformed", "html", "missing_fields", "wrong_types"])
def test_unusable_refresh_answer_with_provider_logs_in_again(
    upstream: Upstream, mode: str, body: BodyKind
) -> None:
    store = MemoryTokenStore()
    client = make_client(upstream, store=store, credentials=provider)

    async def scenario(api: Api) -> None:
        await expire_access(upstream, api.login)()
        upstream.control.fault("refresh", body=body)
        await api.list()

    run(mode, client, scenario)
    assert upstream.control.counters().logins == 2
    assert store.load() is not None


def test_huge_refresh_answer_is_used(upstream: Upstream, mode: str) -> None:
    store = MemoryTokenStore()
    client = make_client(upstream, store=store)

    async def scenario(api: Api) -> None:
        await expire_access(upstream, api.login)()
        upstream.control.fault("refresh", body="huge")
        await api.list()
        await api.list()

    run(mode, client, scenario)
    assert upstream.control.counters().refreshes == 1


def test_server_restart_recovers_through_the_credentials_provider(
    upstream: Upstream, mode: str
) -> None:
    store = MemoryTokenStore()
    client = make_client(upstream, store=store, credentials=provider)

    async def scenario(api: Api) -> None:
        await api.login()
        upstream.control.forget_sessions()
        await api.list()

    run(mode, client, scenario)
    assert upstream.control.counters().logins == 2


def test_server_restart_without_provider_is_one_typed_error(upstream: Upstream, mode: str) -> None:
    store = MemoryTokenStore()
    client = make_client(upstream, store=store)

    async def scenario(api: Api) -> None:
        await api.login()
        upstream.control.forget_sessions()
        with pytest.raises(SessionExpired) as caught:
            await api.list()
        assert (caught.value.reason, caught.value.session_ended) == ("rejected", True)

    run(mode, client, scenario)
    assert store.load() is None


# -- API calls -----------------------------------------------------------------------


@pytest.mark.parametrize("status", [502, 503, 504, 408])
def test_api_transient_status_is_retried(upstream: Upstream, mode: str, status: int) -> None:
    client = make_client(upstream)

    async def scenario(api: Api) -> None:
        await api.login()
        upstream.control.fault("list", status=status, count=2)
        await api.list()

    run(mode, client, scenario)
    assert upstream.control.counters().requests["list"] == 3


def test_api_500_is_not_retried(upstream: Upstream, mode: str) -> None:
    client = make_client(upstream)

    async def scenario(api: Api) -> None:
        await api.login()
        upstream.control.fault("list", status=500)
        with pytest.raises(errors.ServerError):
            await api.list()

    run(mode, client, scenario)
    assert upstream.control.counters().requests["list"] == 1


def test_api_503_beyond_the_budget_is_a_typed_error(upstream: Upstream, mode: str) -> None:
    client = make_client(upstream)

    async def scenario(api: Api) -> None:
        await api.login()
        upstream.control.fault("list", status=503, count=None, body="html")
        with pytest.raises(errors.ServerError):
            await api.list()

    run(mode, client, scenario)
    assert upstream.control.counters().requests["list"] == 3


def test_api_dropped_connection_is_retried(upstream: Upstream, mode: str) -> None:
    client = make_client(upstream)

    async def scenario(api: Api) -> None:
        await api.login()
        upstream.control.fault("list", drop=True, count=2)
        await api.list()

    run(mode, client, scenario)
    assert upstream.control.counters().requests["list"] == 3


def test_api_slow_past_the_timeout_is_retried_then_typed(upstream: Upstream, mode: str) -> None:
    client = make_client(upstream, timeout=httpx.Timeout(0.3))

    async def scenario(api: Api) -> None:
        await api.login()
        upstream.control.fault("list", latency=1.0, count=None)
        start = time.monotonic()
        with pytest.raises(ApiTimeoutError):
            await api.list()
        assert time.monotonic() - start < 3 * 0.3 + 1.0

    run(mode, client, scenario)


def test_api_429_honours_retry_after_seconds(upstream: Upstream, mode: str) -> None:
    client = make_client(upstream)

    async def scenario(api: Api) -> None:
        await api.login()
        upstream.control.fault("list", status=429, retry_after="1")
        start = time.monotonic()
        await api.list()
        assert 0.9 <= time.monotonic() - start < 5

    run(mode, client, scenario)
    assert upstream.control.counters().requests["list"] == 2


def test_api_429_honours_retry_after_http_date(upstream: Upstream, mode: str) -> None:
    client = make_client(upstream)

    async def scenario(api: Api) -> None:
        await api.login()
        when = email.utils.formatdate(time.time() + 2, usegmt=True)  # whole seconds: 1-2 s
        upstream.control.fault("list", status=429, retry_after=when)
        start = time.monotonic()
        await api.list()
        assert 0.5 <= time.monotonic() - start < 5

    run(mode, client, scenario)
    assert upstream.control.counters().requests["list"] == 2


def test_api_429_with_retry_after_over_the_cap_fails_fast(upstream: Upstream, mode: str) -> None:
    client = make_client(upstream)

    async def scenario(api: Api) -> None:
        await api.login()
        upstream.control.fault("list", status=429, retry_after="3600")
        start = time.monotonic()
        with pytest.raises(errors.TooManyRequests) as caught:
            await api.list()
        assert caught.value.retry_after == 3600
        assert time.monotonic() - start < 2

    run(mode, client, scenario)
    assert upstream.control.counters().requests["list"] == 1


@pytest.mark.parametrize("body", ["malformed", "html", "truncated", "wrong_types"])
def test_api_garbage_success_body_is_response_parse_error(
    upstream: Upstream, mode: str, body: BodyKind
) -> None:
    client = make_client(upstream)

    async def scenario(api: Api) -> None:
        await api.login()
        upstream.control.fault("list", body=body)
        with pytest.raises(errors.ResponseParseError):
            await api.list()

    run(mode, client, scenario)


def test_api_huge_body_parses(upstream: Upstream, mode: str) -> None:
    client = make_client(upstream)

    async def scenario(api: Api) -> None:
        await api.login()
        upstream.control.fault("list", body="huge")
        page = await api.list()
        assert "padding" in page.additional_properties

    run(mode, client, scenario)


def test_post_without_idempotency_key_is_not_retried(upstream: Upstream, mode: str) -> None:
    client = make_client(upstream)

    async def scenario(api: Api) -> None:
        await api.login()
        upstream.control.fault("create", status=503)
        with pytest.raises(errors.ServerError):
            await api.create("once")

    run(mode, client, scenario)
    assert upstream.control.counters().requests["create"] == 1


def test_post_with_idempotency_key_is_retried(upstream: Upstream, mode: str) -> None:
    client = make_client(upstream)

    async def scenario(api: Api) -> None:
        await api.login()
        upstream.control.fault("create", status=503)
        await api.create("keyed", headers={"Idempotency-Key": "k-1"})

    run(mode, client, scenario)
    assert upstream.control.counters().requests["create"] == 2


def test_retries_and_the_401_resend_share_one_budget(upstream: Upstream, mode: str) -> None:
    client = make_client(upstream)

    async def scenario(api: Api) -> None:
        await api.login()
        upstream.control.fault("list", status=503)  # retry 1
        upstream.control.fault("list", status=401)  # up to the auth flow: refresh, resend
        upstream.control.fault("list", status=503, count=2)  # retry 2, then out of budget
        with pytest.raises(errors.ServerError):
            await api.list()

    run(mode, client, scenario)
    counters = upstream.control.counters()
    assert counters.requests["list"] == 4  # 1 + 2 retries + the one 401 resend
    assert counters.refreshes == 1
