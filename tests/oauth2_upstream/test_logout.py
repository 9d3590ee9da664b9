"""Logout by RFC 7009 revocation against the real provider (``/o/revoke_token/``): the
refresh token and its access token stop working, and the revocation is a token call
(the client's Basic authentication, never the user's bearer token)."""

from __future__ import annotations

import httpx
import oauth2_sdk
from oauth2_sdk.session import Binding as Generated

from sdk_session import OAuth2Binding, SessionClient

from .server import OAuth2Upstream


class Revoking(OAuth2Binding):
    """The generated binding's endpoints, plus the revocation endpoint drf-spectacular cannot
    declare (``revocation_url:`` in a generator config gives the same)."""

    login_path = Generated.login_path
    refresh_path = Generated.refresh_path
    revocation_path = "/o/revoke_token/"
    scopes = Generated.scopes


def test_logout_revokes_the_refresh_token(oauth2_upstream: OAuth2Upstream) -> None:
    registered = oauth2_upstream.password_client
    binding = Revoking(registered.client_id, registered.client_secret)
    with SessionClient(base_url=oauth2_upstream.url, binding=binding) as client:
        tokens = client.login(oauth2_upstream.username, oauth2_upstream.password)
        assert oauth2_sdk.items.items_list(client).count == 25
        client.logout()
        assert client.tokens is None
    counters = oauth2_upstream.counters()
    assert counters.revocations == {200: 1}
    refused = httpx.post(
        oauth2_upstream.token_url,
        data={"grant_type": "refresh_token", "refresh_token": tokens.refresh_token or ""},
        auth=registered.basic_auth,
        timeout=10,
    )
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    api = httpx.get(
        f"{oauth2_upstream.url}/api/items/",
        headers={"Authorization": tokens.authorization},
        timeout=10,
    )
    assert api.status_code == 401
