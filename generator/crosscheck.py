"""Checks a new generated package together with the hand-written code that imports it.

``python -m generator update`` must know, before replacing anything, whether the project still
passes its own gates against the new SDK. The check runs on an *overlay*: a temporary folder
holding a copy of the new package under its final name, copies of the hand-written code named in
``update.typecheck`` (and ``update.importable``, which that code imports) and the project's tool
configuration (pyproject.toml & co.). There ``import generated_sdk`` can only mean the new
package, and the committed tree is never touched. Over it run, as ``make lint``/``make
typecheck`` would:

* ``ruff check`` and ``ruff format --check`` on the package and the hand-written code;
* ``mypy --strict`` on the package and the hand-written code, together (the hand-written code is
  checked against the new package's types: a renamed operation or removed field is an error).

mypy keeps an incremental cache in the system temp dir (outside the project), so repeated
updates take about a second for the type check instead of a cold run's ten or more.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .settings import Settings

#: Tool configuration copied into the overlay, so ruff and mypy read the project's own settings.
CONFIG_FILES = ("pyproject.toml", "ruff.toml", ".ruff.toml", "mypy.ini", ".mypy.ini", "setup.cfg")
#: Never copied: caches and bytecode from running the code.
IGNORED = shutil.ignore_patterns(
    "__pycache__", "*.pyc", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis"
)
MYPY_CACHE = Path(tempfile.gettempdir()) / "items-sdk-update-mypy-cache"
#: Error lines shown per failed check, and per file while other files have some to show.
MAX_LINES = 20
PER_FILE = 4


@dataclass
class CheckResult:
    """One gate over the overlay: its name, what it ran on, and (if it failed) why."""

    name: str
    targets: list[str]
    ok: bool
    details: list[str] = field(default_factory=list)
    omitted: int = 0
    files: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "targets": self.targets,
            "ok": self.ok,
            "details": self.details,
            "omitted": self.omitted,
            "files": self.files,
        }


def hand_written_targets(project_root: Path, settings: Settings) -> list[str]:
    """The configured hand-written paths that exist in this project (missing ones are skipped)."""
    return [name for name in settings.update.typecheck if (project_root / name).exists()]


def _copy(source: Path, destination: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, destination, ignore=IGNORED, symlinks=True)
    elif source.is_file():
        shutil.copy2(source, destination)


def build_overlay(package_dir: Path, project_root: Path, overlay: Path, settings: Settings) -> None:
    """Lay out ``overlay`` (an empty folder): the new package plus copies from the project."""
    _copy(package_dir, overlay / package_dir.name)
    names = [*settings.update.typecheck, *settings.update.importable, *CONFIG_FILES]
    for name in dict.fromkeys(names):
        if name == package_dir.name:
            continue
        source = project_root / name
        if source.exists():
            _copy(source, overlay / name)


_FILE = re.compile(r"^(?:Would reformat: )?(?P<file>[^\s:]+\.pyi?):")


def _files(lines: list[str]) -> list[str]:
    """The files the tool complains about, in order of appearance."""
    found = (_FILE.match(line) for line in lines)
    return list(dict.fromkeys(match["file"] for match in found if match))


def _shorten(lines: list[str]) -> tuple[list[str], int]:
    """At most ``MAX_LINES`` lines, no more than ``PER_FILE`` from one file while others wait
    (so every broken file shows), then the tool's closing summary; and how many were cut."""
    kept = [line.rstrip() for line in lines if line.strip()]
    summary = [kept.pop()] if kept and kept[-1].startswith(("Found ", "Success")) else []
    by_file: dict[str, list[int]] = {}
    for index, line in enumerate(kept):
        match = _FILE.match(line)
        by_file.setdefault(match["file"] if match else "", []).append(index)
    chosen: set[int] = set()
    for limit in (PER_FILE, len(kept)):
        for indexes in by_file.values():
            for index in indexes[:limit]:
                if len(chosen) < MAX_LINES:
                    chosen.add(index)
    omitted = len(kept) - len(chosen)
    shown = [kept[index] for index in sorted(chosen)]
    if omitted:
        shown.append(f"... and {omitted} more line(s)")
    return shown + summary, omitted


def _run(
    name: str, command: list[str], targets: list[str], overlay: Path, settings: Settings
) -> CheckResult:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)
    env.pop("MYPYPATH", None)
    try:
        result = subprocess.run(
            [*command, *targets],
            cwd=overlay,
            env=env,
            capture_output=True,
            text=True,
            timeout=settings.verify_timeout_seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        timeout = f"timed out after {settings.verify_timeout_seconds:.0f}s"
        return CheckResult(name, targets, False, [timeout])
    if result.returncode == 0:
        return CheckResult(name, targets, True)
    lines = (result.stdout + result.stderr).splitlines()
    details, omitted = _shorten(lines)
    return CheckResult(name, targets, False, details, omitted, _files(lines))


def check_overlay(
    overlay: Path, package_name: str, hand_written: list[str], settings: Settings
) -> list[CheckResult]:
    """Run every gate (all of them, so one report shows every problem)."""
    python = [sys.executable, "-m"]
    targets = [package_name, *hand_written]
    return [
        _run(
            "ruff check",
            [*python, "ruff", "check", "--no-cache", "--output-format", "concise", "--quiet"],
            targets,
            overlay,
            settings,
        ),
        _run(
            "ruff format --check",
            [*python, "ruff", "format", "--check", "--no-cache", "--quiet"],
            targets,
            overlay,
            settings,
        ),
        _run(
            "mypy --strict",
            [
                *python,
                "mypy",
                "--strict",
                "--cache-dir",
                str(MYPY_CACHE),
                "--hide-error-context",
                "--no-color-output",
                "--no-pretty",
            ],
            targets,
            overlay,
            settings,
        ),
    ]


def crosscheck(package_dir: Path, project_root: Path, settings: Settings) -> list[CheckResult]:
    """Check ``package_dir`` (a complete new package) with the project's hand-written code."""
    hand_written = hand_written_targets(project_root, settings)
    with tempfile.TemporaryDirectory(prefix="generator-update-overlay-") as scratch:
        overlay = Path(scratch)
        build_overlay(package_dir, project_root, overlay, settings)
        return check_overlay(overlay, package_dir.name, hand_written, settings)
