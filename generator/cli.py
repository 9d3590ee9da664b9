"""The command line of ``python -m generator`` (``__main__.py`` checks what it needs first)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import init, pipeline, update
from .errors import GenerationError
from .settings import DEFAULT_CONFIG, load_settings
from .specdiff import cli as diff_cli


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Generate the SDK package from the OpenAPI document (openapi-python-client "
        "0.29.1 + generator/config.yaml + generator/templates).",
        epilog="subcommands: `python -m generator init --spec PATH --package NAME` writes a config "
        "for another API's document (its SDK is generated beside generated_sdk/); "
        "`python -m generator diff OLD NEW` compares two spec versions; "
        "`python -m generator update NEW_SPEC` adopts a new spec version, checked against the "
        "hand-written code (see `python -m generator update --help`).",
    )
    parser.add_argument(
        "--spec",
        type=Path,
        default=Path("spec") / "openapi.yaml",
        help="OpenAPI document (default: spec/openapi.yaml)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=Path("generated_sdk"),
        help="package folder to (re)generate or check (default: generated_sdk/)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=DEFAULT_CONFIG,
        help="generator config (default: generator/config.yaml, made for spec/openapi.yaml; for "
        "another API write one with `python -m generator init --spec PATH --package NAME`)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="refuse instead of adapting: every policy in the config's `policies` becomes "
        "`refuse`, and the document is validated with openapi-spec-validator",
    )
    parser.add_argument(
        "--report",
        choices=("text", "json"),
        default="text",
        help="how to print the run's report (operations generated/excluded/adapted/lost, each "
        "adaptation with its policy); json goes to stdout (default: text)",
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


_display = update.display_path


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["diff"]:
        diff_args = diff_cli.build_parser("python -m generator diff").parse_args(arguments[1:])
        return diff_cli.run(diff_args)
    if arguments[:1] == ["update"]:
        return update.main(arguments[1:])
    if arguments[:1] == ["init"]:
        return init.main(arguments[1:])
    args = _parser().parse_args(arguments)
    started = time.monotonic()
    try:
        settings = load_settings(args.config)
        if args.strict:
            settings = settings.strict()
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
        print(f"generator: note: {note}", file=sys.stderr if args.report == "json" else sys.stdout)
    if outcome.report is not None:
        if args.report == "json":
            print(outcome.report.to_json())
        else:
            for line in outcome.report.lines():
                print(f"generator: {line}")
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
        message = f"generator: {_display(args.output)} is up to date ({summary}) [{elapsed:.1f}s]"
    else:
        message = f"generator: wrote {_display(args.output)} ({summary}) [{elapsed:.1f}s]"
    print(message, file=sys.stderr if args.report == "json" else sys.stdout)
    return 0
