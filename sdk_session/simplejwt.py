"""The binding for Django REST framework + djangorestframework-simplejwt upstreams.

SimpleJWT's default views: ``POST /api/token/`` takes ``{"username", "password"}``
and answers ``{"refresh", "access"}``; ``POST /api/token/refresh/`` takes
``{"refresh"}`` and answers ``{"access"}`` or, with ``ROTATE_REFRESH_TOKENS``,
``{"access", "refresh"}``. There is no ``token_type`` (the scheme is ``Bearer``)
and no ``expires_in``: the lifetime comes from the access token's ``exp``
(whole seconds, floored by the server; the session core takes the worst case).
A spent or blacklisted refresh token gets 401 ``token_not_valid``, which the
binding reports as ``RefreshRejected`` like any refusal. There is no logout
view by default (``logout_path`` is ``None``); set it if the project has one.

The credentials' ``email`` field carries whatever the project's
``USERNAME_FIELD`` is: a username by default, or an email address for projects
with a custom user model; ``username_field`` names the JSON field it is sent in.
"""

from __future__ import annotations

from typing import Any, ClassVar

from .binding import JsonTokenBinding
from .credentials import Credentials

__all__ = ["SimpleJwtBinding"]


class SimpleJwtBinding(JsonTokenBinding):
    """SimpleJWT's ``TokenObtainPairView`` and ``TokenRefreshView`` at their usual paths.

    Subclass and change ``login_path``/``refresh_path`` for other routes, or
    ``username_field = "email"`` when the user model logs in by email.
    """

    login_path: ClassVar[str] = "/api/token/"
    refresh_path: ClassVar[str] = "/api/token/refresh/"
    access_field: ClassVar[str] = "access"
    refresh_field: ClassVar[str] = "refresh"
    token_type_field: ClassVar[str | None] = None
    expires_in_field: ClassVar[str | None] = None
    username_field: ClassVar[str] = "username"

    def login_body(self, credentials: Credentials) -> dict[str, Any]:
        return {self.username_field: credentials.email, "password": credentials.password}

    def refresh_body(self, refresh_token: str) -> dict[str, Any]:
        return {"refresh": refresh_token}
