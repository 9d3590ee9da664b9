"""Shared fixtures: one reference server per test session, reset before every test.

Async tests use ``@pytest.mark.anyio`` and run on asyncio (``anyio_backend``).
The ``upstream`` fixture gives each test a freshly reset server: seeded data,
no sessions, zeroed counters, no faults, startup configuration.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi_upstream.server import fastapi_server, fastapi_upstream
from oauth2_upstream.server import oauth2_server, oauth2_upstream

from reference_server import Control, serve
from reference_server.testing import Upstream

# The real third-party upstreams' fixtures (see each server.py), for every test.
__all__ = ["fastapi_server", "fastapi_upstream", "oauth2_server", "oauth2_upstream"]


@pytest.fixture
def anyio_backend() -> str:
    """Run ``@pytest.mark.anyio`` tests on asyncio only."""
    return "asyncio"


@pytest.fixture(scope="session")
def upstream_server() -> Iterator[Upstream]:
    """Start one reference server on a free 127.0.0.1 port for the whole session."""
    with serve() as url, Control(url) as control:
        yield Upstream(url=url, control=control)


@pytest.fixture
def upstream(upstream_server: Upstream) -> Upstream:
    """The session's server, reset to its startup state for this test."""
    upstream_server.control.reset()
    return upstream_server
