"""The adapter between the session flow and one upstream's login/refresh/logout operations.

The flow knows nothing about field names or paths: a binding builds the
``httpx.Request`` of each token operation and turns its ``httpx.Response`` into
a ``TokenSet`` or a typed error. It does no I/O (the flow sends what it builds),
so one binding serves sync and async clients alike.

Most JSON token APIs differ only in paths and field names: subclass
``JsonTokenBinding`` and change a few class attributes (as a generated SDK's
``session.Binding`` does, and ``sdk_session.simplejwt.SimpleJwtBinding``; docs/bindings.md).
A binding with exotic needs can implement the ``TokenBinding`` protocol directly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar, Protocol, runtime_checkable

import httpx

from .credentials import Credentials
from .errors import (
    LoginFailed,
    RefreshRejected,
    TokenEndpointUnavailable,
    TokenResponseError,
    no_error_body,
)
from .tokens import TokenSet

__all__ = ["JsonTokenBinding", "TokenBinding", "join_url", "resolve_url"]

_SAFE_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_TRANSIENT = frozenset({408, 425, 429})


@runtime_checkable
class TokenBinding(Protocol):
    """What the session flow needs from an upstream's token operations."""

    def login_request(self, base_url: httpx.URL, credentials: Credentials) -> httpx.Request:
        """The login call (sent without any Authorization)."""
        ...

    def parse_login(self, response: httpx.Response, *, now: float) -> TokenSet:
        """Tokens from a login answer; raises ``LoginFailed`` or ``TokenResponseError``."""
        ...

    def refresh_request(self, base_url: httpx.URL, tokens: TokenSet) -> httpx.Request:
        """The refresh call for ``tokens.refresh_token``."""
        ...

    def parse_refresh(
        self, response: httpx.Response, previous: TokenSet, *, now: float
    ) -> TokenSet:
        """New tokens; raises ``RefreshRejected`` (token dead), ``TokenEndpointUnavailable``
        (try later) or ``TokenResponseError``. Keeps ``previous.refresh_token`` when the
        upstream does not rotate."""
        ...

    def logout_request(self, base_url: httpx.URL) -> httpx.Request | None:
        """The logout call, sent through the session (so it is signed), or ``None``."""
        ...

    def is_token_endpoint(self, base_url: httpx.URL, request: httpx.Request) -> bool:
        """True for login/refresh calls, which must never be signed or refreshed."""
        ...


def join_url(base_url: httpx.URL, path: str) -> httpx.URL:
    """``base_url`` with ``path`` appended to its path (keeps a base path such as /api/v1)."""
    base = str(base_url).rstrip("/")
    return httpx.URL(base + "/" + path.lstrip("/"))


def resolve_url(base_url: httpx.URL, path_or_url: str) -> httpx.URL:
    """An absolute URL as it is (a token endpoint on another origin), else ``join_url``."""
    if path_or_url.startswith(("https://", "http://")):
        return httpx.URL(path_or_url)
    return join_url(base_url, path_or_url)


def error_code(response: httpx.Response) -> str | None:
    """The short machine-readable error code of a JSON error body, if it has a safe one.

    Only identifier-like codes are kept: free text from a body may echo secrets.
    """
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(body, dict):
        return None
    for key in ("error", "code"):
        value = body.get(key)
        if isinstance(value, str) and _SAFE_CODE.match(value):
            return value
    return None


def _json_object(response: httpx.Response, what: str) -> Mapping[str, Any]:
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        raise TokenResponseError(f"{what} response is not JSON") from None
    if not isinstance(body, dict):
        raise TokenResponseError(f"{what} response is not a JSON object")
    return body


def _field_str(payload: Mapping[str, Any], name: str, what: str, *, required: bool) -> str | None:
    value = payload.get(name)
    if value is None:
        if required:
            raise TokenResponseError(f"{what} response lacks '{name}'")
        return None
    if not isinstance(value, str):
        raise TokenResponseError(
            f"{what} response field '{name}' has the wrong type ({type(value).__name__})"
        )
    return value


def _field_number(payload: Mapping[str, Any], name: str, what: str) -> float | None:
    value = payload.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TokenResponseError(
            f"{what} response field '{name}' has the wrong type ({type(value).__name__})"
        )
    return float(value)


