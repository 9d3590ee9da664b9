"""Renderers: structure, alignment, counts, and a JSON form that round-trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.specdiff import DiffResult, Finding, Kind, diff_files, render
from generator.specdiff.render import render_table

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def upstream() -> DiffResult:
    return diff_files(FIXTURES / "upstream_v1.yaml", FIXTURES / "upstream_v2.yaml")


def sample() -> DiffResult:
    findings = [
        Finding(
            Kind.PARAMETER_ADDED,
            False,
            "items.list",
            "GET",
            "/items",
            "query.sort",
            "",
            "optional string",
            "New parameter `query.sort` (optional).",
        ),
        Finding(
            Kind.SECURITY_CHANGED,
            True,
            "items.list",
            "GET",
            "/items",
            "security",
            "public",
            "a | b",
            "Accepted credentials changed from public to a | b.",
        ),
        Finding(
            Kind.OPERATION_REMOVED,
            True,
            "items.delete",
            "DELETE",
            "/items/{id}",
            "",
            "DELETE /items/{id}",
            "",
            "sdk.items.delete was removed.",
        ),
    ]
    return DiffResult.from_findings(findings, "1.0", "2.0")


def test_table_exact() -> None:
    assert render(sample(), "table") == "\n".join(
        [
            "IMPACT    OPERATION     CHANGE             LOCATION    DETAIL",
            "BREAKING  items.list    security.changed   security    public -> a | b",
            "ok        items.list    parameter.added    query.sort  + optional string",
            "BREAKING  items.delete  operation.removed  -           - DELETE /items/{id}",
            "Summary: 2 breaking, 1 non-breaking (3 changes)",
        ]
    )


def test_table_columns_are_aligned(upstream: DiffResult) -> None:
    lines = render_table(upstream).splitlines()
    header, rows, summary = lines[0], lines[1:-1], lines[-1]
    assert header.split() == ["IMPACT", "OPERATION", "CHANGE", "LOCATION", "DETAIL"]
    assert len(rows) == len(upstream.findings)
    for column in ("OPERATION", "CHANGE", "LOCATION", "DETAIL"):
        start = header.index(column)
        assert all(row[start - 2 : start] == "  " and row[start] != " " for row in rows)
    assert [row.split()[0] for row in rows].count("BREAKING") == upstream.breaking_count
    assert summary == "Summary: 12 breaking, 3 non-breaking (15 changes)"
    assert all(line == line.rstrip() for line in lines)


def test_table_without_findings() -> None:
    assert (
        render(DiffResult(), "table")
        == "No API changes.\nSummary: 0 breaking, 0 non-breaking (0 changes)"
    )


def test_markdown_structure() -> None:
    text = render(sample(), "markdown")
    lines = text.splitlines()
    assert lines[0] == "## API changes 1.0 → 2.0: 2 breaking, 1 non-breaking (3 changes)"
    assert "**2 breaking change(s)** for SDK callers." in lines
    header = lines.index("| Impact | Operation | Change | Location | Details |")
    assert lines[header + 1] == "| --- | --- | --- | --- | --- |"
    table = lines[header + 2 :]
    assert len(table) == 3
    assert table[1].startswith(
        "| ok | `items.list` (`GET /items`) | `parameter.added` | `query.sort` |"
    )
    # pipes inside cells are escaped so the table keeps five columns
    assert "a \\| b" in table[0]
    assert all(row.replace("\\|", "").count("|") == 6 for row in table)
    assert table[2].startswith(
        "| **breaking** | `items.delete` (`DELETE /items/{id}`) | `operation.removed` | - |"
    )


def test_markdown_without_findings() -> None:
    assert render(DiffResult(), "markdown").splitlines() == [
        "## API changes: 0 breaking, 0 non-breaking (0 changes)",
        "",
        "No changes to the API surface.",
    ]


def test_json_round_trips(upstream: DiffResult) -> None:
    payload = json.loads(render(upstream, "json"))
    assert list(payload) == ["breaking", "non_breaking", "findings"]
    assert (payload["breaking"], payload["non_breaking"]) == (12, 3)
    assert payload["findings"] == [f.to_dict() for f in upstream.findings]
    rebuilt = tuple(Finding(**{**item, "kind": Kind(item["kind"])}) for item in payload["findings"])
    assert rebuilt == upstream.findings
    assert list(payload["findings"][0]) == [
        "kind",
        "breaking",
        "operation",
        "method",
        "path",
        "location",
        "old",
        "new",
        "message",
    ]


def test_json_is_stable(upstream: DiffResult) -> None:
    assert render(upstream, "json") == render(upstream, "json")
    assert json.loads(render(DiffResult(), "json")) == {
        "breaking": 0,
        "non_breaking": 0,
        "findings": [],
    }


def test_unknown_format_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render(DiffResult(), "html")  # type: ignore[arg-type]
