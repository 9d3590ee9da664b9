"""Generate variants of drf_sdk (another config over the same schema) into a temporary folder."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from generator import pipeline
from generator.report import Report
from generator.settings import load_settings

DRF = Path(__file__).resolve().parents[2] / "examples" / "drf"
SPEC = DRF / "spec" / "openapi.yaml"
CONFIG = DRF / "drf_sdk.generator.yaml"


def config_with(package: str, **changes: Any) -> dict[str, Any]:
    """The committed config under another package name, with top-level keys replaced."""
    config: dict[str, Any] = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    config["package_name"] = package
    config["openapi_python_client"]["package_name_override"] = package
    config.update(changes)
    return config


def generate(folder: Path, config: dict[str, Any]) -> tuple[Path, Report | None]:
    """Generate ``config``'s package into ``folder`` (no mypy: the committed SDK is type-checked
    by `make typecheck`); returns its path and the run's report."""
    path = folder / f"{config['package_name']}.generator.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    output = folder / str(config["package_name"])
    outcome = pipeline.generate(SPEC, output, load_settings(path), run_mypy=False)
    return output, outcome.report


def load(output: Path, module: str = "") -> ModuleType:
    """Import the generated package (or one of its modules) from where it was generated."""
    if str(output.parent) not in sys.path:
        sys.path.insert(0, str(output.parent))
    return importlib.import_module(output.name + (f".{module}" if module else ""))
