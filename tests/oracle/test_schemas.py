"""How the oracle translates OpenAPI schemas into the JSON Schema it draws instances from."""

from __future__ import annotations

from typing import Any

from . import oracle


def test_integer_formats_bound_a_nullable_integer_too() -> None:
    """OpenAPI 3.1's ``type: [integer, "null"]`` keeps int32's bounds (Discord's ``bitrate``:
    an unbounded draw made requests openapi-core rightly rejects)."""
    schema = oracle.json_schema({"type": ["integer", "null"], "format": "int32"}, {})
    assert schema["minimum"] == -(2**31) and schema["maximum"] == 2**31 - 1


def test_nullable_without_a_type_adds_no_null() -> None:
    """OpenAPI 3.0.4 (clarifying 3.0.x): ``nullable`` takes effect only beside ``type`` (GitHub's
    ``oneOf`` of custom property values: null made requests openapi-core rightly rejects)."""
    union = {"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": True}
    assert oracle.json_schema(union, {}) == {"oneOf": [{"type": "string"}, {"type": "integer"}]}
    typed = oracle.json_schema({"type": "string", "nullable": True}, {})
    assert typed == {"type": ["string", "null"]}


def test_arrays_are_drawn_short() -> None:
    assert oracle.json_schema({"type": "array", "items": {}}, {})["maxItems"] == oracle.MAX_ITEMS
    assert oracle.json_schema({"type": "array", "maxItems": 1}, {})["maxItems"] == 1
    # never below what the document requires
    assert oracle.json_schema({"type": "array", "minItems": 5}, {})["maxItems"] == 5
    nullable = oracle.json_schema({"type": ["array", "null"], "items": {"type": "string"}}, {})
    assert nullable["maxItems"] == oracle.MAX_ITEMS


def test_tuples_of_openapi_31_are_drawn_as_tuples() -> None:
    """Prefect's graph nodes: ``prefixItems`` (draft 2020-12), which draft 7 ignores."""
    schema = oracle.json_schema(
        {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]}, {}
    )
    assert schema["items"] == [{"type": "string"}, {"type": "integer"}]
    assert "prefixItems" not in schema and "additionalItems" not in schema
    rest = oracle.json_schema({"prefixItems": [{"type": "string"}], "items": {"type": "null"}}, {})
    assert rest["items"] == [{"type": "string"}] and rest["additionalItems"] == {"type": "null"}


def test_the_validation_document_copies_deep_references_and_drops_dangling_mappings() -> None:
    """openapi-core resolves whole components only, and fails on a discriminator mapping that
    points at nothing (PagerDuty's custom field options)."""
    schemas: dict[str, Any] = {
        "Limit": {"type": "integer"},
        "Option": {
            "oneOf": [{"type": "object", "properties": {"kind": {"type": "string"}}}],
            "discriminator": {"propertyName": "kind", "mapping": {"a": "#/nowhere/at/all"}},
        },
        "Page": {"properties": {"size": {"$ref": "#/components/schemas/Holder/properties/n"}}},
        "Holder": {"properties": {"n": {"$ref": "#/components/schemas/Limit"}}},
    }
    document: dict[str, Any] = {"openapi": "3.0.3", "paths": {}, "components": {"schemas": schemas}}
    doc = oracle.validation_document(document)
    assert "discriminator" not in doc["components"]["schemas"]["Option"]
    assert doc["components"]["schemas"]["Page"]["properties"]["size"] == {
        "$ref": "#/components/schemas/Limit"
    }
    assert "discriminator" in document["components"]["schemas"]["Option"]  # a copy


def test_nullable_allows_null_in_openapi_30_only() -> None:
    """OpenAPI 3.1 has no ``nullable``: there it is an unknown keyword, an annotation (JSON Schema
    2020-12 Core section 6.5), and null stays invalid (Adyen's 3.1 documents still write it; the
    oracle drew null, which openapi-core rightly rejected)."""
    node = {"type": "array", "items": {"type": "string"}, "nullable": True}
    assert oracle.json_schema(node, {"openapi": "3.0.3"})["type"] == ["array", "null"]
    assert oracle.json_schema(node, {"openapi": "3.1.0"})["type"] == "array"
