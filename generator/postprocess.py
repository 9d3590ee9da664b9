"""Formats and lints the rendered package with the pinned ruff, and checks the file headers.

ruff runs as ``sys.executable -m ruff`` (the environment's pinned ruff, not whatever is on PATH),
with our settings file and ``--no-cache`` so nothing but the package lands in the tree.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .errors import GenerationError
from .settings import RUFF_CONFIG, Settings


def _ruff(*args: str, package_dir: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "ruff", *args, "--config", str(RUFF_CONFIG), "--no-cache"]
    return subprocess.run(
        [*command, "--", str(package_dir)],
        cwd=package_dir.parent,
        capture_output=True,
        text=True,
        check=False,
    )


def format_package(package_dir: Path, settings: Settings) -> None:
    """Apply ruff's safe fixes (import order, unused imports), format, then require a clean lint."""
    for args in (("check", "--fix-only", "--quiet"), ("format", "--quiet")):
        result = _ruff(*args, package_dir=package_dir)
        if result.returncode != 0:
            raise GenerationError(
                f"`ruff {args[0]}` failed on the generated code", [result.stdout + result.stderr]
            )
    result = _ruff("check", "--output-format", "concise", package_dir=package_dir)
    if result.returncode != 0:
        raise GenerationError(
            "the generated code is not ruff-clean (fix the templates in generator/templates)",
            result.stdout.strip().splitlines()[:40],
        )
    check_headers(package_dir, settings)


def check_headers(package_dir: Path, settings: Settings) -> None:
    """Every generated .py must open with the do-not-edit header (catches a template without it)."""
    missing = [
        path.relative_to(package_dir).as_posix()
        for path in sorted(package_dir.rglob("*.py"))
        if not path.read_text(encoding="utf-8").startswith(settings.header + "\n")
    ]
    if missing:
        raise GenerationError("generated modules lack the do-not-edit header", missing)
