"""``fastapi_sdk``: the SDK a user gets from the app's own schema (openapi.json) with
``python -m generator init`` and ``python -m generator``, run here as commands in a temporary
folder, the config untouched."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

SPEC = Path(__file__).resolve().parent / "openapi.json"
PACKAGE = "fastapi_template_sdk"


def _run(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


@pytest.fixture(scope="session")
def fastapi_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """``init`` + generate, then the package imported; the report is in ``.report``."""
    folder = tmp_path_factory.mktemp("fastapi_sdk")
    report = _run("init", "--spec", str(SPEC), "--package", PACKAGE, cwd=folder)
    config = folder / f"{PACKAGE}.generator.yaml"
    report += _run("--spec", str(SPEC), "--config", str(config), "--output", PACKAGE, cwd=folder)
    sys.path.insert(0, str(folder))
    try:
        module = importlib.import_module(PACKAGE)
        module.report = report  # type: ignore[attr-defined]
        yield module
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]
