"""Property-based: everything the session layer parses itself yields only typed errors.

Each property runs ``EXAMPLES`` examples (derandomized, so the run is reproducible).
"""

from __future__ import annotations

import base64
import json
import math
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generated_sdk.session import Binding as ItemsBinding
from sdk_session import (
    RetryPolicy,
    SessionError,
    StoreError,
    TokenResponseError,
    TokenSet,
    parse_retry_after,
)
from sdk_session.core import should_renew_on
from sdk_session.stores.file import FileTokenStore
from sdk_session.tokens import jwt_claims

EXAMPLES = 2000
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
NOW = 1_800_000_000.0

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=6,
)
token_fields = st.sampled_from(["access_token", "token_type", "refresh_token", "expires_in"])
token_like = st.dictionaries(token_fields, json_values, max_size=4) | st.fixed_dictionaries(
    {"access_token": json_values, "token_type": json_values, "expires_in": json_values}
)
bodies = st.one_of(
    st.binary(max_size=200),
    token_like.map(lambda d: json.dumps(d).encode()),
    json_values.map(lambda v: json.dumps(v).encode()),
)


def _json_nan_safe(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode()


@PROPERTY
@given(status=st.sampled_from([200, 201, 400, 401, 403, 429, 500, 503]), body=bodies)
def test_token_responses_give_tokens_or_typed_errors(status: int, body: bytes) -> None:
    binding = ItemsBinding()
    request = httpx.Request("POST", "https://api.example.com/auth/refresh")
    response = httpx.Response(
        status, content=body, headers={"content-type": "application/json"}, request=request
    )
    previous = TokenSet(access_token="a", refresh_token="r")
    parsers: list[Callable[[], TokenSet]] = [
        lambda: binding.parse_login(response, now=NOW),
        lambda: binding.parse_refresh(response, previous, now=NOW),
    ]
    for parse in parsers:
        try:
            tokens = parse()
        except SessionError:
            continue
        assert isinstance(tokens, TokenSet) and tokens.access_token
        assert tokens.expires_at is None or math.isfinite(tokens.expires_at)


@PROPERTY
@given(values=st.lists(st.binary(max_size=120), min_size=0, max_size=3))
def test_www_authenticate_headers_never_raise(values: list[bytes]) -> None:
    headers = [(b"www-authenticate", value) for value in values]
    response = httpx.Response(401, headers=headers)
    assert isinstance(should_renew_on(response), bool)


retry_after_values = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(10**15), max_value=10**15).map(str),
    st.floats().map(str),
    st.datetimes().map(lambda d: d.strftime("%a, %d %b %Y %H:%M:%S GMT")),
    st.datetimes().map(lambda d: d.strftime("%A, %d-%b-%y %H:%M:%S %Z")),
    st.tuples(
        st.sampled_from(["Wed, 21 Oct 2015 07:28:00 GMT", "Sun, 06 Nov 1994 08:49:37"]),
        st.integers(0, 28),
        st.characters(codec="latin-1"),
    ).map(lambda t: t[0][: t[1]] + t[2] + t[0][t[1] + 1 :]),
)


@PROPERTY
@given(value=retry_after_values)
def test_retry_after_values_give_a_wait_or_none(value: str) -> None:
    wait = parse_retry_after(value, now=lambda: NOW)
    assert wait is None or (math.isfinite(wait) and wait >= 0)
    request = httpx.Request("GET", "https://api.example.com/items")
    try:
        header = value.encode("latin-1")
    except UnicodeEncodeError:
        return
    response = httpx.Response(429, headers=[(b"retry-after", header)], request=request)
    delay = RetryPolicy(max_retry_after=60).delay_after_response(request, response, 0)
    assert delay is None or 0 <= delay <= 60


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


payloads = st.one_of(
    st.binary(max_size=60).map(_b64),
    st.text(max_size=60),
    st.dictionaries(
        st.sampled_from(["exp", "iat", "sub"]), json_values | st.floats(), max_size=3
    ).map(lambda d: _b64(_json_nan_safe(d))),
)


@PROPERTY
@given(payload=payloads, expires_in=st.none() | st.floats() | st.integers())
def test_jwt_payloads_give_tokens_or_typed_errors(payload: str, expires_in: float | None) -> None:
    token = f"eyJhbGciOiJIUzI1NiJ9.{payload}.c2ln"
    claims = jwt_claims(token)
    assert claims is None or isinstance(claims, dict)
    try:
        tokens = TokenSet.issue(access_token=token, now=NOW, expires_in=expires_in)
    except TokenResponseError:
        return
    assert tokens.expires_at is None or math.isfinite(tokens.expires_at)
    tokens.refresh_due(NOW, 30.0, 0.1)


def _valid_record() -> bytes:
    tokens = TokenSet(access_token="a", refresh_token="r", expires_at=NOW, obtained_at=NOW)
    return json.dumps(
        {"format": 1, "generation": 3, "tokens": tokens.with_generation(3).to_json()}
    ).encode()


VALID = _valid_record()
_FOLDER = Path(tempfile.mkdtemp(prefix="sdk-session-props-"))
corrupted = st.one_of(
    st.binary(max_size=300),
    st.integers(min_value=0, max_value=len(VALID)).map(lambda n: VALID[:n]),
    st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)).map(
        lambda p: VALID[: p[0]] + bytes([p[1]]) + VALID[p[0] + 1 :]
    ),
    st.fixed_dictionaries(
        {"format": json_values, "generation": json_values, "tokens": json_values | token_like}
    ).map(_json_nan_safe),
)


@settings(PROPERTY, suppress_health_check=list(HealthCheck))
@given(raw=corrupted)
def test_corrupted_token_files_give_tokens_or_store_error(raw: bytes) -> None:
    path = _FOLDER / "session.json"
    path.write_bytes(raw)
    store = FileTokenStore(path)  # a new store: no cached record
    try:
        tokens = store.load()
    except StoreError:
        return
    assert tokens is None or isinstance(tokens, TokenSet)
