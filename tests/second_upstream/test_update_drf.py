"""``diff`` and ``update`` for the second SDK: its own spec, config and package (in a copy)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from .variants import CONFIG, DRF, SPEC

ROOT = DRF.parents[1]


def project_copy(folder: Path) -> tuple[Path, Path, Path]:
    """spec, config and package of drf_sdk copied into ``folder`` (the committed ones untouched)."""
    shutil.copytree(
        DRF / "drf_sdk", folder / "drf_sdk", ignore=shutil.ignore_patterns("__pycache__")
    )
    (folder / "spec").mkdir()
    shutil.copyfile(SPEC, folder / "spec" / "openapi.yaml")
    shutil.copyfile(CONFIG, folder / "drf_sdk.generator.yaml")
    return folder / "spec" / "openapi.yaml", folder / "drf_sdk.generator.yaml", folder / "drf_sdk"


def mutated(folder: Path, change: Any) -> Path:
    spec: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    change(spec["components"]["schemas"]["Item"])
    path = folder / "new-openapi.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def generator(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def drop_price(item: dict[str, Any]) -> None:
    del item["properties"]["price"]
    item["required"].remove("price")


def test_a_removed_field_is_reported_breaking_and_refused(tmp_path: Path) -> None:
    spec, config, package = project_copy(tmp_path)
    new = mutated(tmp_path, drop_price)
    before = {p: p.read_bytes() for p in [spec, *package.rglob("*.py")]}

    diff = generator("diff", spec, new)
    assert diff.returncode == 1, diff.stdout + diff.stderr
    assert "price" in diff.stdout and "breaking" in diff.stdout.lower()

    update = generator(
        "update", new, "--spec", spec, "--config", config, "--output", package,
        "--project-root", ROOT,
    )  # fmt: skip
    assert update.returncode == 1, update.stdout + update.stderr
    assert "price" in update.stdout and "--allow-breaking" in update.stdout
    assert {p: p.read_bytes() for p in [spec, *package.rglob("*.py")]} == before


def test_an_added_optional_field_updates_spec_and_package_together(tmp_path: Path) -> None:
    spec, config, package = project_copy(tmp_path)

    def add_colour(item: dict[str, Any]) -> None:
        item["properties"]["colour"] = {"type": "string"}

    new = mutated(tmp_path, add_colour)
    update = generator(
        "update", new, "--spec", spec, "--config", config, "--output", package,
        "--project-root", ROOT,
    )  # fmt: skip
    assert update.returncode == 0, update.stdout + update.stderr
    assert spec.read_bytes() == new.read_bytes()
    assert "colour" in (package / "models" / "item.py").read_text(encoding="utf-8")
    assert (package / "session.py").is_file()
    # README.md and API.md name the committed spec and folder, not the staged ones the update
    # generated from, so the updated package is exactly what `--check` makes
    readme = (package / "README.md").read_text(encoding="utf-8")
    assert "--spec spec/openapi.yaml --config drf_sdk.generator.yaml --output drf_sdk" in readme
    assert ".staging-" not in readme
    check = generator("--check", "--spec", spec, "--config", config, "--output", package)
    assert check.returncode == 0, check.stdout + check.stderr
