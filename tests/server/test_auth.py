"""Login, access-token checks, refresh rotation, reuse detection and logout, over TCP."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest

from reference_server import DEMO_EMAIL, DEMO_PASSWORD, OTHER_EMAIL, OTHER_PASSWORD
from reference_server.testing import TokenPair, Upstream, expect_error

CHALLENGE = 'Bearer error="invalid_token"'


@pytest.fixture
def http(upstream: Upstream) -> Iterator[httpx.Client]:
    with upstream.client() as client:
        yield client


def refresh(http: httpx.Client, refresh_token: str) -> httpx.Response:
    return http.post("/refreshToken", json={"refresh_token": refresh_token})


def tokens_of(response: httpx.Response) -> TokenPair:
    assert response.status_code == 200, response.text
    data = response.json()
    return TokenPair(data["access_token"], data["refresh_token"], data["expires_in"])


def expect_rejected_token(response: httpx.Response) -> None:
    expect_error(response, 401, "invalid_token")
    assert response.headers["www-authenticate"] == CHALLENGE


def test_login_returns_a_token_response(http: httpx.Client) -> None:
    response = http.post("/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "refresh_token", "expires_in"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert body["access_token"] != body["refresh_token"]


def test_access_token_is_an_hs256_jwt_with_session_claims(upstream: Upstream) -> None:
    tokens = upstream.login()
    assert jwt.get_unverified_header(tokens.access_token)["alg"] == "HS256"
    claims: dict[str, Any] = jwt.decode(tokens.access_token, options={"verify_signature": False})
    assert set(claims) >= {"sub", "iat", "exp", "jti", "sid"}
    assert claims["sub"] == "1"
    assert claims["exp"] == pytest.approx(claims["iat"] + 900)
    assert isinstance(claims["exp"], float)


def test_login_is_case_insensitive_on_email(http: httpx.Client) -> None:
    response = http.post("/login", json={"email": DEMO_EMAIL.upper(), "password": DEMO_PASSWORD})
    assert response.status_code == 200


def test_me_returns_the_tokens_user(http: httpx.Client, upstream: Upstream) -> None:
    me = http.get("/me", headers=upstream.login().headers).json()
    assert me == {
        "id": 1,
        "email": DEMO_EMAIL,
        "name": "Demo User",
        "created_at": "2023-12-09T09:00:00.000Z",
    }
    other = http.get("/me", headers=upstream.login(OTHER_EMAIL, OTHER_PASSWORD).headers).json()
    assert other["email"] == OTHER_EMAIL


@pytest.mark.parametrize(
    ("email", "password"),
    [(DEMO_EMAIL, "wrong-password"), ("nobody@example.com", DEMO_PASSWORD), (OTHER_EMAIL, "")],
)
def test_bad_credentials_are_401_invalid_credentials(
    http: httpx.Client, email: str, password: str
) -> None:
    response = http.post("/login", json={"email": email, "password": password})
    expect_error(response, 401, "invalid_credentials")


@pytest.mark.parametrize(
    "content", [b"", b"{", b"not json", b'{"email": NaN}', b"[" * 100_000, b"\xff\xfe\x00"]
)
def test_malformed_login_body_is_400(http: httpx.Client, content: bytes) -> None:
    response = http.post("/login", content=content, headers={"content-type": "application/json"})
    expect_error(response, 400, "invalid_json")


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({}, {"body.email", "body.password"}),
        ({"email": DEMO_EMAIL}, {"body.password"}),
        ({"email": 5, "password": None}, {"body.email", "body.password"}),
        ({"email": "not-an-email", "password": "x"}, {"body.email"}),
        ([DEMO_EMAIL, DEMO_PASSWORD], {"body"}),
        ("demo", {"body"}),
    ],
)
def test_invalid_login_fields_are_422_with_details(
    http: httpx.Client, payload: object, fields: set[str]
) -> None:
    body = expect_error(http.post("/login", json=payload), 422, "validation_failed")
    details = body["details"]
    assert isinstance(details, list)
    assert {detail["field"] for detail in details} == fields
    assert all(isinstance(detail["message"], str) for detail in details)


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Basic ZGVtbzpkZW1v",
        "Bearer not-a-jwt",
        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.",
    ],
)
def test_missing_or_malformed_token_is_401_with_challenge(
    http: httpx.Client, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    expect_rejected_token(http.get("/me", headers=headers))


def test_token_signed_with_another_key_is_rejected(http: httpx.Client, upstream: Upstream) -> None:
    claims = jwt.decode(upstream.login().access_token, options={"verify_signature": False})
    forged = jwt.encode(claims, "a-key-the-server-never-used-0123456789", algorithm="HS256")
    expect_rejected_token(http.get("/me", headers={"Authorization": f"Bearer {forged}"}))


def test_bearer_scheme_is_case_insensitive(http: httpx.Client, upstream: Upstream) -> None:
    token = upstream.login().access_token
    assert http.get("/me", headers={"Authorization": f"bearer {token}"}).status_code == 200


def test_access_token_expires_after_a_fractional_ttl(
    http: httpx.Client, upstream: Upstream
) -> None:
    upstream.control.configure(access_ttl=0.3)
    tokens = upstream.login()
    assert tokens.expires_in == pytest.approx(0.3)
    assert http.get("/me", headers=tokens.headers).status_code == 200
    time.sleep(0.45)
    expect_rejected_token(http.get("/me", headers=tokens.headers))
    # The refresh token outlives the access token and brings a working one.
    renewed = tokens_of(refresh(http, tokens.refresh_token))
    assert http.get("/me", headers=renewed.headers).status_code == 200


def test_refresh_rotates_both_tokens(http: httpx.Client, upstream: Upstream) -> None:
    first = upstream.login()
    second = tokens_of(refresh(http, first.refresh_token))
    third = tokens_of(refresh(http, second.refresh_token))
    assert len({first.refresh_token, second.refresh_token, third.refresh_token}) == 3
    assert len({first.access_token, second.access_token, third.access_token}) == 3
    for tokens in (first, second, third):  # earlier access tokens live until they expire
        assert http.get("/me", headers=tokens.headers).status_code == 200


def test_reused_refresh_token_revokes_the_whole_session(
    http: httpx.Client, upstream: Upstream
) -> None:
    first = upstream.login()
    bystander = upstream.login()  # another session of the same user
    second = tokens_of(refresh(http, first.refresh_token))

    expect_error(refresh(http, first.refresh_token), 400, "invalid_grant")

    # Everything of that session is dead: both access tokens and the newest refresh token.
    expect_rejected_token(http.get("/me", headers=first.headers))
    expect_rejected_token(http.get("/me", headers=second.headers))
    expect_error(refresh(http, second.refresh_token), 400, "invalid_grant")
    # Other sessions are untouched.
    assert http.get("/me", headers=bystander.headers).status_code == 200
    counters = upstream.control.counters()
    assert counters.reuse_detected == 1
    assert counters.refreshes == 1
    assert counters.failed_refreshes == 2


def test_reuse_detection_off_only_rejects_the_spent_token(
    http: httpx.Client, upstream: Upstream
) -> None:
    upstream.control.configure(reuse_detection=False)
    first = upstream.login()
    second = tokens_of(refresh(http, first.refresh_token))
    expect_error(refresh(http, first.refresh_token), 400, "invalid_grant")
    assert http.get("/me", headers=second.headers).status_code == 200
    assert refresh(http, second.refresh_token).status_code == 200
    assert upstream.control.counters().reuse_detected == 0


@pytest.mark.parametrize("token", ["", "unknown", "x" * 5000])
def test_unknown_refresh_token_is_invalid_grant(http: httpx.Client, token: str) -> None:
    expect_error(refresh(http, token), 400, "invalid_grant")


def test_refresh_token_expires(http: httpx.Client, upstream: Upstream) -> None:
    upstream.control.configure(refresh_ttl=0.3)
    tokens = upstream.login()
    time.sleep(0.45)
    expect_error(refresh(http, tokens.refresh_token), 400, "invalid_grant")


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (b"{", 400, "invalid_json"),
        (b"{}", 422, "validation_failed"),
        (b'{"refresh_token": 1}', 422, "validation_failed"),
    ],
)
def test_bad_refresh_requests(http: httpx.Client, content: bytes, status: int, code: str) -> None:
    response = http.post("/refreshToken", content=content)
    expect_error(response, status, code)


def test_logout_revokes_the_session(http: httpx.Client, upstream: Upstream) -> None:
    tokens = upstream.login()
    other_session = upstream.login()
    response = http.post("/logout", headers=tokens.headers)
    assert response.status_code == 204
    assert response.content == b""
    expect_rejected_token(http.get("/me", headers=tokens.headers))
    expect_rejected_token(http.post("/logout", headers=tokens.headers))
    expect_error(refresh(http, tokens.refresh_token), 400, "invalid_grant")
    assert http.get("/me", headers=other_session.headers).status_code == 200
    assert upstream.control.counters().logouts == 1


def test_logout_needs_a_token(http: httpx.Client) -> None:
    expect_rejected_token(http.post("/logout"))


def test_forget_sessions_invalidates_every_token(http: httpx.Client, upstream: Upstream) -> None:
    tokens = upstream.login()
    upstream.control.forget_sessions()
    expect_rejected_token(http.get("/me", headers=tokens.headers))
    expect_error(refresh(http, tokens.refresh_token), 400, "invalid_grant")
    assert http.get("/me", headers=upstream.login().headers).status_code == 200


def test_config_changes_apply_to_tokens_issued_afterwards(
    http: httpx.Client, upstream: Upstream
) -> None:
    before = upstream.login()
    upstream.control.configure(access_ttl=0.3)
    after = upstream.login()
    time.sleep(0.45)
    assert http.get("/me", headers=before.headers).status_code == 200
    expect_rejected_token(http.get("/me", headers=after.headers))
