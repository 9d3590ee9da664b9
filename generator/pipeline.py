"""The pipeline: validate, preprocess, codegen, format, lock, verify; then swap or compare.

Both ``generate`` and ``check`` build a complete package in a scratch directory first, so they
produce exactly the same bytes; only what happens to the result differs.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openapi_python_client.config import Config
from openapi_python_client.parser import GeneratorData

from .adapt import Adapted, adapt_spec
from .check import Drift, compare_trees
from .errors import GenerationError
from .guard import reported_as_bug
from .inputs import Inputs
from .lockfile import write_lock
from .loosen import parse_adapted
from .plan import SdkPlan, with_remedy
from .postprocess import format_package
from .preprocess import preprocess_spec
from .report import Report, build_report
from .run_codegen import check_generator_version, make_config, parse_strict, plan_for, write_package
from .session import resolve as resolve_session
from .settings import Settings
from .source import Source, load_source, parse_document
from .structure import check_structure
from .swap import (
    make_staging,
    refuse_foreign_target,
    remove_stale_staging,
    swap_into_place,
    terminate_cleanly,
)
from .validate import validate_spec
from .verify import verify_imports, verify_types


@dataclass
class Outcome:
    plan: SdkPlan
    notes: list[str] = field(default_factory=list)
    drift: Drift = field(default_factory=Drift)
    report: Report | None = None


class Phases:
    """Wall time of each phase of a run, in seconds, in the order they ran (the report's
    ``seconds``; ``python -m benchmarks.corpus`` tabulates them)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - started
            self.seconds[name] = self.seconds.get(name, 0.0) + elapsed


def load_spec(spec_path: Path) -> tuple[bytes, Any]:
    source = load_source(spec_path)
    return source.raw, source.data


def parse_spec(raw: bytes, spec_path: Path) -> Any:
    """The document in ``raw`` (YAML or JSON, read from ``spec_path``)."""
    return parse_document(raw, spec_path)


def check_target_name(output: Path, settings: Settings) -> None:
    if output.name != settings.package_name:
        raise GenerationError(
            f"the output folder must be named {settings.package_name!r} (the package name the "
            f"code is generated and verified under), got {output.name!r}; for another API, "
            "write its own config with `python -m generator init --spec PATH --package NAME`"
        )


@dataclass
class Prepared:
    """A document validated, adapted by the policies and parsed, ready to render."""

    source: Source
    adapted: Adapted
    data: GeneratorData
    config: Config
    warnings: list[str]
    notes: list[str]
    phases: Phases = field(default_factory=Phases)


def validate_document(source: Source, settings: Settings) -> list[str]:
    """Refuse a document that cannot be generated (every problem, located); return warnings."""
    if settings.strict_mode:
        validate_spec(source.data, settings)  # today's rules: every oddity is a refusal
        return []
    findings = check_structure(source, settings.exclude)
    if findings.refusals:
        raise GenerationError(
            "refusing to generate: the spec is not a valid OpenAPI document",
            [with_remedy(refusal) for refusal in findings.refusals],
        )
    return findings.warnings


def prepare(
    source: Source, settings: Settings, output: Path, phases: Phases | None = None
) -> Prepared:
    """Validate, apply the policies and parse; nothing is written."""
    phases = phases or Phases()
    with phases("validate"):
        warnings = validate_document(source, settings)
    if settings.strict_mode:
        rewritten, notes = preprocess_spec(source.data, settings)
        adapted = Adapted(spec=rewritten)
        config = make_config(settings, source.path, output)
        with phases("parse"):
            data = parse_strict(rewritten, config)
        return Prepared(source, adapted, data, config, warnings, notes, phases)
    with phases("validate"), reported_as_bug("adapting the document"):
        adapted = adapt_spec(source.data, settings)
    config = make_config(settings, source.path, output, adapted.content_type_overrides)
    with phases("parse"):
        data = parse_adapted(adapted, config, settings, source)
    notes = []  # the report names every adaptation
    return Prepared(source, adapted, data, config, warnings, notes, phases)


def _prepare_file(spec_path: Path, settings: Settings, output: Path) -> Prepared:
    phases = Phases()
    with phases("read"):
        source = load_source(spec_path)
    return prepare(source, settings, output, phases)


def build_prepared(
    prepared: Prepared,
    package_dir: Path,
    settings: Settings,
    *,
    run_mypy: bool,
    inputs: Inputs | None = None,
) -> Outcome:
    """Write a complete, verified package at ``package_dir`` (which must not exist yet).

    ``inputs`` is what its README.md and API.md name as its spec, config and folder (default:
    the spec read, the config and ``package_dir``, staging names mapped to the committed ones).
    """
    adapted = prepared.adapted
    phases = prepared.phases
    with phases("plan"):
        plan = plan_for(prepared.data, adapted.spec, settings, adapted.wire_names)
        if settings.session is not None:
            plan.session = resolve_session(settings.session, adapted.spec, plan)
        warnings = [*prepared.warnings, *adapted.warnings]
        report = build_report(prepared.source, adapted, plan, warnings)
    config = make_config(
        settings, prepared.source.path, package_dir, adapted.content_type_overrides
    )
    if inputs is None:
        inputs = Inputs.of(prepared.source.path, settings.path, package_dir)
    with phases("render"):
        write_package(prepared.data, plan, config, inputs)
    with phases("ruff"):
        format_package(package_dir, settings)
    with phases("render"):
        write_lock(package_dir, prepared.source.raw, settings)
    with phases("import check"):
        verify_imports(package_dir, settings)
    if run_mypy:
        with phases("mypy"):
            verify_types(package_dir, settings)
    report.seconds = phases.seconds
    return Outcome(plan=plan, notes=prepared.notes, report=report)


def build_package(
    spec_path: Path,
    package_dir: Path,
    settings: Settings,
    *,
    run_mypy: bool,
    inputs: Inputs | None = None,
) -> Outcome:
    """Write a complete, verified package at ``package_dir`` (which must not exist yet)."""
    prepared = _prepare_file(spec_path, settings, package_dir)
    return build_prepared(prepared, package_dir, settings, run_mypy=run_mypy, inputs=inputs)


def generate(
    spec_path: Path, output: Path, settings: Settings, *, run_mypy: bool = True
) -> Outcome:
    """Regenerate ``output`` atomically; on any failure it is left exactly as it was."""
    output = output.absolute()  # the formatting and verification steps run in other folders
    check_generator_version()
    check_target_name(output, settings)
    refuse_foreign_target(output)
    remove_stale_staging(output)
    # Refusals of the spec happen before anything is created on disk.
    prepared = _prepare_file(spec_path, settings, output)
    with terminate_cleanly():
        staging = make_staging(output)
        try:
            outcome = build_prepared(
                prepared,
                staging / output.name,
                settings,
                run_mypy=run_mypy,
                inputs=Inputs.of(spec_path, settings.path, output),
            )
            swap_into_place(staging / output.name, output)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return outcome


def check(spec_path: Path, output: Path, settings: Settings, *, run_mypy: bool = False) -> Outcome:
    """Generate into a scratch dir and report how ``output`` differs from it."""
    output = output.absolute()
    check_generator_version()
    check_target_name(output, settings)
    with tempfile.TemporaryDirectory(prefix="generator-check-") as scratch:
        fresh = Path(scratch) / output.name
        with terminate_cleanly():
            outcome = build_package(
                spec_path,
                fresh,
                settings,
                run_mypy=run_mypy,
                inputs=Inputs.of(spec_path, settings.path, output),
            )
        outcome.drift = compare_trees(fresh, output)
    return outcome
