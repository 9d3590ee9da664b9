"""A folder on sys.path for the SDKs the oracle generates, one per session."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def oracle_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder on sys.path for the generated packages."""
    root = tmp_path_factory.mktemp("oracle")
    sys.path.insert(0, str(root))
    try:
        yield root
    finally:
        sys.path.remove(str(root))
