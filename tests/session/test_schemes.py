"""``SchemeAuth``: each static credential goes only where the operation's requirement names it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import httpx
import pytest

from sdk_session import Scheme, SchemeAuth
from sdk_session.calls import send
from sdk_session.client import Client
from sdk_session.schemes import Requirement


class Security(SchemeAuth):
    schemes: ClassVar[Mapping[str, Scheme]] = {
        "key_header": Scheme("apiKey", "header", "X-Api-Key"),
        "key_query": Scheme("apiKey", "query", "api_key"),
        "key_cookie": Scheme("apiKey", "cookie", "session"),
        "bearer": Scheme("bearer"),
        "basic": Scheme("basic"),
    }


def _sent(auth: SchemeAuth, security: Requirement | None) -> httpx.Request:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    client = Client(
        base_url="https://api.example",
        auth=auth,
        httpx_args={"transport": httpx.MockTransport(handler)},
    )
    request = {"method": "GET", "url": "/things", "headers": {"Cookie": "theme=dark"}}
    with client:
        send(client, request, timeout=None, headers=None, anonymous=False, security=security)
    (sent,) = seen
    return sent


def test_each_location_and_kind() -> None:
    auth = Security({"key_header": "h", "key_query": "q", "key_cookie": "c"})
    sent = _sent(auth, (("key_header", "key_query", "key_cookie"),))
    assert sent.headers["X-Api-Key"] == "h"
    assert sent.url.params["api_key"] == "q"
    assert sent.headers["Cookie"] == "theme=dark; session=c"
    assert _sent(Security({"bearer": "t"}), (("bearer",),)).headers["Authorization"] == "Bearer t"
    basic = _sent(Security({"basic": ("ada", "pw")}), (("basic",),))
    assert basic.headers["Authorization"] == "Basic YWRhOnB3"


def test_the_first_satisfiable_alternative_and_nothing_else() -> None:
    auth = Security({"key_header": "h", "bearer": "t"})
    sent = _sent(auth, (("basic",), ("bearer", "key_query"), ("key_header",)))
    assert sent.headers["X-Api-Key"] == "h"
    assert "Authorization" not in sent.headers and "api_key" not in sent.url.params


@pytest.mark.parametrize("security", [None, (), ((),)])
def test_no_requirement_sends_no_credentials(security: Requirement | None) -> None:
    sent = _sent(Security({"key_header": "h", "bearer": "t"}), security)
    assert "X-Api-Key" not in sent.headers and "Authorization" not in sent.headers


def test_bad_values_are_named_and_repr_is_redacted() -> None:
    with pytest.raises(ValueError, match="unknown security scheme 'nope'"):
        Security({"nope": "x"})
    with pytest.raises(TypeError, match="'basic' takes a \\(user, password\\) pair"):
        Security({"basic": "ada:pw"})
    with pytest.raises(TypeError, match="'bearer' takes a non-empty string"):
        Security({"bearer": ""})
    assert repr(Security({"bearer": "top-secret", "key_query": None})) == (
        "Security(bearer=<redacted>)"
    )
