"""The session client the tests drive against the login-only app."""

from __future__ import annotations

from typing import Any

from sdk_session import OAuth2Binding, SessionClient

from .config import LOGIN_PATH
from .server import FastApiUpstream


class _Binding(OAuth2Binding):
    login_path = LOGIN_PATH
    refresh_path = None


def session_client(upstream: FastApiUpstream, **options: Any) -> SessionClient:
    return SessionClient(base_url=upstream.url, binding=_Binding(), **options)