class JsonTokenBinding:
    """A binding for JSON token APIs; subclasses set paths and field names.

    ``token_type_field``/``expires_in_field`` may be ``None`` for upstreams that do
    not send them: the scheme is then ``Bearer`` and the lifetime comes from the
    JWT's ``exp``. A refresh answer without a refresh token keeps the old one
    (the upstream does not rotate); one with a new refresh token replaces it.
    """

    login_path: ClassVar[str] = "/login"
    refresh_path: ClassVar[str | None] = "/refresh"
    logout_path: ClassVar[str | None] = None
    access_field: ClassVar[str] = "access_token"
    refresh_field: ClassVar[str] = "refresh_token"
    token_type_field: ClassVar[str | None] = "token_type"
    expires_in_field: ClassVar[str | None] = "expires_in"
    _paths_cache: (
        tuple[httpx.URL, tuple[str | None, ...], frozenset[tuple[str, str, int | None, str]]] | None
    ) = None
    """The token paths under the last base URL asked about (``is_token_endpoint``)."""

    # -- bodies: override for other shapes ------------------------------------
    def error_body(self, response: httpx.Response) -> tuple[Any, str | None, str | None]:
        """The SDK's reading of an error answer: ``(parsed body, code, message)``.

        A generated binding returns its SDK's error model, so a refused login carries the
        same ``error`` an operation's ``ApiError`` would; this default parses nothing.
        """
        return no_error_body(response)

    def answer(self, response: httpx.Response) -> tuple[Any, str | None, str | None]:
        """``error_body`` with a code safe for messages (identifier-like, else the
        body's ``error``/``code`` when that is one)."""
        body, code, text = self.error_body(response)
        if code is None or not _SAFE_CODE.match(code):
            code = error_code(response)
        return body, code, text

    def login_body(self, credentials: Credentials) -> dict[str, Any]:
        return {"email": credentials.email, "password": credentials.password}

    def refresh_body(self, refresh_token: str) -> dict[str, Any]:
        return {"refresh_token": refresh_token}

    def tokens_from_payload(
        self, payload: Mapping[str, Any], *, now: float, what: str, previous: TokenSet | None
    ) -> TokenSet:
        access = _field_str(payload, self.access_field, what, required=True)
        assert access is not None
        refresh = _field_str(payload, self.refresh_field, what, required=False)
        token_type = (
            _field_str(payload, self.token_type_field, what, required=False)
            if self.token_type_field
            else None
        )
        expires_in = (
            _field_number(payload, self.expires_in_field, what) if self.expires_in_field else None
        )
        if self.refresh_path is None:
            refresh = None  # nothing to present it to: the session logs in again instead
        elif refresh is None and previous is not None:
            refresh = previous.refresh_token
        return TokenSet.issue(
            access_token=access,
            token_type=token_type,
            refresh_token=refresh,
            expires_in=expires_in,
            now=now,
        )

    # -- the TokenBinding protocol ---------------------------------------------

    def token_request(
        self, base_url: httpx.URL, path: str, payload: dict[str, Any]
    ) -> httpx.Request:
        """A POST to a token endpoint (``path`` under ``base_url``, or an absolute URL);
        override for other encodings or client authentication (``ConfiguredBinding``)."""
        return httpx.Request("POST", resolve_url(base_url, path), json=payload)

    def login_request(self, base_url: httpx.URL, credentials: Credentials) -> httpx.Request:
        return self.token_request(base_url, self.login_path, self.login_body(credentials))

    def parse_login(self, response: httpx.Response, *, now: float) -> TokenSet:
        if not response.is_success:
            body, code, text = self.answer(response)
            detail = f" ({code})" if code else ""
            raise LoginFailed.for_response(
                f"login refused: HTTP {response.status_code}{detail}",
                response,
                body,
                error_code=code,
                error_message=text,
            )
        payload = _json_object(response, "login")
        return self.tokens_from_payload(payload, now=now, what="login", previous=None)

    def refresh_request(self, base_url: httpx.URL, tokens: TokenSet) -> httpx.Request:
        if not tokens.refresh_token or self.refresh_path is None:
            raise ValueError("no refresh token to present")
        return self.token_request(
            base_url, self.refresh_path, self.refresh_body(tokens.refresh_token)
        )

    def parse_refresh(
        self, response: httpx.Response, previous: TokenSet, *, now: float
    ) -> TokenSet:
        status = response.status_code
        if not response.is_success:
            body, code, text = self.answer(response)
            detail = f" ({code})" if code else ""
            kind = TokenEndpointUnavailable if status >= 500 or status in _TRANSIENT else None
            raise (kind or RefreshRejected).for_response(
                f"token endpoint unavailable: HTTP {status}{detail}"
                if kind
                else f"refresh token rejected: HTTP {status}{detail}",
                response,
                body,
                error_code=code,
                error_message=text,
            )
        payload = _json_object(response, "refresh")
        return self.tokens_from_payload(payload, now=now, what="refresh", previous=previous)

    def logout_request(self, base_url: httpx.URL) -> httpx.Request | None:
        if self.logout_path is None:
            return None
        return httpx.Request("POST", join_url(base_url, self.logout_path))

    def is_token_endpoint(self, base_url: httpx.URL, request: httpx.Request) -> bool:
        if request.method != "POST":
            return False
        url = request.url
        return (url.scheme, url.host, url.port, url.path) in self._token_urls(base_url)

    def token_paths(self) -> tuple[str | None, ...]:
        """The token endpoints' paths (or absolute URLs; ``None`` for one there is not)."""
        return (self.login_path, self.refresh_path)

    def _token_urls(self, base_url: httpx.URL) -> frozenset[tuple[str, str, int | None, str]]:
        """(scheme, host, port, path) of each token endpoint under ``base_url``
        (remembered for the last one: every POST the session sees asks)."""
        names = self.token_paths()
        cached = self._paths_cache
        if cached is None or cached[0] is not base_url or cached[1] != names:
            urls = (resolve_url(base_url, name) for name in names if name is not None)
            keys = frozenset((u.scheme, u.host, u.port, u.path) for u in urls)
            cached = (base_url, names, keys)
            self._paths_cache = cached
        return cached[2]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(login={self.login_path!r}, refresh={self.refresh_path!r})"
