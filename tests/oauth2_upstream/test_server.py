"""Smoke tests of the django-oauth-toolkit upstream with raw httpx: what a client sees."""

from __future__ import annotations

import time
from typing import Any

import httpx

from .server import OAuth2Upstream, serve_oauth2


def _token(upstream: OAuth2Upstream, client: httpx.Client, **form: str) -> httpx.Response:
    auth = upstream.password_client.basic_auth
    if form.get("grant_type") == "client_credentials":
        auth = upstream.service_client.basic_auth
    return client.post(upstream.token_url, data=form, auth=auth)


def _login(upstream: OAuth2Upstream, client: httpx.Client) -> dict[str, Any]:
    response = _token(
        upstream,
        client,
        grant_type="password",
        username=upstream.username,
        password=upstream.password,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _items(upstream: OAuth2Upstream, client: httpx.Client, access_token: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {access_token}"}
    return client.get(f"{upstream.url}/api/items/", headers=headers)


def test_password_grant_expiry_rotation_and_reuse(oauth2_upstream: OAuth2Upstream) -> None:
    upstream = oauth2_upstream
    with httpx.Client(timeout=10) as client:
        first = _login(upstream, client)
        assert first["token_type"] == "Bearer"
        assert first["expires_in"] == 2
        assert set(first["scope"].split()) == {"read", "write"}
        assert first["access_token"] and first["refresh_token"]

        page = _items(upstream, client, first["access_token"])
        assert page.status_code == 200
        assert page.json()["count"] == 25 and len(page.json()["results"]) == 10

        time.sleep(2.2)
        expired = _items(upstream, client, first["access_token"])
        assert expired.status_code == 401
        assert expired.headers["www-authenticate"].startswith("Bearer")

        refresh = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
        rotated = _token(upstream, client, **refresh)
        assert rotated.status_code == 200, rotated.text
        second = rotated.json()
        assert second["refresh_token"] != first["refresh_token"]
        assert second["expires_in"] == 2
        assert _items(upstream, client, second["access_token"]).status_code == 200

        # The rotated refresh token again: refused, and reuse protection revokes its family.
        reused = _token(upstream, client, **refresh)
        assert reused.status_code == 400
        assert reused.json()["error"] == "invalid_grant"
        assert _items(upstream, client, second["access_token"]).status_code == 401
        killed = _token(
            upstream, client, grant_type="refresh_token", refresh_token=second["refresh_token"]
        )
        assert killed.status_code == 400
        assert killed.json()["error"] == "invalid_grant"

    counters = upstream.counters()
    assert counters.token_requests == {"password": 1, "refresh_token": 3}
    assert counters.token_ok == {"password": 1, "refresh_token": 1}
    assert counters.token_errors == {"invalid_grant": 2}
    assert counters.token_errors_by_grant == {"refresh_token": {"invalid_grant": 2}}
    assert counters.refresh_tokens_presented == 2
    assert counters.refresh_tokens_reused == 1
    assert counters.api == {200: 2, 401: 2}
    assert counters.requests["GET /api/items/ 401"] == 2


def test_client_credentials_and_client_errors(oauth2_upstream: OAuth2Upstream) -> None:
    upstream = oauth2_upstream
    with httpx.Client(timeout=10) as client:
        granted = _token(upstream, client, grant_type="client_credentials")
        assert granted.status_code == 200, granted.text
        body = granted.json()
        assert body["expires_in"] == 2 and "refresh_token" not in body
        created = client.post(
            f"{upstream.url}/api/items/",
            json={"name": "Lamp", "price": 25.0},
            headers={"Authorization": f"Bearer {body['access_token']}"},
        )
        assert created.status_code == 201, created.text
        assert created.json()["name"] == "Lamp"

        service = upstream.service_client
        wrong = client.post(
            upstream.token_url,
            data={"grant_type": "client_credentials"},
            auth=(service.client_id, "not-the-secret"),
        )
        assert wrong.status_code == 401
        assert wrong.json()["error"] == "invalid_client"
        # The password client may not use client_credentials; an unknown grant type.
        refused = client.post(
            upstream.token_url,
            data={"grant_type": "client_credentials"},
            auth=upstream.password_client.basic_auth,
        )
        assert refused.json()["error"] == "unauthorized_client"
        unknown = _token(upstream, client, grant_type="magic")
        assert unknown.json()["error"] == "unsupported_grant_type"
        # Secrets in the form instead of HTTP Basic work too.
        in_form = client.post(
            upstream.token_url,
            data={
                "grant_type": "client_credentials",
                "client_id": service.client_id,
                "client_secret": service.client_secret,
            },
        )
        assert in_form.status_code == 200

    counters = upstream.counters()
    assert counters.token_requests == {"client_credentials": 4, "magic": 1}
    assert counters.token_ok == {"client_credentials": 2}
    assert counters.token_errors == {
        "invalid_client": 1,
        "unauthorized_client": 1,
        "unsupported_grant_type": 1,
    }
    assert counters.api == {201: 1}
    assert counters.refresh_tokens_presented == 0


def test_controls_revoke_and_expire(oauth2_upstream: OAuth2Upstream) -> None:
    upstream = oauth2_upstream
    with httpx.Client(timeout=10) as client:
        tokens = _login(upstream, client)
        assert upstream.expire_access_tokens() == 1
        assert _items(upstream, client, tokens["access_token"]).status_code == 401
        refresh = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
        renewed = _token(upstream, client, **refresh).json()
        assert _items(upstream, client, renewed["access_token"]).status_code == 200

        assert upstream.revoke_all() == 1
        assert _items(upstream, client, renewed["access_token"]).status_code == 401
        again = {"grant_type": "refresh_token", "refresh_token": renewed["refresh_token"]}
        assert _token(upstream, client, **again).json()["error"] == "invalid_grant"

        # RFC 7009 revocation through DOT's endpoint.
        fresh = _login(upstream, client)
        revoked = client.post(
            upstream.revoke_url,
            data={"token": fresh["refresh_token"], "token_type_hint": "refresh_token"},
            auth=upstream.password_client.basic_auth,
        )
        assert revoked.status_code == 200
        assert _items(upstream, client, fresh["access_token"]).status_code == 401

    counters = upstream.counters()
    assert counters.revocations == {200: 1}
    assert counters.token_ok == {"password": 2, "refresh_token": 1}
    upstream.reset()
    assert upstream.counters().token_requests == {}


def test_counters_add_up_across_workers() -> None:
    """Two gunicorn workers, a new connection per request: the counts are the server's."""
    with serve_oauth2(access_seconds=60, workers=2, threads=4) as upstream:
        close = {"Connection": "close"}
        with httpx.Client(timeout=10, headers=close) as client:
            tokens = _login(upstream, client)
            for _ in range(12):
                assert _items(upstream, client, tokens["access_token"]).status_code == 200
            refresh = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
            assert _token(upstream, client, **refresh).status_code == 200
            assert _token(upstream, client, **refresh).status_code == 400
        counters = upstream.counters()
    assert counters.api == {200: 12}
    assert counters.token_requests == {"password": 1, "refresh_token": 2}
    assert counters.refresh_tokens_reused == 1
