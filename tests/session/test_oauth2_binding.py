"""RFC 6749 token calls as ``OAuth2Binding`` builds and reads them, and the session around
them (client credentials, login-only, revocation), on httpx mock transports.

These pin the wire format and the error mapping; tests/oauth2_upstream runs the same
session against a real provider (django-oauth-toolkit) and FastAPI.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any, ClassVar, Literal
from urllib.parse import parse_qs

import httpx
import pytest

from sdk_session import (
    InvalidClient,
    OAuth2Binding,
    SessionClient,
    SessionExpired,
    UnsupportedGrant,
)
from sdk_session.client import Client

BASE = "https://api.example"
SECRET = "s3cr3t+/=value"


class Binding(OAuth2Binding):
    login_path = "/o/token/"
    refresh_path = "/o/token/"
    revocation_path = "/o/revoke_token/"
    scopes = ("read", "write")


class Machine(Binding):
    grant: ClassVar[Literal["password", "client_credentials"]] = "client_credentials"


def _form(request: httpx.Request) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(request.content.decode()).items()}


def _basic(request: httpx.Request) -> tuple[str, str]:
    scheme, _, encoded = request.headers["Authorization"].partition(" ")
    assert scheme == "Basic"
    user, _, password = base64.b64decode(encoded).decode().partition(":")
    return user, password


def test_password_grant_with_basic_client_authentication() -> None:
    binding = Binding("my client", SECRET)
    request = binding.login_request(httpx.URL(BASE), _credentials())
    assert request.url == httpx.URL(BASE + "/o/token/")
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert _form(request) == {
        "grant_type": "password",
        "username": "ada",
        "password": "pw",
        "scope": "read write",
    }
    # RFC 6749 2.3.1: id and secret form-encoded before Basic.
    assert _basic(request) == ("my+client", "s3cr3t%2B%2F%3Dvalue")


def test_refresh_grant_post_authentication_and_public_clients() -> None:
    class Post(Binding):
        client_auth: ClassVar[Literal["client_secret_basic", "client_secret_post"]] = (
            "client_secret_post"
        )

    tokens = _tokens(refresh="r1")
    request = Post("cid", SECRET).refresh_request(httpx.URL(BASE), tokens)
    assert "Authorization" not in request.headers
    assert _form(request) == {
        "grant_type": "refresh_token",
        "refresh_token": "r1",
        "client_id": "cid",
        "client_secret": SECRET,
    }
    public = Binding("cid").refresh_request(httpx.URL(BASE), tokens)
    assert "Authorization" not in public.headers
    assert _form(public)["client_id"] == "cid" and "client_secret" not in _form(public)


def test_token_endpoint_on_another_origin() -> None:
    class Remote(Binding):
        login_path = "https://auth.example/oauth/token"

    binding = Remote("cid", SECRET)
    request = binding.login_request(httpx.URL(BASE), _credentials())
    assert request.url == httpx.URL("https://auth.example/oauth/token")
    assert binding.is_token_endpoint(httpx.URL(BASE), request)
    api_call = httpx.Request("POST", BASE + "/oauth/token")
    assert not binding.is_token_endpoint(httpx.URL(BASE), api_call)


@pytest.mark.parametrize(
    ("status", "code", "kind", "says"),
    [
        (401, "invalid_client", InvalidClient, "refused client 'cid' (invalid_client)"),
        (400, "unsupported_grant_type", UnsupportedGrant, "the password grant"),
        (400, "unauthorized_client", UnsupportedGrant, "the password grant (unauthorized"),
    ],
)
def test_configuration_errors_are_typed_and_never_show_the_secret(
    status: int, code: str, kind: type[Exception], says: str
) -> None:
    binding = Binding("cid", SECRET)
    response = _answer(status, {"error": code}, binding.login_request(httpx.URL(BASE), _creds()))
    with pytest.raises(kind) as caught:
        binding.parse_login(response, now=0.0)
    assert says in str(caught.value)
    for text in (str(caught.value), repr(caught.value), repr(binding)):
        assert SECRET not in text
    assert "client_secret=<redacted>" in repr(binding)


def test_a_client_credentials_binding_needs_its_secret() -> None:
    with pytest.raises(ValueError, match="pass client_id and client_secret"):
        Machine("cid")
    with pytest.raises(ValueError, match="needs its client_id"):
        Binding(None, SECRET)


class Upstream:
    """A token endpoint and one API route with the given token lifetime, counting calls."""

    def __init__(self, *, refresh: bool = True, lifetime: int = 60) -> None:
        self.refresh, self.lifetime = refresh, lifetime
        self.grants: list[str] = []
        self.revoked: list[dict[str, str]] = []
        self.valid: set[str] = set()
        self.api_auth: list[str | None] = []
        self.issued = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/o/token/":
            form = _form(request)
            self.grants.append(form["grant_type"])
            self.issued += 1
            token = f"access-{self.issued}"
            self.valid = {token}
            body: dict[str, Any] = {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": self.lifetime,
            }
            if self.refresh and form["grant_type"] != "client_credentials":
                body["refresh_token"] = f"refresh-{self.issued}"
            return httpx.Response(200, json=body)
        if request.url.path == "/o/revoke_token/":
            self.revoked.append(_form(request) | {"auth": request.headers.get("Authorization", "")})
            self.valid = set()
            return httpx.Response(200)
        header = request.headers.get("Authorization")
        self.api_auth.append(header)
        if header is None or header.removeprefix("Bearer ") not in self.valid:
            return httpx.Response(401, json={"detail": "expired"})
        return httpx.Response(200, json={"ok": True})

    def expire(self) -> None:
        self.valid = set()


def _client(upstream: Upstream, binding: OAuth2Binding, **options: Any) -> SessionClient:
    transport = httpx.MockTransport(upstream)
    return SessionClient(
        base_url=BASE, binding=binding, httpx_args={"transport": transport}, **options
    )


def _get(client: Client) -> httpx.Response:
    return client.get_httpx_client().get("/api/items/")


def test_client_credentials_obtain_and_renew_tokens_without_a_login() -> None:
    upstream = Upstream()
    with _client(upstream, Machine("cid", SECRET)) as client:
        assert _get(client).status_code == 200
        upstream.expire()  # a 401: obtain a new token and resend
        assert _get(client).status_code == 200
    assert upstream.grants == ["client_credentials", "client_credentials"]
    assert upstream.api_auth == ["Bearer access-1", "Bearer access-1", "Bearer access-2"]


def test_login_only_upstreams_log_in_again_with_the_kept_credentials() -> None:
    upstream = Upstream(refresh=False)
    with _client(upstream, Binding()) as client:
        client.login("ada", "pw")
        upstream.expire()
        assert _get(client).status_code == 200
        assert upstream.grants == ["password", "password"]
        client.logout()
        assert client.session.credentials is None  # forgotten at logout


def test_keep_login_false_surfaces_the_401_as_an_expired_session() -> None:
    upstream = Upstream(refresh=False)
    with _client(upstream, Binding(), keep_login=False) as client:
        client.login("ada", "pw")
        upstream.expire()
        with pytest.raises(SessionExpired) as caught:
            _get(client)
    assert caught.value.reason == "no_refresh_token"


def test_logout_revokes_the_refresh_token_as_a_token_call() -> None:
    upstream = Upstream()
    with _client(upstream, Binding("cid", SECRET)) as client:
        client.login("ada", "pw")
        client.logout()
        assert client.tokens is None
    (revoked,) = upstream.revoked
    assert revoked["token"] == "refresh-1" and revoked["token_type_hint"] == "refresh_token"
    assert revoked["auth"].startswith("Basic ")  # the client's, not the user's Bearer


def test_invalid_client_during_a_renewal_ends_the_session_once_with_its_reason() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path == "/o/token/":
            return httpx.Response(401, json={"error": "invalid_client"})
        return httpx.Response(401)

    binding = Machine("cid", SECRET)
    client = SessionClient(
        base_url=BASE, binding=binding, httpx_args={"transport": httpx.MockTransport(handler)}
    )
    with client, pytest.raises(SessionExpired) as caught:
        _get(client)
    assert caught.value.reason == "invalid_client"
    assert isinstance(caught.value.cause, InvalidClient)
    assert "'cid'" in str(caught.value) and SECRET not in str(caught.value)
    assert calls == ["/o/token/"]  # no retry of a refused client, no API call with nothing


def _credentials() -> Any:
    from sdk_session import Credentials

    return Credentials("ada", "pw")


_creds: Callable[[], Any] = _credentials


def _tokens(*, refresh: str | None) -> Any:
    from sdk_session import TokenSet

    return TokenSet(access_token="a", refresh_token=refresh)


def _answer(status: int, body: object, request: httpx.Request) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode(), request=request)
