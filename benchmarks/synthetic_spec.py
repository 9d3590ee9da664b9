"""Builds a large synthetic OpenAPI document shaped like spec/openapi.yaml, for benchmarks.

Resources come in fives of CRUD operations (list with cursor pagination, create, get, update,
delete), spread over ten tags; the first resource is ``items`` with the same operationIds as the
real spec, so the generator's default config (which expects ``items.list`` to paginate) applies.
"""

from __future__ import annotations

from typing import Any

OPERATIONS_PER_RESOURCE = 5
TAGS = 10


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: str) -> dict[str, Any]:
    return {code: {"$ref": "#/components/responses/Problem"} for code in codes}


def _resource(index: int) -> tuple[str, str, str, dict[str, Any], dict[str, Any]]:
    """(tag, collection path, item path, paths, schemas) of one resource."""
    if index == 0:
        tag, name, suffix = "items", "Item", ""
    else:
        tag, name, suffix = f"group{index % TAGS}", f"Resource{index}", f"_resource{index}"
    collection = f"/{name.lower()}s"
    item = f"{collection}/{{{name.lower()}_id}}"
    id_param = {
        "name": f"{name.lower()}_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
    fields = {
        "name": {"type": "string", "minLength": 1},
        "description": {"type": ["string", "null"]},
        "price": {"type": "number", "minimum": 0},
        "status": _ref("Status"),
        "tags": {"type": "array", "items": {"type": "string"}},
    }
    schemas = {
        name: {
            "type": "object",
            "required": ["id", "name", "price", "status", "tags", "created_at"],
            "properties": {
                "id": {"type": "integer"},
                **fields,
                "created_at": {"type": "string", "format": "date-time"},
            },
        },
        f"{name}Create": {"type": "object", "required": ["name", "price"], "properties": fields},
        f"{name}Page": {
            "type": "object",
            "required": ["items", "next_cursor"],
            "properties": {
                "items": {"type": "array", "items": _ref(name)},
                "next_cursor": {"type": ["string", "null"]},
            },
        },
    }
    paths = {
        collection: {
            "get": {
                "operationId": f"list{suffix}",
                "tags": [tag],
                "summary": f"List {name} objects",
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 20}},
                    {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                    {"name": "status", "in": "query", "schema": _ref("Status")},
                ],
                "responses": {
                    "200": _json(_ref(f"{name}Page"), "A page."),
                    **_errors("400", "401", "422", "429"),
                },
            },
            "post": {
                "operationId": f"create{suffix}",
                "tags": [tag],
                "summary": f"Create a {name}",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref(f"{name}Create")}},
                },
                "responses": {
                    "201": _json(_ref(name), "Created."),
                    **_errors("400", "401", "422"),
                },
            },
        },
        item: {
            "parameters": [id_param],
            "get": {
                "operationId": f"get{suffix}",
                "tags": [tag],
                "summary": f"Get one {name}",
                "responses": {"200": _json(_ref(name), "Found."), **_errors("401", "404")},
            },
            "patch": {
                "operationId": f"update{suffix}",
                "tags": [tag],
                "summary": f"Change a {name}",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref(f"{name}Create")}},
                },
                "responses": {"200": _json(_ref(name), "Changed."), **_errors("401", "404")},
            },
            "delete": {
                "operationId": f"delete{suffix}",
                "tags": [tag],
                "summary": f"Delete a {name}",
                "responses": {"204": {"description": "Gone."}, **_errors("401", "404")},
            },
        },
    }
    return tag, collection, item, paths, schemas


def build_spec(operations: int = 500) -> dict[str, Any]:
    """An OpenAPI 3.1 document with ``operations`` operations (a multiple of five)."""
    if operations <= 0 or operations % OPERATIONS_PER_RESOURCE:
        raise ValueError(f"operations must be a positive multiple of {OPERATIONS_PER_RESOURCE}")
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {
        "Status": {"type": "string", "enum": ["draft", "active", "archived"]},
        "Error": {
            "type": "object",
            "required": ["error", "message"],
            "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
        },
    }
    tags: set[str] = set()
    for index in range(operations // OPERATIONS_PER_RESOURCE):
        tag, _, _, resource_paths, resource_schemas = _resource(index)
        tags.add(tag)
        paths.update(resource_paths)
        schemas.update(resource_schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Synthetic API", "version": "1.0.0"},
        "security": [{"bearerAuth": []}],
        "tags": [{"name": tag} for tag in sorted(tags)],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "responses": {"Problem": _json(_ref("Error"), "An error.")},
            "schemas": schemas,
        },
    }
