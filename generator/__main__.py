"""``python -m generator``: regenerate generated_sdk/, or ``--check`` that it is up to date.

Exit status: 0 success; 1 refusal, failed verification or (with --check) drift; 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import pipeline
from .errors import GenerationError
from .settings import DEFAULT_CONFIG, GENERATOR_DIR, load_settings

REPO_ROOT = GENERATOR_DIR.parent


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Generate the SDK package from the OpenAPI document (openapi-python-client "
        "0.29.1 + generator/config.yaml + generator/templates).",
    )
    parser.add_argument(
        "--spec",
        type=Path,
        default=REPO_ROOT / "spec" / "openapi.yaml",
        help="OpenAPI document (default: spec/openapi.yaml)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=REPO_ROOT / "generated_sdk",
        help="package folder to (re)generate or check (default: generated_sdk/)",
    )
    parser.add_argument(
        "--config", type=Path, default=DEFAULT_CONFIG, help="generator config (default: ours)"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="generate into a temporary folder and fail if --output differs from it",
    )
    mypy = parser.add_mutually_exclusive_group()
    mypy.add_argument(
        "--mypy",
        dest="mypy",
        action="store_true",
        default=None,
        help="run mypy --strict on the result (default for generation, off for --check)",
    )
    mypy.add_argument(
        "--no-mypy", dest="mypy", action="store_false", help="skip the mypy --strict verification"
    )
    return parser


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.monotonic()
    try:
        settings = load_settings(args.config)
        if args.check:
            outcome = pipeline.check(args.spec, args.output, settings, run_mypy=bool(args.mypy))
        else:
            run_mypy = True if args.mypy is None else bool(args.mypy)
            outcome = pipeline.generate(args.spec, args.output, settings, run_mypy=run_mypy)
    except GenerationError as exc:
        print(f"generator: {exc.render()}", file=sys.stderr)
        print(f"generator: {_display(args.output)} was left unchanged.", file=sys.stderr)
        return 1
    for note in outcome.notes:
        print(f"generator: note: {note}")
    elapsed = time.monotonic() - started
    operations = outcome.plan.operations
    paginated = [op.qualified for op in operations if op.page]
    summary = (
        f"{len(outcome.plan.tags)} tags, {len(operations)} operations, "
        f"{len(outcome.plan.models)} models; paginated: {', '.join(paginated) or 'none'}"
    )
    if args.check:
        if outcome.drift:
            print(
                f"generator: {_display(args.output)} is out of date with the spec/generator "
                "(run `python -m generator` and commit the result):",
                file=sys.stderr,
            )
            for line in outcome.drift.lines():
                print(f"  {line}", file=sys.stderr)
            return 1
        print(f"generator: {_display(args.output)} is up to date ({summary}) [{elapsed:.1f}s]")
        return 0
    print(f"generator: wrote {_display(args.output)} ({summary}) [{elapsed:.1f}s]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
