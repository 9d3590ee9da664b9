"""Fixtures of the session-layer tests (the ``upstream`` reference server comes from tests/)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .drf_upstream import DrfState, StandIn, create_app
from .support import serve_app


@pytest.fixture
def drf() -> Iterator[StandIn]:
    """A fresh SimpleJWT stand-in served over TCP on 127.0.0.1."""
    state = DrfState()
    with serve_app(create_app(state)) as url:
        yield StandIn(url, state)


@pytest.fixture
def drf_other() -> Iterator[StandIn]:
    """A second stand-in: another origin (another port), for cross-origin redirects."""
    state = DrfState()
    with serve_app(create_app(state)) as url:
        yield StandIn(url, state)
