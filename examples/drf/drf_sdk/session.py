# Generated from examples/drf/spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""``SessionClient``: the runtime's ``sdk_session.SessionClient``, bound to this API's token operations.

Generated from the ``session:`` section of the generator config: logging in is
``POST /api/token/`` (``sdk.token.token_create``, fields ``username`` and
``password``), refreshing ``POST /api/token/refresh/`` (``sdk.token.token_refresh_create``, field
``refresh``); bodies are JSON.
Answers carry the access token in ``access`` and the refresh token in ``refresh``; the
lifetime comes from the JWT's ``exp``. Usage::

    from drf_sdk import SessionClient

    with SessionClient(base_url="https://api.example.com") as client:
        client.login(username, password)
        sdk.items.items_list(client, ...)  # signed, refreshed, resent on 401
"""

from __future__ import annotations

from attrs import define, field

from sdk_session import SessionClient as _RuntimeSessionClient
from sdk_session import TokenBinding, TokenSet
from sdk_session.configured import ConfiguredBinding

from .api.token._token_create import TokenCreateOperation
from .api.token._token_refresh_create import TokenRefreshCreateOperation
from .errors import error_body

__all__ = ["Binding", "SessionClient"]


class Binding(ConfiguredBinding):
    """This API's token operations, with the paths of the generated operations."""

    login_path = TokenCreateOperation.path
    refresh_path = TokenRefreshCreateOperation.path
    logout_path = None
    username_field = "username"
    password_field = "password"
    refresh_request_field = "refresh"
    access_field = "access"
    refresh_field = "refresh"
    token_type_field = None
    expires_in_field = None
    body = "json"
    error_body = staticmethod(error_body)


@define
class SessionClient(_RuntimeSessionClient):
    """A client that logs in once and keeps the session alive (``sdk_session.SessionClient``
    with this API's ``Binding`` as its default ``binding``).

    Session options (keyword-only) are those of ``sdk_session.SessionClient``; the ``auth``
    field is taken by the session flow (``client.session``).
    """

    binding: TokenBinding = field(factory=Binding, kw_only=True)

    def login(self, username: str, password: str) -> TokenSet:
        """Log in (``sdk.token.token_create``); raises ``sdk_session.LoginFailed`` (also the
        ``errors.ApiError`` of its status) if refused."""
        return super().login(username, password)

    async def alogin(self, username: str, password: str) -> TokenSet:
        """Async twin of ``login``."""
        return await super().alogin(username, password)
