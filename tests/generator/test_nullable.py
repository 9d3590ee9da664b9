"""generator/nullable.py: a nullable object component becomes its object alone, and every use of
it says ``| None`` in a form openapi-python-client types (its run-time behaviour is checked by
the oracle: tests/oracle/test_oracle.py, test_nullable_components_are_none_where_they_are_used).
"""

from __future__ import annotations

from typing import Any

from generator.nullable import split_nullable_components

USER = "#/components/schemas/nullable-user"
REF = {"$ref": USER}
NULL = {"type": "null"}
WRAPPED = {"anyOf": [REF, NULL]}


def _document(uses: dict[str, Any], *, user: dict[str, Any] | None = None) -> dict[str, Any]:
    nullable_user = user or {
        "title": "User",
        "type": "object",
        "nullable": True,
        "properties": {"login": {"type": "string"}},
    }
    return {
        "openapi": "3.0.3",
        "paths": {
            "/users": {
                "get": {
                    "parameters": [{"name": "u", "in": "query", "schema": dict(REF)}],
                    "responses": {
                        "200": {
                            "description": "x",
                            "content": {
                                "application/json": {
                                    "schema": dict(REF),
                                    "example": {"$ref": USER},
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "nullable-user": nullable_user,
                "nullable-name": {"type": "string", "nullable": True},
                "alias": dict(REF),
                "thing": {"type": "object", "properties": uses},
            }
        },
    }


def test_uses_become_unions_with_null_and_the_component_its_object() -> None:
    uses = {
        "owner": {"$ref": USER, "description": "kept"},
        "list": {"type": "array", "items": dict(REF)},
        "map": {"type": "object", "additionalProperties": dict(REF)},
        "lone": {"allOf": [dict(REF)], "description": "d"},
        "both": {"allOf": [dict(REF), {"type": "object"}]},
        "either": {"oneOf": [dict(REF), {"type": "integer"}]},
        "allOf": {"type": "string"},
    }
    document = _document(uses)
    assert split_nullable_components(document) == ["nullable-user"]
    schemas = document["components"]["schemas"]
    assert schemas["nullable-user"] == {
        "type": "object",
        "properties": {"login": {"type": "string"}},
    }
    assert schemas["nullable-name"] == {"type": "string", "nullable": True}  # already T | None
    assert schemas["alias"] == WRAPPED
    used = schemas["thing"]["properties"]
    assert used["owner"] == {"description": "kept", **WRAPPED}
    assert used["list"]["items"] == WRAPPED
    assert used["map"]["additionalProperties"] == WRAPPED
    assert used["lone"] == {"anyOf": [REF, NULL], "description": "d"}
    assert used["both"] == {"allOf": [REF, {"type": "object"}]}  # an object: no null
    assert used["either"] == {"oneOf": [REF, {"type": "integer"}, NULL]}
    assert used["allOf"] == {"type": "string"}  # a property's name, not the keyword
    operation = document["paths"]["/users"]["get"]
    assert operation["parameters"][0]["schema"] == WRAPPED
    media = operation["responses"]["200"]["content"]["application/json"]
    assert media["schema"] == WRAPPED
    assert media["example"] == {"$ref": USER}  # data, not a reference


def test_a_31_type_list_is_split_alike_and_non_objects_are_left_alone() -> None:
    user = {"type": ["object", "null"], "properties": {"login": {"type": "string"}}}
    document = _document({"owner": dict(REF)}, user=user)
    assert split_nullable_components(document) == ["nullable-user"]
    assert document["components"]["schemas"]["nullable-user"]["type"] == "object"
    assert document["components"]["schemas"]["thing"]["properties"]["owner"] == WRAPPED
    plain = _document({}, user={"type": "object", "properties": {}})
    assert split_nullable_components(plain) == []
    assert plain["components"]["schemas"]["alias"] == REF
