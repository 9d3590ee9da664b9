"""The runtime's date parsers: the standard library where it can, python-dateutil
for the rest of ISO 8601, with the same values dateutil alone gave."""

from __future__ import annotations

import datetime

import pytest
from dateutil.parser import isoparse
from hypothesis import given
from hypothesis import strategies as st

from generated_sdk.models import User
from sdk_session.calls import parse_date, parse_datetime

SAMPLES = [
    "2024-01-01T00:00:00Z",
    "2024-01-01T00:00:00+00:00",
    "2024-02-29T23:59:59.123456+05:30",
    "2024-02-29T23:59:59.5-08:00",
    "2024-01-01T12:00:00",  # naive stays naive
    "2024-01-01",  # a date where a date-time is expected: midnight
    "20240101T120000Z",  # basic format
    "2024-W01-1T10:00:00Z",  # week date
    "2024-01",  # reduced precision: dateutil's part
    "2024-01-01T24:00:00Z",  # end of day: dateutil's part
    "2024-01-01T10:00:00.1234567Z",  # 7 fraction digits: dateutil's part
]


@pytest.mark.parametrize("value", SAMPLES)
def test_parse_datetime_gives_what_isoparse_gave(value: str) -> None:
    parsed = parse_datetime(value)
    assert parsed == isoparse(value)
    assert parsed.utcoffset() == isoparse(value).utcoffset()


@pytest.mark.parametrize("value", ["2024-01-01", "2024-01-01T23:30:00-05:00", "2024-01"])
def test_parse_date_keeps_the_date_part(value: str) -> None:
    assert parse_date(value) == isoparse(value).date()
    assert type(parse_date(value)) is datetime.date


@pytest.mark.parametrize("value", ["", "yesterday", "2024-13-01", "2024-01-01T25:00:00"])
def test_bad_values_raise_value_error(value: str) -> None:
    with pytest.raises(ValueError):
        parse_datetime(value)


@given(st.datetimes(timezones=st.none() | st.timezones()))
def test_any_isoformat_reads_as_isoparse_reads_it(moment: datetime.datetime) -> None:
    text = moment.isoformat()
    parsed = parse_datetime(text)
    try:
        assert parsed == isoparse(text)
    except ValueError:  # dateutil rejects offsets with seconds (old local mean times)
        offset = moment.utcoffset()
        assert offset is not None and offset.total_seconds() % 60 != 0
    assert parsed.utcoffset() == moment.utcoffset()  # the offset written, not a zone's rules
    assert parsed.replace(tzinfo=None) == moment.replace(tzinfo=None)


def test_models_parse_dates_through_the_runtime() -> None:
    user = User.from_dict(
        {"id": 1, "email": "a@example.com", "name": "A", "created_at": "2024-01-02T03:04:05Z"}
    )
    assert user.created_at == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
