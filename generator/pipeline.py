"""The pipeline: validate, preprocess, codegen, format, lock, verify; then swap or compare.

Both ``generate`` and ``check`` build a complete package in a scratch directory first, so they
produce exactly the same bytes; only what happens to the result differs.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .check import Drift, compare_trees
from .errors import GenerationError
from .lockfile import write_lock
from .plan import SdkPlan
from .postprocess import format_package
from .preprocess import preprocess_spec
from .run_codegen import check_generator_version, run_codegen
from .settings import Settings
from .swap import make_staging, refuse_foreign_target, swap_into_place
from .validate import validate_spec
from .verify import verify_imports, verify_types


@dataclass
class Outcome:
    plan: SdkPlan
    notes: list[str] = field(default_factory=list)
    drift: Drift = field(default_factory=Drift)


def load_spec(spec_path: Path) -> tuple[bytes, Any]:
    try:
        raw = spec_path.read_bytes()
    except OSError as exc:
        raise GenerationError(f"cannot read the spec {spec_path}: {exc}") from exc
    return raw, parse_spec(raw, spec_path)


def parse_spec(raw: bytes, spec_path: Path) -> Any:
    """The document in ``raw`` (YAML or JSON, read from ``spec_path``)."""
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise GenerationError(
            f"refusing to generate: {spec_path} is not valid YAML/JSON: {exc}"
        ) from exc


def check_target_name(output: Path, settings: Settings) -> None:
    if output.name != settings.package_name:
        raise GenerationError(
            f"the output folder must be named {settings.package_name!r} (the package name the "
            f"code is generated and verified under), got {output.name!r}"
        )


def build_package(
    spec_path: Path, package_dir: Path, settings: Settings, *, run_mypy: bool
) -> Outcome:
    """Write a complete, verified package at ``package_dir`` (which must not exist yet)."""
    spec_bytes, spec = load_spec(spec_path)
    validate_spec(spec, settings)
    rewritten, notes = preprocess_spec(spec, settings)
    plan = run_codegen(rewritten, spec_path, package_dir, settings)
    format_package(package_dir, settings)
    write_lock(package_dir, spec_bytes, settings)
    verify_imports(package_dir, settings)
    if run_mypy:
        verify_types(package_dir, settings)
    return Outcome(plan=plan, notes=notes)


def generate(
    spec_path: Path, output: Path, settings: Settings, *, run_mypy: bool = True
) -> Outcome:
    """Regenerate ``output`` atomically; on any failure it is left exactly as it was."""
    check_generator_version()
    check_target_name(output, settings)
    refuse_foreign_target(output)
    # Refusals of the spec happen before anything is created on disk.
    _, spec = load_spec(spec_path)
    validate_spec(spec, settings)
    staging = make_staging(output)
    try:
        outcome = build_package(spec_path, staging / output.name, settings, run_mypy=run_mypy)
        swap_into_place(staging / output.name, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return outcome


def check(spec_path: Path, output: Path, settings: Settings, *, run_mypy: bool = False) -> Outcome:
    """Generate into a scratch dir and report how ``output`` differs from it."""
    check_generator_version()
    check_target_name(output, settings)
    with tempfile.TemporaryDirectory(prefix="generator-check-") as scratch:
        fresh = Path(scratch) / output.name
        outcome = build_package(spec_path, fresh, settings, run_mypy=run_mypy)
        outcome.drift = compare_trees(fresh, output)
    return outcome
