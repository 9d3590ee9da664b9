"""The wheels built from a copy of this checkout, once per test session."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DISTRIBUTIONS = (".", "packages/items-reference-server", "packages/items-sdk-generator")
SKIP = shutil.ignore_patterns(
    ".git", ".venv*", "*cache*", "build", "dist", "*.egg-info", "__pycache__", "img", ".hypothesis"
)


@pytest.fixture(scope="session")
def built_wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Wheel paths by distribution (``items_sdk``, ...), built offline with the dev setuptools."""
    root = tmp_path_factory.mktemp("checkout") / "items-sdk"
    shutil.copytree(REPO, root, ignore=SKIP)
    out = root / "dist"
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"),
            *("--wheel-dir", str(out), *DISTRIBUTIONS),
        ],
        cwd=root,
        check=True,
        capture_output=True,
        timeout=180,
    )
    return {path.name.split("-")[0]: path for path in out.glob("*.whl")}
