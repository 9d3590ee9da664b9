"""Present a ``DiffResult``: an aligned table for terminals, Markdown for PR descriptions,
JSON for machines. Renderers only format; they never reorder or filter findings."""

from __future__ import annotations

import json
from typing import Literal, get_args

from .findings import DiffResult, Finding

Format = Literal["table", "markdown", "json"]
FORMATS: tuple[str, ...] = get_args(Format)

_TABLE_HEADER = ("IMPACT", "OPERATION", "CHANGE", "LOCATION", "DETAIL")


def render(result: DiffResult, format: Format = "table") -> str:
    """Render ``result`` in one of ``FORMATS`` (no trailing newline)."""
    if format == "table":
        return render_table(result)
    if format == "markdown":
        return render_markdown(result)
    if format == "json":
        return render_json(result)
    raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")


def summary(result: DiffResult) -> str:
    total = len(result.findings)
    noun = "change" if total == 1 else "changes"
    return (
        f"{result.breaking_count} breaking, {result.non_breaking_count} non-breaking "
        f"({total} {noun})"
    )


def impact(finding: Finding) -> str:
    return "BREAKING" if finding.breaking else "ok"


def render_table(result: DiffResult) -> str:
    cells = [_TABLE_HEADER] + [
        (impact(f), f.operation, str(f.kind), f.location or "-", f.detail) for f in result.findings
    ]
    rows = [[_one_line(cell) for cell in row] for row in cells]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_TABLE_HEADER))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    if not result.findings:
        lines = ["No API changes."]
    lines.append(f"Summary: {summary(result)}")
    return "\n".join(lines)


def render_markdown(result: DiffResult) -> str:
    versions = ""
    if result.old_version or result.new_version:
        versions = f" {result.old_version or '?'} → {result.new_version or '?'}"
    lines = [f"## API changes{versions}: {summary(result)}", ""]
    if not result.findings:
        lines.append("No changes to the API surface.")
        return "\n".join(lines)
    if result.has_breaking:
        lines += [f"**{result.breaking_count} breaking change(s)** for SDK callers.", ""]
    lines += [
        "| Impact | Operation | Change | Location | Details |",
        "| --- | --- | --- | --- | --- |",
    ]
    for f in result.findings:
        operation = _code(f.operation) + (f" ({_code(f'{f.method} {f.path}')})" if f.method else "")
        cells = (
            "**breaking**" if f.breaking else "ok",
            operation,
            _code(str(f.kind)),
            _code(f.location) if f.location else "-",
            _cell(f.message),
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render_json(result: DiffResult) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _one_line(text).replace("|", "\\|")


def _code(text: str) -> str:
    text = _cell(text)
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"
