# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""``SessionClient``: the runtime's ``sdk_session.SessionClient``, bound to this API's token operations.

Generated from the ``session:`` section of the generator config: logging in is
``POST /login`` (``sdk.auth.login``, fields ``email`` and
``password``), refreshing ``POST /refreshToken`` (``sdk.auth.refresh``, field
``refresh_token``), logging out ``POST /logout`` (``sdk.auth.logout``); bodies are JSON.
Answers carry the access token in ``access_token`` and the refresh token in ``refresh_token``. Usage::

    from generated_sdk import SessionClient

    with SessionClient(base_url="https://api.example.com") as client:
        client.login(email, password)
        sdk.auth.login(client, ...)  # signed, refreshed, resent on 401
"""

from __future__ import annotations

from attrs import define, field

from sdk_session import SessionClient as _RuntimeSessionClient
from sdk_session import TokenBinding, TokenSet
from sdk_session.configured import ConfiguredBinding

from .api.auth._login import LoginOperation
from .api.auth._logout import LogoutOperation
from .api.auth._refresh import RefreshOperation
from .errors import error_body

__all__ = ["Binding", "SessionClient"]


class Binding(ConfiguredBinding):
    """This API's token operations, with the paths of the generated operations."""

    login_path = LoginOperation.path
    refresh_path = RefreshOperation.path
    logout_path = LogoutOperation.path
    username_field = "email"
    password_field = "password"
    refresh_request_field = "refresh_token"
    access_field = "access_token"
    refresh_field = "refresh_token"
    token_type_field = "token_type"
    expires_in_field = "expires_in"
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

    def login(self, email: str, password: str) -> TokenSet:
        """Log in (``sdk.auth.login``); raises ``sdk_session.LoginFailed`` (also the
        ``errors.ApiError`` of its status) if refused."""
        return super().login(email, password)

    async def alogin(self, email: str, password: str) -> TokenSet:
        """Async twin of ``login``."""
        return await super().alogin(email, password)
