"""SDK behaviour that needs no server: laziness, client defaults, error mapping and messages."""

from __future__ import annotations

import email.utils
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from attrs import define, field

import generated_sdk as sdk
from generated_sdk.errors import error_for_response
from sdk_session import parse_retry_after

REPO = Path(__file__).resolve().parents[2]


def mock_client(handler: Any, **kwargs: Any) -> sdk.Client:
    client = sdk.AuthenticatedClient(base_url="https://api.test", token="s3cr3t-token", **kwargs)
    client.set_httpx_client(
        httpx.Client(
            base_url="https://api.test",
            transport=httpx.MockTransport(handler),
            auth=client.httpx_client_kwargs()["auth"],
        )
    )
    return client


def test_import_is_lazy() -> None:
    code = (
        "import sys, generated_sdk as sdk; "
        "print(sorted(m for m in sys.modules if m.startswith('generated_sdk') or m == 'httpx')); "
        "sdk.items.list; "
        "print(sorted(m for m in sys.modules if m.startswith('generated_sdk.api')))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    before, after = completed.stdout.splitlines()
    assert before == "['generated_sdk']"
    assert after == (
        "['generated_sdk.api', 'generated_sdk.api.items', 'generated_sdk.api.items._list']"
    )


def test_namespaces_resolve_to_operations() -> None:
    assert sdk.items is sdk.api.items
    assert sorted(sdk.items.__all__) == ["create", "delete", "get", "list", "update"]
    assert sorted(sdk.auth.__all__) == ["login", "logout", "refresh"]
    assert sdk.users.__all__ == ["me"]
    assert repr(sdk.items.list) == "<operation sdk.items.list: GET /items>"
    assert sdk.auth.login.anonymous and sdk.auth.refresh.anonymous
    assert not sdk.auth.logout.anonymous and not sdk.items.get.anonymous
    assert "list" in dir(sdk.items) and "Client" in dir(sdk)
    with pytest.raises(AttributeError):
        sdk.items.nope  # type: ignore[attr-defined]  # noqa: B018


def test_client_defaults_and_kw_only_fields() -> None:
    client = sdk.Client("https://api.test")
    assert client.timeout == httpx.Timeout(30.0, connect=5.0)
    assert client.auth is None and client.verify_ssl is True and client.follow_redirects is False
    built = client.get_httpx_client()
    assert built.timeout == httpx.Timeout(30.0, connect=5.0)
    assert client.get_httpx_client() is built  # built once
    client.close()
    assert built.is_closed and client.is_closed
    with pytest.raises(sdk.errors.ClientClosed):  # never silently rebuilt
        client.get_httpx_client()
    client.close()  # closing twice is harmless
    with pytest.raises(TypeError):
        sdk.Client("https://api.test", 5.0)  # type: ignore[call-arg]


def test_client_is_subclassable_with_an_auth_flow() -> None:
    class HeaderAuth(httpx.Auth):
        def auth_flow(self, request: httpx.Request) -> Any:
            request.headers["X-Auth"] = "yes"
            yield request

    @define
    class SessionClient(sdk.Client):
        label: str = field(default="session", kw_only=True)

        def httpx_client_kwargs(self) -> dict[str, Any]:
            return {**super().httpx_client_kwargs(), "auth": HeaderAuth()}

    client = SessionClient(base_url="https://api.test", label="x")
    assert client.label == "x" and isinstance(client, sdk.Client)
    assert isinstance(client.get_httpx_client().auth, HeaderAuth)
    client.close()


def test_authenticated_client_hides_its_token() -> None:
    client = sdk.AuthenticatedClient(base_url="https://api.test", token="s3cr3t-token")
    assert "s3cr3t" not in repr(client)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    with mock_client(handler) as mocked:
        sdk.auth.logout(mocked)
    assert seen[0].headers["authorization"] == "Bearer s3cr3t-token"


def _error_response(status: int, body: Any = None, **headers: str) -> httpx.Response:
    request = httpx.Request(
        "GET", "https://api.test/items/5?cursor=abc", headers={"Authorization": "Bearer s3cr3t"}
    )
    if body is None:
        body = {"error": "oops", "message": "Something failed."}
    return httpx.Response(status, json=body, headers=headers, request=request)


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, sdk.errors.BadRequest),
        (401, sdk.errors.Unauthorized),
        (403, sdk.errors.Forbidden),
        (404, sdk.errors.NotFound),
        (409, sdk.errors.Conflict),
        (422, sdk.errors.UnprocessableEntity),
        (429, sdk.errors.TooManyRequests),
        (500, sdk.errors.ServerError),
        (503, sdk.errors.ServerError),
        (520, sdk.errors.ServerError),
        (599, sdk.errors.ServerError),
        (302, sdk.errors.UnexpectedStatus),
        (418, sdk.errors.UnexpectedStatus),
        (499, sdk.errors.UnexpectedStatus),
        (999, sdk.errors.UnexpectedStatus),
    ],
)
def test_status_to_exception(status: int, error_class: type[sdk.ApiError]) -> None:
    error = error_for_response(_error_response(status))
    assert type(error) is error_class and isinstance(error, sdk.ApiError)
    assert error.status_code == status
    assert error.error is not None and error.error_code == "oops"
    assert str(error) == f"GET /items/5 -> {status} oops: Something failed."
    text = str(error) + repr(error)
    assert "s3cr3t" not in text and "Authorization" not in text and "cursor" not in text


def test_error_body_that_is_not_an_error_document() -> None:
    for body in ([1, 2], {"unexpected": True}, "text"):
        error = error_for_response(_error_response(404, body))
        assert error.error is None and error.error_code is None
        assert str(error) == "GET /items/5 -> 404"
    bare = error_for_response(httpx.Response(500, content=b"<html>"))
    assert str(bare) == "-> 500" and bare.method == "" and bare.path == ""


def test_retry_after() -> None:
    assert parse_retry_after(None) is None
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after("-4") is None  # not delta-seconds (RFC 9110 10.2.3)
    assert parse_retry_after("nan") is None
    assert parse_retry_after("soon") is None
    later = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=60), usegmt=True)
    seconds = parse_retry_after(later)
    assert seconds is not None and 55 <= seconds <= 60
    error = error_for_response(_error_response(429, None, **{"Retry-After": "2"}))
    assert isinstance(error, sdk.errors.TooManyRequests) and error.retry_after == 2.0
    no_header = error_for_response(_error_response(429))
    assert isinstance(no_header, sdk.errors.TooManyRequests) and no_header.retry_after is None


def test_undocumented_success_status_raises() -> None:
    client = mock_client(lambda request: httpx.Response(200, json={"ok": True}))
    with pytest.raises(sdk.errors.UnexpectedStatus):  # create documents 201 only
        sdk.items.create(client, body=sdk.models.ItemCreate(name="x", price=1))
    client.close()


def test_success_body_of_the_wrong_shape_raises_parse_error() -> None:
    client = mock_client(lambda request: httpx.Response(200, json=[{"id": 1}]))
    with pytest.raises(sdk.errors.ResponseParseError) as caught:
        sdk.items.get(client, item_id=1)
    assert caught.value.expected == "Item" and caught.value.error is None
    assert isinstance(caught.value.__cause__, (TypeError, ValueError, KeyError))
    client.close()


def test_path_parameters_are_quoted() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    client = mock_client(handler)
    sdk.items.delete(client, item_id="1/2")  # type: ignore[arg-type]
    assert seen[0].url.raw_path == b"/items/1%2F2"
    client.close()
