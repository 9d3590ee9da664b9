"""The session client the tests drive against the login-only app (``conftest.fastapi_sdk``
makes its SDK)."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from sdk_session import SessionClient

from .server import FastApiUpstream


def session_client(sdk: ModuleType, upstream: FastApiUpstream, **options: Any) -> SessionClient:
    client: SessionClient = sdk.SessionClient(base_url=upstream.url, **options)
    return client
