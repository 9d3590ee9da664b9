"""How the oracle translates OpenAPI schemas into the JSON Schema it draws instances from."""

from __future__ import annotations

from . import oracle


def test_integer_formats_bound_a_nullable_integer_too() -> None:
    """OpenAPI 3.1's ``type: [integer, "null"]`` keeps int32's bounds (Discord's ``bitrate``:
    an unbounded draw made requests openapi-core rightly rejects)."""
    schema = oracle.json_schema({"type": ["integer", "null"], "format": "int32"}, {})
    assert schema["minimum"] == -(2**31) and schema["maximum"] == 2**31 - 1


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


def test_nullable_allows_null_in_openapi_30_only() -> None:
    """OpenAPI 3.1 has no ``nullable``: there it is an unknown keyword, an annotation (JSON Schema
    2020-12 Core section 6.5), and null stays invalid (Adyen's 3.1 documents still write it; the
    oracle drew null, which openapi-core rightly rejected)."""
    node = {"type": "array", "items": {"type": "string"}, "nullable": True}
    assert oracle.json_schema(node, {"openapi": "3.0.3"})["type"] == ["array", "null"]
    assert oracle.json_schema(node, {"openapi": "3.1.0"})["type"] == "array"
