"""The session client the tests drive against the provider: the generated SDK's, configured
only with what an application has (base URL, client id and secret)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from sdk_session import OAuth2Binding, SessionClient

from .server import OAuth2Upstream

Grant = Literal["password", "client_credentials"]


class _Password(OAuth2Binding):
    login_path = "/o/token/"
    refresh_path = "/o/token/"
    revocation_path = "/o/revoke_token/"
    scopes = ("read", "write")


class _Service(_Password):
    grant: ClassVar[Literal["password", "client_credentials"]] = "client_credentials"


def session_client(
    upstream: OAuth2Upstream, grant: Grant, *, client_secret: str | None = None, **options: Any
) -> SessionClient:
    registered = upstream.password_client if grant == "password" else upstream.service_client
    kind = _Password if grant == "password" else _Service
    binding = kind(registered.client_id, client_secret or registered.client_secret)
    return SessionClient(base_url=upstream.url, binding=binding, **options)
