"""Each fixture pair under fixtures/<case>/ yields exactly the listed findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.specdiff import DiffResult, diff_files, load_spec

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())

Row = tuple[str, str, str, bool]


def rows(result: DiffResult) -> list[Row]:
    return [(str(f.kind), f.operation, f.location, f.breaking) for f in result.findings]


def case(name: str, *, reverse: bool = False) -> list[Row]:
    old, new = FIXTURES / name / "old.yaml", FIXTURES / name / "new.yaml"
    return rows(diff_files(new, old) if reverse else diff_files(old, new))


@pytest.mark.parametrize("name", CASES)
def test_fixture_documents_are_valid_openapi(name: str) -> None:
    for side in ("old.yaml", "new.yaml"):
        assert str(load_spec(FIXTURES / name / side)["openapi"]).startswith("3.")


def test_operation_renamed() -> None:
    assert case("operation_renamed") == [("operation.renamed", "items.get", "operationId", True)]


def test_tag_changed() -> None:
    assert case("tag_changed") == [
        ("tag.added", "catalog", "tag", False),
        ("operation.tag_changed", "items.get", "tags", True),
    ]


def test_operation_removed() -> None:
    assert case("operation_removed") == [("operation.removed", "items.delete", "", True)]


def test_new_required_request_field() -> None:
    assert case("request_field_required_added") == [
        ("request.field.added", "items.create", "body.sku", True),
    ]


def test_removing_a_request_field_is_breaking() -> None:
    assert case("request_field_required_added", reverse=True) == [
        ("request.field.removed", "items.create", "body.sku", True),
    ]


def test_newly_optional_field_in_request_and_response() -> None:
    assert case("newly_optional") == [
        ("response.field.required_changed", "items.list", "response.200[].price", True),
        ("request.field.required_changed", "items.create", "body.price", False),
        ("response.field.required_changed", "items.create", "response.201.price", True),
        ("response.field.required_changed", "items.get", "response.200.price", True),
    ]


def test_newly_required_field_in_request_and_response() -> None:
    assert case("newly_optional", reverse=True) == [
        ("response.field.required_changed", "items.list", "response.200[].price", False),
        ("request.field.required_changed", "items.create", "body.price", True),
        ("response.field.required_changed", "items.create", "response.201.price", False),
        ("response.field.required_changed", "items.get", "response.200.price", False),
    ]


def test_type_changes() -> None:
    assert case("type_changed") == [
        ("parameter.type_changed", "items.list", "query.limit", True),
        ("response.field.type_changed", "items.list", "response.200[].price", True),
        ("response.field.type_changed", "items.create", "response.201.price", True),
        ("response.field.type_changed", "items.get", "response.200.price", True),
        # format email -> no format: same Python type (str), reported but not breaking
        ("response.field.type_changed", "users.me", "response.200.email", False),
    ]


def test_enum_value_removed_is_breaking_everywhere() -> None:
    assert case("enum_value_removed") == [
        ("enum.value_removed", "items.list", "query.status", True),
        ("enum.value_removed", "items.list", "response.200[].status", True),
        ("enum.value_removed", "items.create", "body.status", True),
        ("enum.value_removed", "items.create", "response.201.status", True),
        ("enum.value_removed", "items.get", "response.200.status", True),
    ]


def test_enum_value_added_breaks_responses_only() -> None:
    expected = [
        ("enum.value_added", "items.list", "query.status", False),
        ("enum.value_added", "items.list", "response.200[].status", True),
        ("enum.value_added", "items.create", "body.status", False),
        ("enum.value_added", "items.create", "response.201.status", True),
        ("enum.value_added", "items.get", "response.200.status", True),
    ]
    assert case("enum_value_added") == expected
    assert case("enum_value_removed", reverse=True) == expected


def test_new_endpoint_and_tag() -> None:
    assert case("new_endpoint_and_tag") == [
        ("tag.added", "categories", "tag", False),
        ("operation.added", "categories.list_categories", "", False),
    ]


def test_removed_endpoint_and_tag() -> None:
    assert case("new_endpoint_and_tag", reverse=True) == [
        ("tag.removed", "categories", "tag", True),
        ("operation.removed", "categories.list_categories", "", True),
    ]


def test_shared_ref_change_reported_once_per_operation() -> None:
    assert case("shared_ref_changed") == [
        ("response.field.type_changed", "items.list", "response.200[].owner.id", True),
        ("response.field.type_changed", "items.create", "response.201.owner.id", True),
        ("response.field.type_changed", "items.get", "response.200.owner.id", True),
    ]


def test_new_optional_query_parameter() -> None:
    assert case("optional_query_parameter") == [
        ("parameter.added", "items.list", "query.sort", False),
    ]


def test_response_field_removed() -> None:
    assert case("response_field_removed") == [
        ("response.field.removed", "users.me", "response.200.name", True),
    ]


def test_response_field_added_is_not_breaking() -> None:
    assert case("response_field_removed", reverse=True) == [
        ("response.field.added", "users.me", "response.200.name", False),
    ]


def test_security_changed() -> None:
    assert case("security_changed") == [
        ("security.changed", "system.health", "security", True),
        ("security.changed", "users.me", "security", False),
    ]


def test_nullable_30_and_null_type_31_are_equivalent() -> None:
    assert case("nullable_equivalence") == []
    assert case("nullable_equivalence", reverse=True) == []


def test_path_parameter_rename_keeps_the_operation() -> None:
    assert case("path_parameter_renamed") == [
        ("parameter.renamed", "items.delete", "path.item_id", True),
        ("parameter.renamed", "items.get", "path.item_id", True),
    ]


def test_identical_documents_have_no_findings() -> None:
    assert case("identical") == []
    result = diff_files(FIXTURES / "upstream_v1.yaml", FIXTURES / "upstream_v1.yaml")
    assert result.findings == ()
    assert not result.has_breaking
