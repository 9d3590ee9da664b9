"""Smoke tests of the login-only FastAPI upstream with raw httpx: what a client sees."""

from __future__ import annotations

import time

import httpx
import jwt

from .server import FastApiUpstream, serve_fastapi


def _login(upstream: FastApiUpstream, client: httpx.Client, **form: str) -> httpx.Response:
    data = {"username": upstream.username, "password": upstream.password, **form}
    return client.post(upstream.token_url, data=data)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_login_call_expire(fastapi_upstream: FastApiUpstream) -> None:
    upstream = fastapi_upstream
    with httpx.Client(timeout=10) as client:
        response = _login(upstream, client, grant_type="password", scope="")
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"access_token", "token_type"}
        assert body["token_type"] == "bearer"
        claims = jwt.decode(body["access_token"], options={"verify_signature": False})
        assert set(claims) == {"exp", "sub"}

        me = client.get(f"{upstream.api_url}/users/me", headers=_bearer(body["access_token"]))
        assert me.status_code == 200
        assert me.json()["email"] == upstream.username
        items = client.get(f"{upstream.api_url}/items/", headers=_bearer(body["access_token"]))
        assert items.status_code == 200
        assert items.json()["count"] == 5
        created = client.post(
            f"{upstream.api_url}/items/",
            json={"title": "Lamp"},
            headers=_bearer(body["access_token"]),
        )
        assert created.status_code == 200
        assert created.json()["title"] == "Lamp"

        time.sleep(upstream.access_seconds + 0.2)
        expired = client.get(f"{upstream.api_url}/items/", headers=_bearer(body["access_token"]))
        assert expired.status_code == 401
        assert expired.json() == {"detail": "Could not validate credentials"}
        assert expired.headers["www-authenticate"] == "Bearer"

        anonymous = client.get(f"{upstream.api_url}/items/")
        assert anonymous.status_code == 401
        assert anonymous.json() == {"detail": "Not authenticated"}

        wrong = _login(upstream, client, password="not-the-password")
        assert wrong.status_code == 400
        assert wrong.json() == {"detail": "Incorrect email or password"}
        missing = client.post(upstream.token_url, data={"username": upstream.username})
        assert missing.status_code == 422

    counters = upstream.counters()
    assert counters.logins_ok == 1
    assert counters.logins_failed == 2
    assert counters.logins == {200: 1, 400: 1, 422: 1}
    assert counters.api == {200: 3, 401: 2}
    assert counters.requests["GET /api/v1/items/ 401"] == 2


def test_rotate_key_and_reset(fastapi_upstream: FastApiUpstream) -> None:
    upstream = fastapi_upstream
    with httpx.Client(timeout=10) as client:
        token = _login(upstream, client).json()["access_token"]
        assert client.get(f"{upstream.api_url}/users/me", headers=_bearer(token)).is_success
        upstream.rotate_key()
        refused = client.get(f"{upstream.api_url}/users/me", headers=_bearer(token))
        assert refused.status_code == 401
        fresh = _login(upstream, client).json()["access_token"]
        assert client.get(f"{upstream.api_url}/users/me", headers=_bearer(fresh)).is_success
    assert upstream.counters().api == {200: 2, 401: 1}
    upstream.reset()
    assert upstream.counters().requests == {}


def test_template_status_for_invalid_tokens() -> None:
    """``invalid_token_status=403``: the full-stack template's answer to a bad token."""
    with serve_fastapi(access_seconds=60, invalid_token_status=403) as upstream:
        with httpx.Client(timeout=10) as client:
            refused = client.get(f"{upstream.api_url}/users/me", headers=_bearer("not-a-jwt"))
        assert refused.status_code == 403
        assert "www-authenticate" not in refused.headers
        assert upstream.counters().api == {403: 1}
