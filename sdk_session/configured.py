"""What generated ``session.py`` modules build on: a binding described by data.

``python -m generator`` writes, for an SDK whose config has a ``session:`` section, a module with
a ``ConfiguredBinding`` subclass (paths of the generated token operations, field names, JSON or
form bodies, the SDK's error-body reader) and a ``SessionClient`` subclass of
``sdk_session.SessionClient`` that defaults to it. Neither holds logic of its own: the binding's
behaviour is here, the session's in ``SessionAuth``.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import httpx

from .binding import JsonTokenBinding, join_url
from .credentials import Credentials
from .tokens import TokenSet

__all__ = ["ConfiguredBinding"]


class ConfiguredBinding(JsonTokenBinding):
    """A ``JsonTokenBinding`` whose request bodies, too, are described by class attributes.

    ``username_field``/``password_field`` name the login fields (the credentials' ``email`` is
    sent in ``username_field``: a username, an email address, whatever the upstream logs in
    with), ``refresh_request_field`` the refresh call's field, ``body`` whether both are sent as
    JSON or as a form (``application/x-www-form-urlencoded``).
    """

    username_field: ClassVar[str] = "email"
    password_field: ClassVar[str] = "password"
    refresh_request_field: ClassVar[str] = "refresh_token"
    body: ClassVar[Literal["json", "form"]] = "json"

    def login_body(self, credentials: Credentials) -> dict[str, Any]:
        return {self.username_field: credentials.email, self.password_field: credentials.password}

    def refresh_body(self, refresh_token: str) -> dict[str, Any]:
        return {self.refresh_request_field: refresh_token}

    def _post(self, base_url: httpx.URL, path: str, payload: dict[str, Any]) -> httpx.Request:
        url = join_url(base_url, path)
        if self.body == "form":
            return httpx.Request("POST", url, data=payload)
        return httpx.Request("POST", url, json=payload)

    def login_request(self, base_url: httpx.URL, credentials: Credentials) -> httpx.Request:
        return self._post(base_url, self.login_path, self.login_body(credentials))

    def refresh_request(self, base_url: httpx.URL, tokens: TokenSet) -> httpx.Request:
        if not tokens.refresh_token:
            raise ValueError("no refresh token to present")
        return self._post(base_url, self.refresh_path, self.refresh_body(tokens.refresh_token))
