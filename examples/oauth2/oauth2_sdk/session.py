# Generated from examples/oauth2/spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""``SessionClient``: the runtime's ``sdk_session.SessionClient`` with this API's OAuth2 token endpoint.

Generated from the ``session:`` section of the generator config (kind ``oauth2``, scheme
``oauth2``): tokens come from the password grant at
``/o/token/`` (RFC 6749 §4.3, a form body, scope ``read write``)
and are refreshed by the refresh_token grant at ``/o/token/`` (RFC 6749 §6).
A client secret, when given, is sent in the Authorization header (HTTP Basic, RFC 6749 §2.3.1),
only to the token endpoint; a public client gives ``client_id`` only. Usage::

    from oauth2_sdk import SessionClient

    # client_id= (and client_secret=) when the token endpoint authenticates clients
    with SessionClient(base_url="https://api.example.com") as client:
        client.login(username, password)
        sdk.items.items_create(client, ...)  # signed, renewed, resent on 401
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Literal

from attrs import Factory, define, field

from sdk_session import SessionClient as _RuntimeSessionClient
from sdk_session import TokenBinding, TokenSet
from sdk_session.oauth2 import OAuth2Binding

from .errors import error_body

__all__ = ["Binding", "ClientCredentialsBinding", "SessionClient"]


class Binding(OAuth2Binding):
    """This API's OAuth2 token endpoint (RFC 6749), from its security scheme and config."""

    login_path = "/o/token/"
    refresh_path = "/o/token/"
    revocation_path = None
    grant = "password"
    scopes = ("read", "write")
    client_auth = "client_secret_basic"
    login_fields: ClassVar[Mapping[str, str]] = {"grant_type": "password"}
    refresh_fields: ClassVar[Mapping[str, str]] = {"grant_type": "refresh_token"}
    error_body = staticmethod(error_body)


class ClientCredentialsBinding(OAuth2Binding):
    """The same scheme's clientCredentials flow: no user; tokens are obtained as the client
    (RFC 6749 §4.4), and a new one ahead of expiry and on a 401 (there is no refresh token)."""

    login_path = "/o/token/"
    refresh_path = None
    revocation_path = None
    grant = "client_credentials"
    scopes = ("read", "write")
    client_auth = "client_secret_basic"
    login_fields: ClassVar[Mapping[str, str]] = {"grant_type": "client_credentials"}
    error_body = staticmethod(error_body)


def _binding(client: SessionClient) -> TokenBinding:
    kind = ClientCredentialsBinding if client.grant == "client_credentials" else Binding
    return kind(client_id=client.client_id, client_secret=client.client_secret)


@define
class SessionClient(_RuntimeSessionClient):
    """A client that logs in once and keeps the session alive
    (``sdk_session.SessionClient`` with this API's ``Binding`` as its default ``binding``).

    ``client_id`` and ``client_secret`` (keyword-only; the secret never appears in ``repr``)
    authenticate the client at the token endpoint. ``grant="client_credentials"`` (with
    both) makes a machine-to-machine client: no ``login()``, tokens are obtained as the client
    (``ClientCredentialsBinding``). Session options (keyword-only) are those of
    ``sdk_session.SessionClient``; the ``auth`` field is taken by the session flow
    (``client.session``).
    """

    client_id: str | None = field(default=None, kw_only=True)
    client_secret: str | None = field(default=None, kw_only=True, repr=False)
    grant: Literal["password", "client_credentials"] = field(default="password", kw_only=True)
    binding: TokenBinding = field(default=Factory(_binding, takes_self=True), kw_only=True)

    def login(self, username: str, password: str) -> TokenSet:
        """Log in (the password grant at ``/o/token/``); raises
        ``sdk_session.LoginFailed`` (also the ``errors.ApiError`` of its status) if refused."""
        return super().login(username, password)

    async def alogin(self, username: str, password: str) -> TokenSet:
        """Async twin of ``login``."""
        return await super().alogin(username, password)
