"""Where credentials may go: the base origin and an allowlist, never plain http, never
across a cross-origin redirect."""

from __future__ import annotations

import httpx
import pytest

from generated_sdk.session import Binding as ItemsBinding
from sdk_session import InsecureTransport, MemoryTokenStore, SessionAuth, SimpleJwtBinding, TokenSet

from .drf_upstream import PASSWORD, USER, StandIn


def test_cross_origin_redirect_drops_authorization(drf: StandIn, drf_other: StandIn) -> None:
    auth = SessionAuth(drf.url, binding=SimpleJwtBinding())
    with httpx.Client(base_url=drf.url, auth=auth, follow_redirects=True) as client:
        auth.login(client, USER, PASSWORD)
        same = client.get("/api/redirect", params={"to": f"{drf.url}/api/echo"})
        cross = client.get("/api/redirect", params={"to": f"{drf_other.url}/api/echo"})
    assert same.status_code == cross.status_code == 200
    assert drf.state.authorization_seen[0] is not None
    assert drf.state.authorization_seen[0].startswith("Bearer ")
    assert drf_other.state.authorization_seen == [None]


def test_other_origins_get_no_credentials_unless_allowed(drf: StandIn, drf_other: StandIn) -> None:
    plain = SessionAuth(drf.url, binding=SimpleJwtBinding())
    allowing = SessionAuth(drf.url, binding=SimpleJwtBinding(), allowed_origins=[drf_other.url])
    for auth in (plain, allowing):
        with httpx.Client(base_url=drf.url, auth=auth) as client:
            auth.login(client, USER, PASSWORD)
            assert client.get(f"{drf_other.url}/api/echo").status_code == 200
    first, second = drf_other.state.authorization_seen
    assert first is None
    assert second is not None and second.startswith("Bearer ")


def test_per_request_opt_out_sends_no_credentials(drf: StandIn) -> None:
    auth = SessionAuth(drf.url, binding=SimpleJwtBinding())
    with httpx.Client(base_url=drf.url, auth=auth) as client:
        auth.login(client, USER, PASSWORD)
        client.get("/api/echo", auth=None)
        client.get("/api/echo")
    assert drf.state.authorization_seen[0] is None
    assert drf.state.authorization_seen[1] is not None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"base_url": "http://api.example.com"},
        {"base_url": "https://api.example.com", "allowed_origins": ["http://cdn.example.com"]},
        {"base_url": "http://10.1.2.3:8000"},
    ],
)
def test_plain_http_to_a_remote_host_is_refused_before_sending(kwargs: dict[str, object]) -> None:
    with pytest.raises(InsecureTransport, match="plain http"):
        SessionAuth(**kwargs, binding=ItemsBinding())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000", "http://127.9.9.9"],
)
def test_plain_http_to_loopback_is_allowed(url: str) -> None:
    SessionAuth(url, binding=ItemsBinding())


def test_opting_in_to_insecure_http_and_origin_scoping_without_traffic() -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    store = MemoryTokenStore(TokenSet.issue(access_token="tok", expires_in=600, now=0))
    auth = SessionAuth(
        "http://api.example.com",
        store=store,
        allow_insecure_http=True,
        clock=lambda: 1.0,
        binding=ItemsBinding(),
    )
    with httpx.Client(auth=auth, transport=httpx.MockTransport(record)) as client:
        client.get("http://api.example.com/items")
        client.get("https://api.example.com/items")  # another origin (scheme)
        client.get("http://api.example.com:8080/items")  # another origin (port)
    assert [r.headers.get("authorization") for r in sent] == ["Bearer tok", None, None]


def test_token_endpoints_through_a_signed_client_are_left_alone() -> None:
    seen: list[tuple[str, str | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, request.headers.get("authorization")))
        return httpx.Response(401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})

    store = MemoryTokenStore(TokenSet.issue(access_token="tok", refresh_token="r", now=0))
    auth = SessionAuth("https://api.example.com", store=store, binding=ItemsBinding())
    with httpx.Client(
        base_url="https://api.example.com", auth=auth, transport=httpx.MockTransport(handler)
    ) as client:
        assert client.post("/refreshToken", json={"refresh_token": "x"}).status_code == 401
        assert client.post("/login", json={}).status_code == 401
    assert seen == [("/refreshToken", None), ("/login", None)]  # not signed, not refreshed


def test_session_client_refuses_plain_http_to_a_remote_host() -> None:
    from generated_sdk import SessionClient

    with pytest.raises(InsecureTransport):
        SessionClient(base_url="http://api.example.com")
    SessionClient(base_url="http://api.example.com", allow_insecure_http=True)
