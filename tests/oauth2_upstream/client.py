"""The session client the tests drive against the provider: the generated SDK's
(examples/oauth2/oauth2_sdk, made by ``init`` + generate with its config untouched), given only
what an application has: the base URL, the client's id and secret, the grant."""

from __future__ import annotations

from typing import Any, Literal

import oauth2_sdk

from .server import OAuth2Upstream

Grant = Literal["password", "client_credentials"]


def session_client(
    upstream: OAuth2Upstream, grant: Grant, *, client_secret: str | None = None, **options: Any
) -> oauth2_sdk.SessionClient:
    registered = upstream.password_client if grant == "password" else upstream.service_client
    return oauth2_sdk.SessionClient(
        base_url=upstream.url,
        client_id=registered.client_id,
        client_secret=client_secret or registered.client_secret,
        grant=grant,
        **options,
    )
