"""No token and no password in any log line (DEBUG, every logger), repr or error text."""

from __future__ import annotations

import logging
import traceback

import pytest

import generated_sdk as sdk
from generated_sdk import SessionClient
from reference_server.testing import Upstream
from sdk_session import (
    FileTokenStore,
    LoginFailed,
    MemoryTokenStore,
    RedactingFilter,
    SessionExpired,
    TokenSet,
)
from sdk_session.redact import redact_headers, redact_text

from .support import DEMO, Clock

PASSWORD = DEMO[1]


def test_a_full_session_leaks_nothing(
    upstream: Upstream, caplog: pytest.LogCaptureFixture, tmp_path: object
) -> None:
    caplog.set_level(logging.DEBUG)
    secrets: set[str] = {PASSWORD}
    texts: list[str] = []
    errors: list[BaseException] = []

    def remember(tokens: TokenSet | None) -> None:
        if tokens is not None:
            secrets.add(tokens.access_token)
            secrets.add(tokens.refresh_token or tokens.access_token)
            texts.extend([repr(tokens), str(tokens), f"{tokens!r:>10}"])

    clock = Clock()
    store = FileTokenStore(f"{tmp_path}/tokens.json")
    client = SessionClient(
        base_url=upstream.url,
        store=store,
        credentials=lambda: DEMO,
        on_tokens=remember,
        clock=clock,
    )
    with client:
        client.login(*DEMO)
        sdk.items.list(client)
        clock.offset = 10_000  # proactive refresh
        sdk.items.list(client)
        upstream.control.forget_sessions()  # refresh rejected, then re-login via the provider
        sdk.users.me(client)
        texts.extend([repr(client), str(client), repr(client.session), repr(store)])
        texts.extend([repr(client.tokens), repr(client.binding)])
        upstream.control.fault("refresh", drop=True, count=2)  # the resend too
        clock.offset = 20_000
        try:
            sdk.items.list(client)
        except SessionExpired as exc:  # the renewal's connection failed: typed, for all
            errors.append(exc)
        client.logout()

    wrong_password = "-".join(["not", "the", "password"])  # so no source line shows it
    bare = SessionClient(base_url=upstream.url, store=MemoryTokenStore(), on_tokens=remember)
    with bare:
        try:
            bare.login("demo@example.com", wrong_password)
        except LoginFailed as exc:
            errors.append(exc)
        bare.login(*DEMO)
        upstream.control.forget_sessions()
        try:
            sdk.items.list(bare)
        except SessionExpired as exc:
            errors.append(exc)
        bare.login(*DEMO)
        upstream.control.fault("refresh", body="missing_fields")
        upstream.control.forget_sessions()
        try:
            sdk.items.list(bare)
        except SessionExpired as exc:
            errors.append(exc)
        try:
            sdk.items.list(bare)  # the session ended: the same typed error, raised locally
        except SessionExpired as exc:
            errors.append(exc)
    secrets.add(wrong_password)

    assert len(errors) == 5
    for error in errors:
        texts.extend([str(error), repr(error), "".join(traceback.format_exception(error))])
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    texts.extend(formatter.format(record) for record in caplog.records)
    assert any(r.name.startswith("sdk_session") for r in caplog.records)
    assert any(r.name.startswith("httpx") for r in caplog.records)
    assert len(secrets) > 6  # several logins and refreshes really happened

    everything = "\n".join(texts)
    leaked = sorted(s for s in secrets if s in everything)
    assert leaked == []


def test_redaction_helpers() -> None:
    jwt_like = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
    assert jwt_like not in redact_text(f"Authorization: Bearer {jwt_like}")
    assert "opaque-refresh-123" not in redact_text('{"refresh_token": "opaque-refresh-123"}')
    assert "hunter22" not in redact_text("password='hunter22'")
    form = "grant_type=password&username=ada&password=hunter22&client_secret=s3cr%2Bt"
    assert redact_text(form) == (
        "grant_type=password&username=ada&password=<redacted>&client_secret=<redacted>"
    )
    assert "s3cr" not in redact_text('{"client_secret": "s3cr"}')
    logged = "HTTP Request: GET https://api.example/things?api_key=k-123&page=2"
    assert (
        redact_text(logged)
        == "HTTP Request: GET https://api.example/things?api_key=<redacted>&page=2"
    )
    headers = redact_headers({"Authorization": "Bearer abc", "Accept": "x"})
    assert headers == {"Authorization": "<redacted>", "Accept": "x"}

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "sent %s", (jwt_like,), None)
    RedactingFilter().filter(record)
    assert jwt_like not in record.getMessage()
