"""``diff OLD NEW [--format table|markdown|json]`` with an exit status CI can act on:
0 = no breaking change, 1 = breaking changes found, 2 = invalid input (or usage)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO, cast

from .engine import diff_files
from .errors import SpecError
from .render import FORMATS, Format, render

EXIT_OK = 0
EXIT_BREAKING = 1
EXIT_INVALID = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the arguments on ``parser``, so a parent CLI can mount this as a subcommand."""
    parser.add_argument("old", help="the current OpenAPI document (YAML or JSON)")
    parser.add_argument("new", help="the candidate OpenAPI document (YAML or JSON)")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="report format (default: table)",
    )


def build_parser(prog: str = "generator diff") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Compare two OpenAPI documents and classify the changes for SDK callers.",
    )
    add_arguments(parser)
    return parser


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Execute parsed arguments; the report goes to ``out``, problems to ``err``."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    try:
        result = diff_files(args.old, args.new)
    except SpecError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_INVALID
    print(render(result, cast(Format, args.format)), file=out)
    return EXIT_BREAKING if result.has_breaking else EXIT_OK


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Entry point. ``argv`` is what follows the ``diff`` subcommand (a leading ``diff``
    token is tolerated). Never raises ``SystemExit``; usage errors return 2."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    operands = [a for a in arguments if not a.startswith("-") and a not in FORMATS]
    if arguments[:1] == ["diff"] and len(operands) > 2:
        arguments = arguments[1:]
    parser = build_parser()
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_INVALID
    return run(args, out, err)
