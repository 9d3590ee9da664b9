"""Test-suite glue: the ``Upstream`` handle that the ``upstream`` fixture yields,
plus a raw login helper for tests that need tokens without going through the SDK."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from .client import Control
from .state import DEMO_EMAIL, DEMO_PASSWORD


@dataclass(frozen=True)
class TokenPair:
    """The fields of a ``TokenResponse``."""

    access_token: str
    refresh_token: str
    expires_in: float
    token_type: str = "Bearer"

    @property
    def headers(self) -> dict[str, str]:
        """The ``Authorization`` header for this access token."""
        return {"Authorization": f"{self.token_type} {self.access_token}"}


@dataclass(frozen=True)
class Upstream:
    """A running reference server: its base URL and a control client for it."""

    url: str
    control: Control

    def client(self, timeout: float = 10.0) -> httpx.Client:
        """A plain httpx client for this server (the caller closes it)."""
        return httpx.Client(base_url=self.url, timeout=timeout)

    def login(self, email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD) -> TokenPair:
        """Log in with raw HTTP and return the tokens (raises on any non-200)."""
        with self.client() as http:
            response = http.post("/login", json={"email": email, "password": password})
        response.raise_for_status()
        data = response.json()
        return TokenPair(
            access_token=data["access_token"],
            refresh_token=data["refresh_token"],
            expires_in=float(data["expires_in"]),
            token_type=data["token_type"],
        )


def expect_error(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    """Assert ``response`` is the spec's Error body with this status and code; return it."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = response.json()
    assert isinstance(body, dict), body
    assert body.get("error") == code, body
    assert isinstance(body.get("message"), str), body
    return body
