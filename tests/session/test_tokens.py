"""Token arithmetic: lifetimes, the capped leeway, no refresh loops, robust JWT decoding."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdk_session import TokenResponseError, TokenSet
from sdk_session.tokens import effective_leeway, jwt_claims


def fake_jwt(claims: object) -> str:
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    return f"{part(b'{}')}.{part(json.dumps(claims).encode())}.sig"


def test_jwt_claims_decodes_payload_without_verifying() -> None:
    assert jwt_claims(fake_jwt({"exp": 10, "iat": 5})) == {"exp": 10, "iat": 5}


@pytest.mark.parametrize(
    "token",
    [
        "opaque",
        "a.b",
        "a..c",
        "a.!!!.c",
        "a.b.c.d",
        fake_jwt([1, 2]),
        fake_jwt("x"),
        "a.bm90IGpzb24.c",
    ],
)
def test_jwt_claims_is_none_for_anything_else(token: str) -> None:
    assert jwt_claims(token) is None


@given(st.text())
def test_jwt_claims_never_raises(token: str) -> None:
    result = jwt_claims(token)
    assert result is None or isinstance(result, dict)


def test_lifetime_from_expires_in() -> None:
    tokens = TokenSet.issue(access_token="a", expires_in=2.5, now=100.0)
    assert tokens.expires_at == 102.5 and tokens.lifetime == 2.5


def test_lifetime_from_jwt_exp_minus_iat_ignores_server_clock() -> None:
    # The server's clock is 1000 s ahead of ours: exp - iat still gives 60 s from receipt.
    tokens = TokenSet.issue(access_token=fake_jwt({"iat": 2000, "exp": 2060}), now=1000.0)
    assert tokens.expires_at == 1060.0


def test_lifetime_from_jwt_exp_alone_and_unknown() -> None:
    assert TokenSet.issue(access_token=fake_jwt({"exp": 1500}), now=1000.0).expires_at == 1500.0
    assert TokenSet.issue(access_token="opaque", now=1000.0).expires_at is None
    bad = fake_jwt({"exp": "soon", "iat": True})
    assert TokenSet.issue(access_token=bad, now=1000.0).expires_at is None


@pytest.mark.parametrize("expires_in", [-1.0, float("nan"), float("inf")])
def test_invalid_expires_in_is_a_token_response_error(expires_in: float) -> None:
    with pytest.raises(TokenResponseError):
        TokenSet.issue(access_token="a", expires_in=expires_in, now=0.0)


def test_token_type_is_normalised_and_validated() -> None:
    assert TokenSet.issue(access_token="a", token_type="bearer", now=0).token_type == "Bearer"
    assert TokenSet.issue(access_token="a", token_type="MAC", now=0).authorization == "MAC a"
    with pytest.raises(TokenResponseError):
        TokenSet.issue(access_token="a", token_type="Bear er", now=0)
    with pytest.raises(TokenResponseError):
        TokenSet.issue(access_token="", now=0)


def test_leeway_is_capped_to_a_fraction_of_the_lifetime() -> None:
    assert effective_leeway(3600, 30, 0.1) == 30
    assert effective_leeway(2, 30, 0.1) == pytest.approx(0.2)
    assert effective_leeway(None, 30, 0.1) == 30


def test_short_lived_token_is_not_refreshed_on_every_call() -> None:
    tokens = TokenSet.issue(access_token="a", expires_in=2.0, now=0.0)
    assert not tokens.refresh_due(0.0, 30, 0.1)
    assert not tokens.refresh_due(1.7, 30, 0.1)
    assert tokens.refresh_due(1.81, 30, 0.1)


def test_token_already_inside_the_leeway_is_used_until_it_expires() -> None:
    # Uncapped leeway bigger than the lifetime: the fresh token is "inside the leeway".
    tokens = TokenSet.issue(access_token="a", expires_in=10.0, now=0.0)
    assert tokens.refresh_at(60, 1.0) == 10.0
    assert not tokens.refresh_due(9.9, 60, 1.0)
    assert tokens.refresh_due(10.0, 60, 1.0)


def test_token_expired_on_arrival_waits_for_a_401() -> None:
    tokens = TokenSet.issue(access_token=fake_jwt({"exp": 500}), now=1000.0)
    assert tokens.refresh_at(30, 0.1) is None
    assert not tokens.refresh_due(10_000.0, 30, 0.1)


@given(
    lifetime=st.floats(min_value=0.001, max_value=1e7),
    leeway=st.floats(min_value=0, max_value=1e7),
    fraction=st.floats(min_value=0, max_value=1),
    now=st.floats(min_value=0, max_value=2e9),
)
def test_a_fresh_token_never_asks_for_a_refresh(
    lifetime: float, leeway: float, fraction: float, now: float
) -> None:
    tokens = TokenSet.issue(access_token="a", expires_in=lifetime, now=now)
    assert not tokens.refresh_due(now, leeway, fraction)


def test_repr_and_str_hide_the_tokens() -> None:
    tokens = TokenSet.issue(access_token="SECRET-A", refresh_token="SECRET-R", now=0.0)
    for text in (repr(tokens), str(tokens), f"{tokens}", repr([tokens])):
        assert "SECRET" not in text
    assert "<redacted>" in repr(tokens)


def test_json_round_trip_and_validation() -> None:
    tokens = TokenSet.issue(access_token="a", refresh_token="r", expires_in=5, now=1.0)
    assert TokenSet.from_json(tokens.to_json()) == tokens
    with pytest.raises(TokenResponseError):
        TokenSet.from_json({"access_token": 1})
    with pytest.raises(TokenResponseError):
        TokenSet.from_json({**tokens.to_json(), "generation": "1"})
