"""``python -m generator update NEW_SPEC``: adopt a new upstream spec in one step, or not at all.

1. *validate* NEW_SPEC with the generator's own checks (the same refusals as regeneration);
2. *compare* it with the committed spec (``generator.specdiff``) and classify every change as
   breaking or not for callers of the SDK; breaking changes stop here unless
   ``--allow-breaking`` is given;
3. *generate* the new package into a hidden staging folder (``pipeline.build_package``: codegen,
   ruff, lock file, import check), the new spec staged next to the committed one;
4. *verify* it together with the hand-written code (``crosscheck``: ruff and mypy --strict over
   an overlay where ``import generated_sdk`` is the new package);
5. *replace* ``generated_sdk/`` and ``spec/openapi.yaml`` together (``swap``), only if all of the
   above passed. On any failure nothing is replaced and the report says why.

Exit status: 0 updated, nothing to update, or (``--dry-run``) every check passed; 1 breaking
changes and no ``--allow-breaking`` (nothing replaced); 2 bad usage (unknown option, a spec file
that does not exist); 3 failed, nothing replaced (the new spec is refused, cannot be compared or
generated, or the new package does not pass ruff/mypy --strict with the hand-written code).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TextIO, cast

from . import pipeline
from .crosscheck import CheckResult, crosscheck, hand_written_targets
from .errors import GenerationError
from .run_codegen import check_generator_version
from .settings import DEFAULT_CONFIG, Settings, load_settings
from .specdiff import DiffResult, SpecError, diff_documents
from .specdiff.render import FORMATS, Format, render
from .swap import make_staging, refuse_foreign_target, stage_file, swap_package_and_file
from .validate import validate_spec

EXIT_OK = 0
EXIT_BREAKING = 1
EXIT_USAGE = 2
EXIT_FAILED = 3

Status = Literal["updated", "unchanged", "verified", "breaking", "failed"]
Step = Literal["", "read", "validate", "compare", "generate", "verify", "replace"]


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when it is inside it, else as given."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


@dataclass
class UpdateReport:
    """Everything ``update`` found out; rendered as a table, Markdown or JSON."""

    current: str
    new: str
    package: str
    dry_run: bool
    allow_breaking: bool
    status: Status = "failed"
    failed_step: Step = ""
    problems: list[str] = field(default_factory=list)
    diff: DiffResult | None = None
    checks: list[CheckResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    generated: str = ""
    seconds: float = 0.0

    @property
    def replaced(self) -> bool:
        return self.status == "updated"

    @property
    def exit_code(self) -> int:
        if self.status == "failed":
            return EXIT_FAILED
        if self.status == "breaking":
            return EXIT_BREAKING
        return EXIT_OK

    def fail(self, step: Step, error: GenerationError | SpecError) -> None:
        self.status = "failed"
        self.failed_step = step
        if isinstance(error, GenerationError):
            self.problems = [error.summary, *error.problems]
        else:
            self.problems = [str(error)]

    @property
    def message(self) -> str:
        """The one-line verdict."""
        breaking = self.diff.breaking_count if self.diff is not None else 0
        both = f"{self.current} and {self.package}/"
        if self.status == "updated":
            accepted = f" ({breaking} breaking change(s) accepted)" if breaking else ""
            return f"updated {both} to {self.new}{accepted}"
        if self.status == "unchanged":
            return f"nothing to update: {self.current} already is {self.new}"
        if self.status == "verified":
            return (
                "dry run: every check passed; nothing was replaced "
                f"(run without --dry-run to update {both})"
            )
        if self.status == "breaking":
            checked = "the checks passed, " if self.dry_run and self.checks else ""
            hint = (
                "re-run with --allow-breaking to update anyway"
                if self.dry_run
                else "re-run with --allow-breaking to update anyway, or with --dry-run to check "
                "the hand-written code against it first"
            )
            return (
                f"not updated: {breaking} breaking change(s) for SDK callers; "
                f"{checked}nothing was replaced ({hint})"
            )
        first = self.problems[0] if self.problems else "unknown error"
        if self.failed_step == "verify":
            first = "; ".join(self.problems)
        return f"FAILED at {self.failed_step or 'start'}: {first}; nothing was replaced"

    def to_dict(self) -> dict[str, object]:
        diff: dict[str, object] | None = None
        if self.diff is not None:
            diff = {
                "old_version": self.diff.old_version,
                "new_version": self.diff.new_version,
                **self.diff.to_dict(),
            }
        return {
            "status": self.status,
            "exit_code": self.exit_code,
            "replaced": self.replaced,
            "dry_run": self.dry_run,
            "allow_breaking": self.allow_breaking,
            "current": self.current,
            "new": self.new,
            "package": self.package,
            "message": self.message,
            "failed_step": self.failed_step or None,
            "problems": self.problems,
            "notes": self.notes,
            "generated": self.generated or None,
            "diff": diff,
            "checks": [check.to_dict() for check in self.checks],
            "seconds": round(self.seconds, 1),
        }


# --------------------------------------------------------------------------------------------
# The steps


Progress = Callable[[str], None]


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise GenerationError(f"cannot read the {what} {path}: {exc}") from exc


def _versions(diff: DiffResult | None) -> str:
    if diff is None or not (diff.old_version or diff.new_version):
        return ""
    return f" ({diff.old_version or '?'} -> {diff.new_version or '?'})"


def run_update(
    new_spec: Path,
    *,
    current_spec: Path,
    output: Path,
    project_root: Path,
    settings: Settings,
    allow_breaking: bool = False,
    dry_run: bool = False,
    progress: Progress = lambda _: None,
) -> UpdateReport:
    """Run the steps (see the module docstring); never raises for a refusal or failure."""
    started = time.monotonic()
    report = UpdateReport(
        current=display_path(current_spec),
        new=display_path(new_spec),
        package=display_path(output),
        dry_run=dry_run,
        allow_breaking=allow_breaking,
    )
    try:
        _steps(report, new_spec, current_spec, output, project_root, settings, progress)
    finally:
        report.seconds = time.monotonic() - started
    return report


def _steps(
    report: UpdateReport,
    new_spec: Path,
    current_spec: Path,
    output: Path,
    project_root: Path,
    settings: Settings,
    progress: Progress,
) -> None:
    # 1. validate: read each file once; what is validated is what gets generated and installed.
    try:
        check_generator_version()
        pipeline.check_target_name(output, settings)
        refuse_foreign_target(output)
        new_bytes = _read(new_spec, "new spec")
        old_bytes = _read(current_spec, "current spec")
    except GenerationError as exc:
        report.fail("read", exc)
        return
    progress(f"validating {report.new}")
    try:
        new_document = pipeline.parse_spec(new_bytes, new_spec)
        validate_spec(new_document, settings)
        old_document = pipeline.parse_spec(old_bytes, current_spec)
    except GenerationError as exc:
        report.fail("validate", exc)
        return

    # 2. compare
    try:
        report.diff = diff_documents(old_document, new_document)
    except SpecError as exc:
        report.fail("compare", exc)
        return
    if new_bytes == old_bytes:
        report.status = "unchanged"
        return
    blocked = report.diff.has_breaking and not report.allow_breaking
    if blocked and not report.dry_run:
        report.status = "breaking"
        return

    # 3. generate into a hidden sibling of the package; the spec is staged beside the committed
    # one (same folder, so installing it is one atomic rename), or in the scratch folder for a
    # dry run (which must not write next to the committed files).
    staging = make_staging(output)
    staged_spec: Path | None = None
    try:
        if report.dry_run:
            staged_spec = staging / current_spec.name
            staged_spec.write_bytes(new_bytes)
        else:
            staged_spec = stage_file(new_bytes, current_spec)
        package_dir = staging / output.name
        progress(f"generating the new {output.name} (codegen, ruff, import check)")
        generate = CheckResult("generate", [output.name], True)
        report.checks.append(generate)
        try:
            outcome = pipeline.build_package(staged_spec, package_dir, settings, run_mypy=False)
        except GenerationError as exc:
            generate.ok = False
            generate.details = [exc.summary, *exc.problems]
            report.fail("generate", exc)
            return
        report.notes = outcome.notes
        plan = outcome.plan
        report.generated = (
            f"{len(plan.tags)} tags, {len(plan.operations)} operations, {len(plan.models)} models"
        )

        # 4. verify with the hand-written code
        targets = ", ".join([output.name, *hand_written_targets(project_root, settings)])
        progress(f"checking {targets} with ruff and mypy --strict")
        checks = crosscheck(package_dir, project_root, settings)
        report.checks.extend(checks)
        failed = [check for check in checks if not check.ok]
        if failed:
            report.status = "failed"
            report.failed_step = "verify"
            report.problems = [
                f"{check.name} failed on the new {output.name} with the hand-written code"
                + (f" (in {', '.join(check.files)})" if check.files else "")
                for check in failed
            ]
            return
        if report.dry_run:
            report.status = "breaking" if blocked else "verified"
            return

        # 5. replace both, or neither
        progress(f"replacing {report.package}/ and {report.current}")
        try:
            swap_package_and_file(package_dir, output, staged_spec, current_spec)
        except GenerationError as exc:
            report.fail("replace", exc)
            return
        report.status = "updated"
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if staged_spec is not None and not report.dry_run:
            staged_spec.unlink(missing_ok=True)


# --------------------------------------------------------------------------------------------
# Rendering


def _check_label(check: CheckResult) -> str:
    return f"{check.name}: {', '.join(check.targets)}"


def render_report(report: UpdateReport, format: Format) -> str:
    if format == "json":
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
    if format == "markdown":
        return _markdown(report)
    return _table(report)


def _table(report: UpdateReport) -> str:
    lines = [f"update: {report.current} -> {report.new}{_versions(report.diff)}"]
    if report.diff is not None:
        lines += ["", render(report.diff, "table")]
    if report.checks:
        lines += ["", "Checks:"]
        for check in report.checks:
            extra = (
                f" ({report.generated})" if check.name == "generate" and report.generated else ""
            )
            lines.append(f"  {'passed' if check.ok else 'FAILED'}  {_check_label(check)}{extra}")
            lines += [f"            {detail}" for detail in check.details]
    elif report.status == "failed" and len(report.problems) > 1:
        lines += ["", *(f"  - {problem}" for problem in report.problems[1:])]
    lines += ["", *(f"note: {note}" for note in report.notes), f"update: {report.message}"]
    return "\n".join(lines)


def _fence(lines: list[str]) -> list[str]:
    fence = "````" if any("```" in line for line in lines) else "```"
    return [f"{fence}text", *lines, fence]


def _markdown(report: UpdateReport) -> str:
    verdicts = {
        "updated": "updated",
        "unchanged": "nothing to update",
        "verified": "dry run passed",
        "breaking": "not updated (breaking changes)",
        "failed": "failed, nothing replaced",
    }
    lines = [
        f"## SDK update: `{report.current}`{_versions(report.diff).replace('->', '→')}",
        "",
        f"**Result: {verdicts[report.status]}.** {report.message}.",
    ]
    if report.status == "failed" and not report.checks and len(report.problems) > 1:
        lines += ["", *_fence(report.problems[1:])]
    if report.diff is not None:
        diff_text = render(report.diff, "markdown")
        if diff_text.startswith("## "):
            diff_text = "#" + diff_text
        lines += ["", diff_text]
    if report.checks:
        lines += ["", "### Checks", "", "| Check | On | Result |", "| --- | --- | --- |"]
        for check in report.checks:
            on = ", ".join(f"`{target}`" for target in check.targets)
            lines.append(f"| {check.name} | {on} | {'passed' if check.ok else '**failed**'} |")
        for check in report.checks:
            if check.ok or not check.details:
                continue
            lines += [
                "",
                f"<details><summary>{check.name}</summary>",
                "",
                *_fence(check.details),
                "",
                "</details>",
            ]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Command line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("new_spec", type=Path, metavar="NEW_SPEC", help="the new OpenAPI document")
    parser.add_argument(
        "--format", choices=FORMATS, default="table", help="report format (default: table)"
    )
    parser.add_argument(
        "--allow-breaking",
        action="store_true",
        help="update even when the new spec has changes that break SDK callers",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="report and run every check, but replace nothing (breaking changes still exit 1 "
        "without --allow-breaking)",
    )
    parser.add_argument(
        "--project-root",
        type=Path,
        default=None,
        help="the project to update (default: the current folder); the "
        "paths below and update.typecheck in the config are relative to it",
    )
    parser.add_argument(
        "--spec",
        type=Path,
        default=None,
        help="the committed spec to replace (default: PROJECT_ROOT/spec/openapi.yaml)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="the generated package to replace (default: PROJECT_ROOT/<package_name>)",
    )
    parser.add_argument(
        "--config", type=Path, default=DEFAULT_CONFIG, help="generator config (default: ours)"
    )


EPILOG = (
    "exit status: 0 updated (or nothing to update, or a --dry-run whose checks passed); "
    "1 breaking changes without --allow-breaking, nothing replaced; 2 bad usage or a spec file "
    "that does not exist; 3 failed, nothing replaced (spec refused, generation failed, or ruff / "
    "mypy --strict fail on the new package with the hand-written code)"
)


def build_parser(prog: str = "python -m generator update") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Validate NEW_SPEC, report how it differs from the committed spec (breaking "
        "or not for SDK callers), regenerate the SDK from it in a staging folder, check that with "
        "ruff and mypy --strict together with the hand-written code, and only then replace the "
        "spec and the generated package together.",
        epilog=EPILOG,
    )
    add_arguments(parser)
    return parser


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    root: Path = args.project_root if args.project_root is not None else Path.cwd()
    current: Path = args.spec if args.spec is not None else root / "spec" / "openapi.yaml"
    for what, path in (("NEW_SPEC", args.new_spec), ("the current spec", current)):
        if not path.is_file():
            print(f"generator update: error: {what} {path} is not a file", file=err)
            return EXIT_USAGE
    if not root.is_dir():
        print(f"generator update: error: project root {root} is not a folder", file=err)
        return EXIT_USAGE
    try:
        settings = load_settings(args.config)
    except GenerationError as exc:
        print(f"generator update: error: {exc.render()}", file=err)
        return EXIT_USAGE
    output: Path = args.output if args.output is not None else root / settings.package_name

    def progress(text: str) -> None:
        print(f"generator update: {text} ...", file=err, flush=True)

    report = run_update(
        args.new_spec,
        current_spec=current,
        output=output,
        project_root=root,
        settings=settings,
        allow_breaking=args.allow_breaking,
        dry_run=args.dry_run,
        progress=progress,
    )
    print(render_report(report, cast(Format, args.format)), file=out)
    print(f"generator update: done in {report.seconds:.1f}s", file=err)
    return report.exit_code


def main(argv: list[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run(args, out, err)


__all__ = [
    "EXIT_BREAKING",
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "UpdateReport",
    "main",
    "render_report",
    "run_update",
]
