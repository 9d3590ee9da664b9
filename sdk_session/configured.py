"""What generated ``session.py`` modules build on: a binding described by data.

``python -m generator`` writes, for an SDK whose config has a ``session:`` section, a module with
a ``ConfiguredBinding`` subclass (where the token endpoints are, field names, JSON or form bodies,
fixed fields, client authentication, the SDK's error-body reader) and a ``SessionClient``
subclass of ``sdk_session.SessionClient`` that defaults to it. Neither holds logic of its own: the
binding's behaviour is here (and RFC 6749's defaults in ``sdk_session.oauth2``), the session's in
``SessionAuth``.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any, ClassVar, Literal
from urllib.parse import quote_plus

import httpx

from .binding import JsonTokenBinding, resolve_url
from .credentials import Credentials, CredentialsProvider
from .errors import InvalidClient, UnsupportedGrant
from .redact import REDACTED
from .tokens import TokenSet

__all__ = ["ConfiguredBinding"]

_NO_USER = Credentials("", "")
"""What a client-credentials binding is asked to log in with: it logs in as the client."""

_GRANT_ERRORS = frozenset({"unsupported_grant_type", "unauthorized_client"})


class ConfiguredBinding(JsonTokenBinding):
    """A ``JsonTokenBinding`` whose requests, too, are described by class attributes.

    ``username_field``/``password_field`` name the login fields (the credentials' ``email`` is
    sent in ``username_field``: a username, an email address, whatever the upstream logs in
    with), ``refresh_request_field`` the refresh call's field, ``body`` whether token calls
    are sent as JSON or as a form (``application/x-www-form-urlencoded``). ``login_fields`` and
    ``refresh_fields`` are fixed fields added to those bodies (``grant_type``), ``scopes`` are
    asked for on login (``scope``, space-separated).

    ``login_path``/``refresh_path``/``revocation_path`` are paths under the client's
    ``base_url`` or absolute URLs (an authorization server of its own). ``refresh_path =
    None``: the upstream has no refresh; the session logs in again instead. ``grant =
    "client_credentials"``: there is no user; the session obtains tokens as the client.

    The client authenticates on token calls when given ``client_id`` (a public client: sent in
    the body) and ``client_secret`` (a confidential one: HTTP Basic, RFC 6749 section 2.3.1,
    or in the body with ``client_auth = "client_secret_post"``). Both go to the token
    endpoints only, never to the API; ``repr`` hides the secret.
    """

    username_field: ClassVar[str] = "email"
    password_field: ClassVar[str] = "password"
    refresh_request_field: ClassVar[str] = "refresh_token"
    body: ClassVar[Literal["json", "form"]] = "json"
    login_fields: ClassVar[Mapping[str, str]] = {}
    refresh_fields: ClassVar[Mapping[str, str]] = {}
    scopes: ClassVar[tuple[str, ...]] = ()
    grant: ClassVar[Literal["password", "client_credentials"]] = "password"
    client_auth: ClassVar[Literal["client_secret_basic", "client_secret_post"]] = (
        "client_secret_basic"
    )
    revocation_path: ClassVar[str | None] = None

    def __init__(self, client_id: str | None = None, client_secret: str | None = None) -> None:
        if client_secret is not None and client_id is None:
            raise ValueError("a client_secret needs its client_id")
        if self.grant == "client_credentials" and (client_id is None or client_secret is None):
            raise ValueError(
                f"{type(self).__name__} uses the client-credentials grant: "
                "pass client_id and client_secret"
            )
        self.client_id = client_id
        self._client_secret = client_secret

    # -- bodies ------------------------------------------------------------------
    def login_body(self, credentials: Credentials) -> dict[str, Any]:
        body: dict[str, Any] = dict(self.login_fields)
        if self.grant == "password":
            body[self.username_field] = credentials.email
            body[self.password_field] = credentials.password
        if self.scopes:
            body["scope"] = " ".join(self.scopes)
        return body

    def refresh_body(self, refresh_token: str) -> dict[str, Any]:
        return {**self.refresh_fields, self.refresh_request_field: refresh_token}

    def token_request(
        self, base_url: httpx.URL, path: str, payload: dict[str, Any]
    ) -> httpx.Request:
        """A token call: ``payload`` as JSON or a form, plus the client's authentication."""
        headers: dict[str, str] = {}
        if self.client_id is not None:
            if self._client_secret is None:
                payload["client_id"] = self.client_id
            elif self.client_auth == "client_secret_post":
                payload["client_id"] = self.client_id
                payload["client_secret"] = self._client_secret
            else:  # RFC 6749 2.3.1: each part form-encoded, then Basic
                pair = f"{quote_plus(self.client_id)}:{quote_plus(self._client_secret)}"
                headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        url = resolve_url(base_url, path)
        if self.body == "form":
            return httpx.Request("POST", url, data=payload, headers=headers)
        return httpx.Request("POST", url, json=payload, headers=headers)

    # -- the TokenBinding protocol -------------------------------------------------
    def parse_login(self, response: httpx.Response, *, now: float) -> TokenSet:
        self._check_client(response, self.grant)
        return super().parse_login(response, now=now)

    def parse_refresh(
        self, response: httpx.Response, previous: TokenSet, *, now: float
    ) -> TokenSet:
        self._check_client(response, "refresh_token")
        return super().parse_refresh(response, previous, now=now)

    def revocation_request(self, base_url: httpx.URL, tokens: TokenSet) -> httpx.Request | None:
        """RFC 7009: revoke the refresh token (which ends its access tokens too), else the
        access token; ``None`` without a revocation endpoint."""
        if self.revocation_path is None:
            return None
        if tokens.refresh_token:
            payload = {"token": tokens.refresh_token, "token_type_hint": "refresh_token"}
        else:
            payload = {"token": tokens.access_token, "token_type_hint": "access_token"}
        return self.token_request(base_url, self.revocation_path, payload)

    def own_credentials(self) -> CredentialsProvider | None:
        """The credentials provider of a binding that logs in by itself (the client-credentials
        grant), used when the application passes none."""
        if self.grant != "client_credentials":
            return None
        return lambda: _NO_USER

    def token_paths(self) -> tuple[str | None, ...]:
        return (self.login_path, self.refresh_path, self.revocation_path)

    def _check_client(self, response: httpx.Response, grant: str) -> None:
        """RFC 6749 section 5.2's configuration errors, which no new login can cure."""
        if response.is_success:
            return
        body, code, text = self.answer(response)
        if code == "invalid_client":
            raise InvalidClient.for_response(
                f"the token endpoint refused client {self.client_id!r} (invalid_client): "
                "check client_id and client_secret",
                response,
                body,
                error_code=code,
                error_message=text,
            )
        if code in _GRANT_ERRORS:
            raise UnsupportedGrant.for_response(
                f"the token endpoint refused the {grant} grant ({code})"
                + (f" for client {self.client_id!r}" if self.client_id is not None else ""),
                response,
                body,
                error_code=code,
                error_message=text,
            )

    def __repr__(self) -> str:
        secret = "" if self._client_secret is None else f", client_secret={REDACTED}"
        return (
            f"{type(self).__name__}(login={self.login_path!r}, refresh={self.refresh_path!r}, "
            f"client_id={self.client_id!r}{secret})"
        )
