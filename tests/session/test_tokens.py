"""Token arithmetic: lifetimes, the capped leeway, no refresh loops, robust JWT decoding."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdk_session import TokenResponseError, TokenSet
from sdk_session.timing import LatencyWindow, ServerClock
from sdk_session.tokens import calibrate, effective_leeway, jwt_claims


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


# -- the server's clock wins -----------------------------------------------------------


def test_server_clock_intersects_bounds_and_restarts_when_they_stop_overlapping() -> None:
    clock = ServerClock()
    clock.observe(1000.0, sent=990.0, received=990.2, floored=True)  # offset in [9.8, 11.0]
    assert (clock.low, clock.high) == pytest.approx((9.8, 11.0))
    clock.observe(1001.0, sent=991.8, received=991.9, floored=True)  # offset in [9.1, 10.2]
    assert (clock.low, clock.high) == pytest.approx((9.8, 10.2))
    clock.observe(5000.0, sent=991.0, received=991.1, floored=False)  # a jump: start over
    assert (clock.low, clock.high) == pytest.approx((4008.9, 4009.0))
    assert clock.local(5000.0) == pytest.approx(991.0)
    assert clock.local_latest(5000.0) == pytest.approx(991.1)


def test_date_headers_narrow_the_offset() -> None:
    clock = ServerClock()
    clock.observe_date("Tue, 01 Dec 2026 09:00:00 GMT", 1796115599.90, 1796115600.05)
    clock.observe_date("Tue, 01 Dec 2026 09:00:00 GMT", 1796115600.93, 1796115600.98)
    clock.observe_date("not a date", 0.0, 1.0)  # ignored
    assert clock.high is not None and clock.low is not None
    assert clock.high - clock.low < 0.2  # two answers on either side of a tick


def test_whole_second_claims_are_taken_at_their_worst_case() -> None:
    clock = ServerClock()
    token = fake_jwt({"iat": 1000, "exp": 1002})  # floored: really issued in [1000, 1001)
    raw = TokenSet.issue(access_token=token, refresh_token="r", now=500.4)
    tokens = calibrate(raw, clock, sent=500.0, received=500.4)
    assert tokens.expires_at == pytest.approx(501.0)  # 1002 - (1000 + 1 - 500.0)
    assert tokens.refresh_floor == pytest.approx(501.4)  # server 1001 at its latest: 1001 - 499.6
    # Never refreshed before a refresh could return a token that expires later.
    due = tokens.refresh_at(30, 0.1)
    assert due is not None and due >= 501.4
    assert tokens.renewable_in(501.0) == pytest.approx(0.4)


def test_float_claims_give_a_tight_expiry_and_no_floor() -> None:
    clock = ServerClock()
    token = fake_jwt({"iat": 1000.25, "exp": 1002.25})
    tokens = calibrate(TokenSet.issue(access_token=token, now=500.1), clock, 500.0, 500.1)
    assert tokens.expires_at == pytest.approx(502.0)
    assert tokens.refresh_floor is None


def test_newer_than_compares_expiry() -> None:
    old = TokenSet(access_token="a", expires_at=10.0, obtained_at=9.0)
    assert not TokenSet(access_token="b", expires_at=10.0, obtained_at=9.5).newer_than(old)
    assert TokenSet(access_token="b", expires_at=11.0, obtained_at=9.5).newer_than(old)
    assert TokenSet(access_token="b").newer_than(old)  # unknown lifetime: assume newer


def test_latency_raises_the_leeway_within_the_lifetime_cap() -> None:
    assert effective_leeway(3600, 30, 0.1, latency=90) == 90
    assert effective_leeway(3600, 30, 0.1, latency=900) == pytest.approx(360)
    assert effective_leeway(2, 30, 0.1, latency=1.5) == pytest.approx(0.2)
    window = LatencyWindow(size=100)
    for value in range(100):
        window.add(value / 100)
    assert window.p99 == pytest.approx(0.99)


def test_a_slow_token_endpoint_moves_the_refresh_ahead_earlier_within_the_fraction() -> None:
    tokens = TokenSet(access_token="a", expires_at=50.0, obtained_at=0.0)
    assert tokens.refresh_at(0.5, 0.1) == pytest.approx(49.5)
    # the last refresh took 1 s: start twice that plus the p99 before expiry
    assert tokens.refresh_at(0.5, 0.1, latency=0.02, renewal=1.0) == pytest.approx(47.98)
    assert tokens.refresh_due(47.99, 0.5, 0.1, 0.02, 1.0)
    # never earlier than the fraction allows: more refreshes than one per lifetime otherwise
    assert tokens.refresh_at(0.5, 0.1, renewal=10.0) == pytest.approx(45.0)
    assert tokens.refresh_at(30, 0.1, latency=3.0, renewal=0.5) == pytest.approx(45.0)


def test_doomed_is_capped_by_half_the_refresh_ahead_lead() -> None:
    tokens = TokenSet(access_token="a", expires_at=2.0, obtained_at=0.0)
    lead = tokens.lead(30, 0.1, latency=1.5)
    assert lead == pytest.approx(0.2)  # the fraction caps it
    assert not tokens.doomed(1.0, latency=1.5, lead=lead)
    assert not tokens.doomed(1.89, latency=1.5, lead=lead)  # the renewal's head start
    assert tokens.doomed(1.91, latency=1.5, lead=lead)
    assert tokens.doomed(1.96, latency=0.05, lead=lead)
    assert not tokens.doomed(1.94, latency=0.05, lead=lead)
    assert not tokens.doomed(1.99, latency=0.0, lead=lead)  # nothing measured yet
