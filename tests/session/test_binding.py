"""The Items API binding in isolation: requests built, responses parsed, errors typed."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

from generated_sdk.session import Binding as ItemsBinding
from sdk_session import (
    Credentials,
    LoginFailed,
    RefreshRejected,
    TokenEndpointUnavailable,
    TokenResponseError,
    TokenSet,
)

BASE = httpx.URL("https://api.example.com/v1")
GOOD = {"access_token": "A", "token_type": "Bearer", "refresh_token": "R", "expires_in": 2.5}
binding = ItemsBinding()
previous = TokenSet.issue(access_token="A0", refresh_token="R0", expires_in=1, now=0)


def answer(status: int, body: Any = None, *, raw: bytes | None = None) -> httpx.Response:
    content = raw if raw is not None else json.dumps(body).encode()
    return httpx.Response(status, content=content, headers={"content-type": "application/json"})


def test_requests_are_built_under_the_base_path() -> None:
    login = binding.login_request(BASE, Credentials("e@x", "pw"))
    assert (login.method, str(login.url)) == ("POST", "https://api.example.com/v1/login")
    assert json.loads(login.content) == {"email": "e@x", "password": "pw"}
    refresh = binding.refresh_request(BASE, previous)
    assert str(refresh.url) == "https://api.example.com/v1/refreshToken"
    assert json.loads(refresh.content) == {"refresh_token": "R0"}
    logout = binding.logout_request(BASE)
    assert logout is not None and logout.url.path == "/v1/logout"
    assert "authorization" not in refresh.headers and "authorization" not in login.headers


def test_token_endpoints_are_recognised() -> None:
    assert binding.is_token_endpoint(BASE, binding.refresh_request(BASE, previous))
    assert binding.is_token_endpoint(BASE, binding.login_request(BASE, Credentials("e", "p")))
    assert not binding.is_token_endpoint(BASE, httpx.Request("POST", BASE.join("/v1/items")))
    other = httpx.Request("POST", "https://elsewhere.example.com/v1/login")
    assert not binding.is_token_endpoint(BASE, other)


def test_parse_login_and_refresh() -> None:
    tokens = binding.parse_login(answer(200, GOOD), now=10.0)
    assert (tokens.access_token, tokens.refresh_token, tokens.expires_at) == ("A", "R", 12.5)
    rotated = binding.parse_refresh(answer(200, GOOD), previous, now=10.0)
    assert rotated.refresh_token == "R"


def test_refresh_without_a_new_refresh_token_keeps_the_old_one() -> None:
    body = {k: v for k, v in GOOD.items() if k != "refresh_token"}
    assert binding.parse_refresh(answer(200, body), previous, now=0).refresh_token == "R0"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"token_type": "Bearer"}, "lacks 'access_token'"),
        ({**GOOD, "access_token": 5}, "'access_token' has the wrong type (int)"),
        ({**GOOD, "expires_in": "60"}, "'expires_in' has the wrong type (str)"),
        ({**GOOD, "expires_in": True}, "'expires_in' has the wrong type (bool)"),
        ({**GOOD, "refresh_token": ["R"]}, "'refresh_token' has the wrong type (list)"),
        ([GOOD], "not a JSON object"),
    ],
)
def test_malformed_token_responses_are_typed_errors(body: Any, message: str) -> None:
    with pytest.raises(TokenResponseError, match=re.escape(message)):
        binding.parse_login(answer(200, body), now=0)
    with pytest.raises(TokenResponseError, match=re.escape(message)) as caught:
        binding.parse_refresh(answer(200, body), previous, now=0)
    assert "R0" not in str(caught.value)


def test_non_json_token_response() -> None:
    with pytest.raises(TokenResponseError, match="not JSON"):
        binding.parse_refresh(answer(200, raw=b"<html>oops"), previous, now=0)


@pytest.mark.parametrize("status", [400, 401, 403])
def test_refused_refresh_is_rejected(status: int) -> None:
    body = {"error": "invalid_grant", "message": "spent"}
    with pytest.raises(RefreshRejected, match="invalid_grant") as caught:
        binding.parse_refresh(answer(status, body), previous, now=0)
    assert caught.value.status_code == status


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_transient_refresh_failure_is_unavailable(status: int) -> None:
    with pytest.raises(TokenEndpointUnavailable):
        binding.parse_refresh(answer(status, {"error": "x"}), previous, now=0)


def test_login_refused_and_unsafe_error_codes_dropped() -> None:
    with pytest.raises(LoginFailed, match=r"HTTP 401 \(invalid_credentials\)") as caught:
        binding.parse_login(answer(401, {"error": "invalid_credentials"}), now=0)
    assert caught.value.status_code == 401
    echoed = {"error": "Bearer eyJhbGciOi.secret.stuff with spaces"}
    with pytest.raises(LoginFailed) as caught:
        binding.parse_login(answer(400, echoed), now=0)
    assert "secret" not in str(caught.value) and caught.value.error is None
