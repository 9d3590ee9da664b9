"""The realistic case: upstream v1 (the project's spec) against a hand-written v2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.specdiff import diff_files, main, render

FIXTURES = Path(__file__).parent / "fixtures"
V1 = FIXTURES / "upstream_v1.yaml"
V2 = FIXTURES / "upstream_v2.yaml"

EXPECTED = [
    ("tag.added", "categories", "tag", False),
    ("operation.added", "categories.list_categories", "", False),
    ("parameter.added", "items.list", "query.sort", False),
    ("enum.value_removed", "items.list", "query.status", True),
    ("enum.value_removed", "items.list", "response.200.items[].status", True),
    ("response.field.removed", "items.list", "response.200.items[].tags", True),
    ("enum.value_removed", "items.create", "body.status", True),
    ("enum.value_removed", "items.create", "response.201.status", True),
    ("response.field.removed", "items.create", "response.201.tags", True),
    ("enum.value_removed", "items.get", "response.200.status", True),
    ("response.field.removed", "items.get", "response.200.tags", True),
    ("enum.value_removed", "items.update", "body.status", True),
    ("enum.value_removed", "items.update", "response.200.status", True),
    ("response.field.removed", "items.update", "response.200.tags", True),
    ("operation.renamed", "users.me", "operationId", True),
]


def test_upstream_v1_to_v2_exact_findings() -> None:
    result = diff_files(V1, V2)
    got = [(str(f.kind), f.operation, f.location, f.breaking) for f in result.findings]
    assert got == EXPECTED
    assert (result.breaking_count, result.non_breaking_count) == (12, 3)
    assert (result.old_version, result.new_version) == ("1.0.0", "2.0.0")


def test_upstream_details() -> None:
    by_location = {(f.operation, f.location): f for f in diff_files(V1, V2).findings}
    renamed = by_location[("users.me", "operationId")]
    assert (renamed.old, renamed.new, renamed.method, renamed.path) == (
        "me",
        "current_user",
        "GET",
        "/me",
    )
    assert "sdk.users.current_user" in renamed.message
    added = by_location[("categories.list_categories", "")]
    assert (added.method, added.path, added.new) == ("GET", "/categories", "GET /categories")
    sort = by_location[("items.list", "query.sort")]
    assert sort.new == "optional enum(string)"
    removed = by_location[("items.get", "response.200.tags")]
    assert removed.old == "required array[string]"


def test_upstream_table_snapshot() -> None:
    expected = (FIXTURES / "upstream_v1_to_v2.table.txt").read_text(encoding="utf-8")
    assert render(diff_files(V1, V2), "table") + "\n" == expected


def test_upstream_reverse_direction() -> None:
    result = diff_files(V2, V1)
    kinds = {(str(f.kind), f.operation) for f in result.findings}
    assert ("operation.removed", "categories.list_categories") in kinds
    assert ("tag.removed", "categories") in kinds
    assert ("parameter.removed", "items.list") in kinds
    assert ("response.field.added", "items.get") in kinds
    # archived comes back: a new value the v2 SDK cannot parse in responses
    statuses = [f for f in result.findings if f.kind == "enum.value_added"]
    assert {(f.location, f.breaking) for f in statuses if f.operation == "items.create"} == {
        ("body.status", False),
        ("response.201.status", True),
    }


def test_upstream_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(V1), str(V2), "--format", "json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["breaking"] == 12
    assert payload["non_breaking"] == 3
    assert len(payload["findings"]) == 15
