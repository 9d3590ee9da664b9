"""RFC 6749 token endpoints: the binding an ``oauth2`` security scheme generates.

One token endpoint answers every grant (``grant_type`` in a form body): the password grant
logs in (section 4.3), the client-credentials grant logs the client in (4.4), the
refresh_token grant renews (6), all with the client's authentication (2.3.1: HTTP Basic by
default). Answers are ``access_token``/``token_type``/``expires_in`` and maybe
``refresh_token``; an upstream that sends none (a login-only API such as FastAPI's
``OAuth2PasswordBearer``) is renewed by logging in again. Refusals follow section 5.2:
``invalid_grant`` on refresh is ``RefreshRejected`` (the session expires, or logs in again
through a credentials provider), ``invalid_client`` is ``InvalidClient`` and
``unsupported_grant_type``/``unauthorized_client`` are ``UnsupportedGrant``: configuration
errors, reported as such and never retried by logging in again. Logging out revokes the
refresh token (RFC 7009) where there is a revocation endpoint.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from .configured import ConfiguredBinding
from .credentials import Credentials

__all__ = ["OAuth2Binding"]


class OAuth2Binding(ConfiguredBinding):
    """A ``ConfiguredBinding`` with RFC 6749's field names, form bodies and grant types.

    Subclass it with ``login_path`` (the flow's ``tokenUrl``), ``refresh_path`` (its
    ``refreshUrl``, usually the same endpoint), ``revocation_path``, ``scopes`` and ``grant``;
    a generated SDK's ``session.Binding`` does.
    """

    login_path: ClassVar[str] = "/oauth/token"
    refresh_path: ClassVar[str | None] = "/oauth/token"
    username_field: ClassVar[str] = "username"
    password_field: ClassVar[str] = "password"
    refresh_request_field: ClassVar[str] = "refresh_token"
    body: ClassVar[Literal["json", "form"]] = "form"
    refresh_fields: ClassVar[Mapping[str, str]] = {"grant_type": "refresh_token"}

    def login_body(self, credentials: Credentials) -> dict[str, Any]:
        # grant_type follows ``grant`` unless ``login_fields`` fixes it.
        return {"grant_type": self.grant, **super().login_body(credentials)}
