"""The ``/_control/`` mechanism: counters, config, reset and every fault kind."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator

import anyio
import httpx
import pytest

from reference_server import OPERATION_IDS, ControlError, Counters, ServerConfig
from reference_server.testing import TokenPair, Upstream, expect_error


@pytest.fixture
def http(upstream: Upstream) -> Iterator[httpx.Client]:
    with upstream.client() as client:
        yield client


@pytest.fixture
def tokens(upstream: Upstream) -> TokenPair:
    return upstream.login()


def test_counters_start_at_zero_for_every_operation(upstream: Upstream) -> None:
    assert upstream.control.counters() == Counters(requests=dict.fromkeys(OPERATION_IDS, 0))


def test_counters_count_what_happened(http: httpx.Client, upstream: Upstream) -> None:
    tokens = upstream.login()
    http.post("/login", json={"email": "demo@example.com", "password": "nope"})
    http.post("/login", json={"email": 1})  # a 422 is not a failed login
    renewed = http.post("/refreshToken", json={"refresh_token": tokens.refresh_token}).json()
    http.post("/refreshToken", json={"refresh_token": tokens.refresh_token})  # reuse
    http.get("/me", headers=tokens.headers)  # revoked -> 401
    http.get("/items")  # no token -> 401
    second = upstream.login()
    http.post("/logout", headers=second.headers)
    counters = upstream.control.counters()
    assert counters.logins == 2
    assert counters.failed_logins == 1
    assert counters.refreshes == 1
    assert counters.failed_refreshes == 1
    assert counters.reuse_detected == 1
    assert counters.unauthorized == 3  # wrong password, revoked token, missing token
    assert counters.logouts == 1
    assert counters.requests == {
        **dict.fromkeys(OPERATION_IDS, 0),
        "login": 4,
        "refresh": 2,
        "me": 1,
        "list": 1,
        "logout": 1,
    }
    assert renewed["refresh_token"] != tokens.refresh_token


async def raw_get(url: str, path: str, headers: dict[str, str]) -> int:
    """One HTTP/1.1 GET on its own connection; returns the status code.

    Raw sockets rather than httpx.AsyncClient: httpx's pool costs milliseconds of
    CPU per request, which would make 1000 concurrent requests take seconds.
    """
    host, port = url.removeprefix("http://").rsplit(":", 1)
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    async with await anyio.connect_tcp(host, int(port)) as stream:
        await stream.send(("\r\n".join(lines) + "\r\n\r\n").encode())
        received = b""
        with contextlib.suppress(anyio.EndOfStream):
            while True:
                received += await stream.receive()
    return int(received.split(b" ", 2)[1])


@pytest.mark.anyio
async def test_counters_are_exact_under_1000_concurrent_requests(
    upstream: Upstream, tokens: TokenPair
) -> None:
    statuses: list[int] = []

    async def hit(n: int) -> None:
        statuses.append(await raw_get(upstream.url, "/me", tokens.headers if n % 2 else {}))

    with anyio.fail_after(60):
        async with anyio.create_task_group() as group:
            for n in range(1000):
                group.start_soon(hit, n)
    assert sorted(statuses) == [200] * 500 + [401] * 500
    counters = upstream.control.counters()
    assert counters.requests["me"] == 1000
    assert counters.unauthorized == 500


def test_config_round_trip_and_reset(upstream: Upstream) -> None:
    control = upstream.control
    startup = control.config()
    changed = control.configure(access_ttl=1.5, reuse_detection=False)
    assert changed == ServerConfig(
        access_ttl=1.5, refresh_ttl=startup.refresh_ttl, reuse_detection=False
    )
    assert control.config() == changed
    control.reset()
    assert control.config() == startup


@pytest.mark.parametrize(
    "payload",
    [{"access_ttl": 0}, {"access_ttl": "1"}, {"reuse_detection": "yes"}, {"ttl": 1}],
)
def test_bad_config_is_422(http: httpx.Client, payload: object) -> None:
    expect_error(http.post("/_control/config", json=payload), 422, "validation_failed")


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"target": "everything"},
        {"target": "me", "status": 99},
        {"target": "me", "count": 0},
        {"target": "me", "latency": -1},
        {"target": "me", "body": "weird"},
        {"target": "me", "drop": "yes"},
        {"target": "me", "colour": "red"},
    ],
)
def test_bad_fault_is_422(http: httpx.Client, payload: object) -> None:
    expect_error(http.post("/_control/faults", json=payload), 422, "validation_failed")


def test_control_client_raises_on_rejection(upstream: Upstream) -> None:
    with pytest.raises(ControlError):
        upstream.control.fault("nowhere")


def test_status_fault_with_retry_after(
    http: httpx.Client, upstream: Upstream, tokens: TokenPair
) -> None:
    upstream.control.fault("me", status=429, retry_after="2")
    response = http.get("/me", headers=tokens.headers)
    expect_error(response, 429, "rate_limited")
    assert response.headers["retry-after"] == "2"
    assert http.get("/me", headers=tokens.headers).status_code == 200  # count=1 is used up


def test_forced_401_carries_the_challenge(
    http: httpx.Client, upstream: Upstream, tokens: TokenPair
) -> None:
    upstream.control.fault("api", status=401)
    response = http.get("/items", headers=tokens.headers)
    expect_error(response, 401, "invalid_token")
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert upstream.control.counters().unauthorized == 1


def test_faults_are_consumed_in_order_and_by_target(
    http: httpx.Client, upstream: Upstream, tokens: TokenPair
) -> None:
    control = upstream.control
    control.fault("token", status=503, count=2)
    control.fault("api", status=500)
    control.fault("refresh", status=502)
    login = {"email": "demo@example.com", "password": "demo-password"}
    assert http.get("/me", headers=tokens.headers).status_code == 500
    assert http.get("/me", headers=tokens.headers).status_code == 200
    assert http.post("/login", json=login).status_code == 503
    assert http.post("/refreshToken", json={"refresh_token": "x"}).status_code == 503
    assert http.post("/refreshToken", json={"refresh_token": "x"}).status_code == 502
    assert http.post("/login", json=login).status_code == 200
    counters = control.counters()
    assert counters.logins == 2  # the fixture's login and the last one; faults skip the handler
    assert counters.requests["login"] == 3


def test_unlimited_fault_lasts_until_cleared(
    http: httpx.Client, upstream: Upstream, tokens: TokenPair
) -> None:
    upstream.control.fault("get", status=503, count=None)
    for _ in range(3):
        assert http.get("/items/1", headers=tokens.headers).status_code == 503
    assert http.get("/items", headers=tokens.headers).status_code == 200  # other operation
    upstream.control.clear_faults()
    assert http.get("/items/1", headers=tokens.headers).status_code == 200


def test_latency_fault_delays_the_real_answer(
    http: httpx.Client, upstream: Upstream, tokens: TokenPair
) -> None:
    upstream.control.fault("me", latency=0.4)
    started = time.monotonic()
    response = http.get("/me", headers=tokens.headers)
    assert time.monotonic() - started >= 0.38
    assert response.status_code == 200
    started = time.monotonic()
    http.get("/me", headers=tokens.headers)
    assert time.monotonic() - started < 0.38


def test_latency_fault_trips_client_timeouts(upstream: Upstream, tokens: TokenPair) -> None:
    upstream.control.fault("me", latency=1.0)
    with upstream.client(timeout=0.2) as impatient, pytest.raises(httpx.ReadTimeout):
        impatient.get("/me", headers=tokens.headers)


def test_drop_closes_the_connection_without_an_answer(
    http: httpx.Client, upstream: Upstream, tokens: TokenPair
) -> None:
    upstream.control.fault("me", drop=True)
    with pytest.raises(httpx.RemoteProtocolError, match="without sending"):
        http.get("/me", headers=tokens.headers)
    assert http.get("/me", headers=tokens.headers).status_code == 200
    assert upstream.control.counters().requests["me"] == 2


def test_drop_of_a_request_with_a_body(http: httpx.Client, upstream: Upstream) -> None:
    upstream.control.fault("token", drop=True, latency=0.05)
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        http.post("/login", json={"email": "demo@example.com", "password": "demo-password"})
    assert upstream.control.counters().logins == 0


def test_malformed_body(http: httpx.Client, upstream: Upstream, tokens: TokenPair) -> None:
    upstream.control.fault("me", body="malformed")
    response = http.get("/me", headers=tokens.headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_truncated_body(http: httpx.Client, upstream: Upstream, tokens: TokenPair) -> None:
    upstream.control.fault("list", body="truncated")
    response = http.get("/items", headers=tokens.headers)
    assert response.status_code == 200
    assert response.text.startswith('{"items":[{')
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_html_body_with_status(http: httpx.Client, upstream: Upstream, tokens: TokenPair) -> None:
    upstream.control.fault("api", status=502, body="html")
    response = http.get("/me", headers=tokens.headers)
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert "<html>" in response.text


def test_huge_body_is_valid_json(http: httpx.Client, upstream: Upstream, tokens: TokenPair) -> None:
    upstream.control.fault("me", body="huge")
    response = http.get("/me", headers=tokens.headers)
    assert response.status_code == 200
    assert len(response.content) > 5_000_000
    assert response.json()["email"] == "demo@example.com"


def test_missing_fields_body(http: httpx.Client, upstream: Upstream) -> None:
    upstream.control.fault("login", body="missing_fields")
    response = http.post("/login", json={"email": "demo@example.com", "password": "demo-password"})
    assert response.status_code == 200
    assert set(response.json()) == {"token_type", "expires_in"}
    assert upstream.control.counters().logins == 1  # the login really happened


def test_wrong_types_body(http: httpx.Client, upstream: Upstream, tokens: TokenPair) -> None:
    upstream.control.fault("refresh", body="wrong_types")
    response = http.post("/refreshToken", json={"refresh_token": tokens.refresh_token})
    assert response.status_code == 200
    body = response.json()
    assert body["access_token"] == 12345
    assert body["expires_in"] == "not-a-number"


def test_body_fault_on_a_204_operation(
    http: httpx.Client, upstream: Upstream, tokens: TokenPair
) -> None:
    upstream.control.fault("delete", body="malformed")
    response = http.delete("/items/1", headers=tokens.headers)
    assert response.status_code == 200
    assert response.content
    assert http.get("/items/1", headers=tokens.headers).status_code == 404


def test_error_body_spoiled_with_status(
    http: httpx.Client, upstream: Upstream, tokens: TokenPair
) -> None:
    upstream.control.fault("me", status=503, body="missing_fields", retry_after="1")
    response = http.get("/me", headers=tokens.headers)
    assert response.status_code == 503
    assert response.json() == {"message": "Injected fault: 503."}
    assert response.headers["retry-after"] == "1"


def test_listing_and_clearing_faults(http: httpx.Client, upstream: Upstream) -> None:
    upstream.control.fault("me", status=500, count=3)
    listed = http.get("/_control/faults").json()["faults"]
    assert listed == [
        {
            "target": "me",
            "latency": None,
            "status": 500,
            "count": 3,
            "retry_after": None,
            "body": None,
            "drop": False,
        }
    ]
    upstream.control.clear_faults()
    assert http.get("/_control/faults").json() == {"faults": []}


def test_reset_clears_faults_counters_and_sessions(
    http: httpx.Client, upstream: Upstream, tokens: TokenPair
) -> None:
    upstream.control.fault("me", status=500, count=None)
    upstream.control.reset()
    assert upstream.control.counters().logins == 0
    assert http.get("/me", headers=tokens.headers).status_code == 401
    assert http.get("/me", headers=upstream.login().headers).status_code == 200


def test_controls_are_not_counted_as_operations(http: httpx.Client, upstream: Upstream) -> None:
    http.get("/_control/counters")
    http.get("/_control/faults")
    assert sum(upstream.control.counters().requests.values()) == 0
