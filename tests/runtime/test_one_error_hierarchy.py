"""One error hierarchy through every SDK (issue 26): every SDK's classes are the runtime's, one
``except`` catches what either SDK or the session raises, and a persistent 401 through a
``SessionClient`` is the documented ``errors.Unauthorized`` as well as ``TokenRejected``: against
the reference server and the real Django + SimpleJWT server."""

from __future__ import annotations

import socket
from collections.abc import Iterator, Mapping
from typing import Any

import anyio
import drf_sdk
import httpx
import pytest
from drf_sdk.session import Binding as DrfBinding
from drf_upstream.server import PASSWORD, USER, DrfUpstream, serve_drf

import generated_sdk
import sdk_session
from generated_sdk.models import Error
from reference_server import DEMO_EMAIL, DEMO_PASSWORD
from reference_server.testing import Upstream
from sdk_session import (
    ApiConnectionError,
    LoginFailed,
    NotLoggedIn,
    TokenRejected,
    TokenSet,
)
from sdk_session import errors as runtime_errors

SDKS = (generated_sdk, drf_sdk)


def _refused_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.mark.parametrize("sdk", SDKS, ids=lambda m: m.__name__)
def test_every_sdk_error_class_is_the_runtimes(sdk: Any) -> None:
    for name in runtime_errors.__all__:
        assert getattr(sdk.errors, name) is getattr(runtime_errors, name), name
    assert sdk.SdkError is sdk_session.SdkError
    assert issubclass(TokenRejected, sdk.errors.Unauthorized)


@pytest.fixture(scope="module")
def drf_server() -> Iterator[DrfUpstream]:
    with serve_drf(access_seconds=60) as upstream:
        yield upstream


# -- the reference server ---------------------------------------------------------------------


def _outlived(upstream: Upstream) -> None:
    """Every list call takes longer than a token lives (tokens issued from now on live 0.25 s):
    renewing cannot help."""
    upstream.control.configure(access_ttl=0.25)
    upstream.control.fault("list", latency=0.35, count=None)


def test_a_persistent_401_is_the_documented_unauthorized_sync(upstream: Upstream) -> None:
    with generated_sdk.SessionClient(base_url=upstream.url) as client:
        _outlived(upstream)
        client.login(DEMO_EMAIL, DEMO_PASSWORD)
        with pytest.raises(generated_sdk.errors.Unauthorized) as caught:
            generated_sdk.items.list(client)
    error = caught.value
    assert isinstance(error, TokenRejected) and error.outlived
    assert error.status_code == 401 and error.response.status_code == 401
    assert isinstance(error.error, Error) and error.error_code == error.error.error
    assert error.path == "/items" and error.method == "GET"
    assert "Bearer" not in str(error) and "eyJ" not in str(error)


def test_a_persistent_401_is_the_documented_unauthorized_async(upstream: Upstream) -> None:
    async def call() -> BaseException:
        async with generated_sdk.SessionClient(base_url=upstream.url) as client:
            _outlived(upstream)
            await client.alogin(DEMO_EMAIL, DEMO_PASSWORD)
            try:
                await generated_sdk.items.list.asyncio(client)
            except generated_sdk.errors.Unauthorized as exc:
                return exc
        raise AssertionError("no error")

    error = anyio.run(call)
    assert isinstance(error, TokenRejected) and isinstance(error.error, Error)


def test_one_except_catches_everything_the_items_sdk_raises(upstream: Upstream) -> None:
    caught: list[BaseException] = []
    with generated_sdk.SessionClient(base_url=upstream.url) as client:
        for call in (
            lambda: generated_sdk.users.me(client),  # not logged in
            lambda: client.login(DEMO_EMAIL, "wrong"),
            lambda: (
                client.login(DEMO_EMAIL, DEMO_PASSWORD),
                generated_sdk.items.get(client, item_id=10**6),
            ),
        ):
            try:
                call()
            except drf_sdk.errors.SdkError as exc:  # the other SDK's base: the same class
                caught.append(exc)
    assert [type(exc).__name__ for exc in caught] == ["NotLoggedIn", "LoginFailed", "NotFound"]
    assert isinstance(caught[1], generated_sdk.errors.Unauthorized)
    assert isinstance(caught[1].error, Error)  # the Items SDK's error model, as for an operation


# -- the real Django + SimpleJWT server ----------------------------------------------------------


class WrongScheme(DrfBinding):
    """Tokens sent under a scheme SimpleJWT does not accept (``JWT``, not ``Bearer``): every
    signed call is refused with 401, before and after a renewal."""

    def tokens_from_payload(
        self, payload: Mapping[str, Any], *, now: float, what: str, previous: TokenSet | None
    ) -> TokenSet:
        tokens = super().tokens_from_payload(payload, now=now, what=what, previous=previous)
        return TokenSet.issue(
            access_token=tokens.access_token,
            token_type="JWT",
            refresh_token=tokens.refresh_token,
            expires_in=tokens.expires_at - now if tokens.expires_at else None,
            now=now,
        )


def test_a_persistent_401_from_django_is_the_documented_unauthorized(
    drf_server: DrfUpstream,
) -> None:
    drf_server.reset()
    with drf_sdk.SessionClient(base_url=drf_server.url, binding=WrongScheme()) as client:
        client.login(USER, PASSWORD)
        with pytest.raises(drf_sdk.errors.Unauthorized) as caught:
            drf_sdk.items.items_list(client)
    error = caught.value
    assert isinstance(error, TokenRejected) and isinstance(error, sdk_session.SessionError)
    assert error.status_code == 401 and error.response.request.url.path == "/api/items/"
    served = drf_server.counters()
    # The call, one renewal (the session's 401 path), the resend: refused again.
    assert served.get("/api/items/ 401") == 2 and served.get("/api/token/refresh/ 200") == 1


def test_one_except_catches_everything_drf_sdk_raises(drf_server: DrfUpstream) -> None:
    caught: list[BaseException] = []
    refused = _refused_url()
    with drf_sdk.SessionClient(base_url=drf_server.url) as client:
        for call in (
            lambda: drf_sdk.items.items_list(client),  # not logged in
            lambda: client.login(USER, "wrong"),
            lambda: (client.login(USER, PASSWORD), drf_sdk.items.items_retrieve(client, id=10**6)),
        ):
            try:
                call()
            except generated_sdk.errors.SdkError as exc:  # the other SDK's base: the same class
                caught.append(exc)
    with drf_sdk.SessionClient(base_url=refused, retries=0) as down:
        try:
            down.login(USER, PASSWORD)
        except drf_sdk.errors.SdkError as exc:
            caught.append(exc)
    kinds = [type(exc) for exc in caught]
    assert kinds[0] is NotLoggedIn and isinstance(caught[1], LoginFailed)
    assert isinstance(caught[1], drf_sdk.errors.Unauthorized) and caught[1].status_code == 401
    assert kinds[2] is drf_sdk.errors.NotFound and isinstance(caught[3], ApiConnectionError)
    assert isinstance(caught[3].__cause__, httpx.ConnectError)
