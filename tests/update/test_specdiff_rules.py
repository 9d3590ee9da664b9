"""Classification rules, checked on small in-memory documents (one rule per test)."""

from __future__ import annotations

from typing import Any

from generator.specdiff import Kind, diff_documents

JSON = "application/json"
Row = tuple[str, str, bool]


def document(
    paths: dict[str, Any], schemas: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
    }
    if schemas is not None:
        doc["components"] = {"schemas": schemas}
    doc.update(extra)
    return doc


def operation(operation_id: str = "op", tag: str = "t", **fields: Any) -> dict[str, Any]:
    result: dict[str, Any] = {
        "operationId": operation_id,
        "tags": [tag],
        "responses": {"204": {"description": "done"}},
    }
    result.update(fields)
    return result


def body(schema: Any, required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {JSON: {"schema": schema}}}


def returns(schema: Any, status: str = "200") -> dict[str, Any]:
    return {status: {"description": "ok", "content": {JSON: {"schema": schema}}}}


def post(schema: Any) -> dict[str, Any]:
    return document({"/x": {"post": operation(requestBody=body(schema))}})


def get(schema: Any, status: str = "200", schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    return document({"/x": {"get": operation(responses=returns(schema, status))}}, schemas)


def obj(required: list[str] | None = None, **properties: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def rows(old: dict[str, Any], new: dict[str, Any], *, validate: bool = True) -> list[Row]:
    result = diff_documents(old, new, validate=validate)
    return [(str(f.kind), f.location, f.breaking) for f in result.findings]


STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
INTEGER = {"type": "integer"}


def test_request_field_rules() -> None:
    old = post(obj(["a"], a=STRING, b=NULLABLE_STRING, c=STRING))
    new = post(obj(["e"], b=STRING, c=NULLABLE_STRING, d=STRING, e=STRING))
    assert rows(old, new) == [
        ("request.field.removed", "body.a", True),
        ("request.field.nullable_changed", "body.b", True),
        ("request.field.nullable_changed", "body.c", False),
        ("request.field.added", "body.d", False),
        ("request.field.added", "body.e", True),
    ]


def test_nested_fields_use_dotted_paths_and_array_markers() -> None:
    old = post(obj(owner=obj(name=STRING), tags={"type": "array", "items": STRING}))
    new = post(obj(owner=obj(name=INTEGER), tags={"type": "array", "items": INTEGER}))
    assert rows(old, new) == [
        ("request.field.type_changed", "body.owner.name", True),
        ("request.field.type_changed", "body.tags[]", True),
    ]


def test_response_field_rules() -> None:
    old = get(obj(["a"], a=STRING, b=NULLABLE_STRING, c=STRING))
    new = get(obj(["d"], a=STRING, b=STRING, c=NULLABLE_STRING, d=STRING))
    assert rows(old, new) == [
        ("response.field.required_changed", "response.200.a", True),
        ("response.field.nullable_changed", "response.200.b", False),
        ("response.field.nullable_changed", "response.200.c", True),
        ("response.field.added", "response.200.d", False),
    ]


def test_parameter_rules() -> None:
    def params(*entries: tuple[str, str, bool]) -> dict[str, Any]:
        parameters = [
            {"name": name, "in": where, "required": required, "schema": STRING}
            for name, where, required in entries
        ]
        return document({"/x": {"get": operation(parameters=parameters)}})

    old = params(
        ("q", "query", False),
        ("r", "query", True),
        ("s", "query", False),
        ("X-Trace", "header", False),
    )
    new = params(
        ("q", "query", True),
        ("r", "query", False),
        ("t", "query", True),
        ("x-trace", "header", False),
    )
    assert rows(old, new) == [
        ("parameter.required_changed", "query.q", True),
        ("parameter.required_changed", "query.r", False),
        ("parameter.removed", "query.s", True),
        ("parameter.added", "query.t", True),
    ]


def test_parameter_enum_and_nullability_are_input_rules() -> None:
    def with_status(schema: dict[str, Any]) -> dict[str, Any]:
        parameter = {"name": "status", "in": "query", "schema": schema}
        return document({"/x": {"get": operation(parameters=[parameter])}})

    old = with_status({"type": ["string", "null"], "enum": ["a", "b", None]})
    new = with_status({"type": "string", "enum": ["a", "c"]})
    assert rows(old, new) == [
        ("enum.value_added", "query.status", False),
        ("enum.value_removed", "query.status", True),
        ("parameter.nullable_changed", "query.status", True),
    ]


def test_path_parameter_rename_with_same_sdk_name_is_not_breaking() -> None:
    def at(path: str, name: str) -> dict[str, Any]:
        parameter = {"name": name, "in": "path", "required": True, "schema": INTEGER}
        return document({path: {"get": operation(parameters=[parameter])}})

    assert rows(at("/items/{itemId}", "itemId"), at("/items/{item_id}", "item_id")) == [
        ("parameter.renamed", "path.itemId", False),
    ]
    assert rows(at("/items/{itemId}", "itemId"), at("/items/{id}", "id")) == [
        ("parameter.renamed", "path.itemId", True),
    ]


def test_rename_with_same_snake_case_name_is_not_breaking() -> None:
    old = document({"/x": {"get": operation("getItem", "Items")}})
    new = document({"/x": {"get": operation("get_item", "items")}})
    assert rows(old, new) == [
        ("operation.renamed", "operationId", False),
        ("operation.tag_changed", "tags", False),
    ]


def test_untagged_operation_uses_default_namespace() -> None:
    old = document({"/x": {"get": {"responses": {"204": {"description": "done"}}}}})
    new = document({"/x": {"get": operation("x", "things")}})
    result = diff_documents(old, new)
    assert [(str(f.kind), f.operation) for f in result.findings] == [
        ("tag.removed", "default"),
        ("tag.added", "things"),
        ("operation.renamed", "default.get_x"),
        ("operation.tag_changed", "default.get_x"),
    ]


def test_request_body_added_removed_and_required() -> None:
    bare = document({"/x": {"post": operation()}})
    required = document({"/x": {"post": operation(requestBody=body(STRING, True))}})
    optional = document({"/x": {"post": operation(requestBody=body(STRING, False))}})
    assert rows(bare, required) == [("request.body.added", "body", True)]
    assert rows(bare, optional) == [("request.body.added", "body", False)]
    assert rows(required, bare) == [("request.body.removed", "body", True)]
    assert rows(optional, required) == [("request.body.required_changed", "body", True)]
    assert rows(required, optional) == [("request.body.required_changed", "body", False)]


def test_success_status_changes() -> None:
    old = get(obj(a=STRING), "200")
    moved = get(obj(a=STRING), "201")
    assert rows(old, moved) == [
        ("response.status_removed", "response.200", True),
        ("response.status_added", "response.201", True),
    ]
    empty = document({"/x": {"get": operation(responses={"200": {"description": "ok"}})}})
    assert rows(old, empty) == [("response.body.removed", "response.200", True)]
    assert rows(empty, old) == [("response.body.added", "response.200", False)]


def test_error_responses_are_ignored_and_ranges_are_compared() -> None:
    def doc(error_schema: Any, field: Any) -> dict[str, Any]:
        responses = {**returns(obj(a=field), "2XX"), **returns(error_schema, "404")}
        return document({"/x": {"get": operation(responses=responses)}})

    assert rows(doc(STRING, STRING), doc(INTEGER, INTEGER)) == [
        ("response.field.type_changed", "response.2XX.a", True),
    ]


def test_media_types() -> None:
    def doc(*types: str) -> dict[str, Any]:
        content = {media: {"schema": obj(a=STRING)} for media in types}
        return document({"/x": {"post": operation(requestBody={"content": content})}})

    multipart = "multipart/form-data"
    assert rows(doc(JSON), doc(JSON, multipart)) == [("request.media_type.added", "body", False)]
    assert rows(doc(JSON, multipart), doc(JSON)) == [
        ("request.media_type.removed", "body", True),
    ]
    changed = diff_documents(doc(JSON, multipart), doc(multipart, JSON))
    assert changed.findings == ()


def test_several_common_media_types_are_named_in_the_location() -> None:
    def doc(field: Any) -> dict[str, Any]:
        content = {media: {"schema": obj(a=field)} for media in (JSON, "application/xml")}
        return document({"/x": {"post": operation(requestBody={"content": content})}})

    assert rows(doc(STRING), doc(INTEGER)) == [
        ("request.field.type_changed", "body[application/json].a", True),
        ("request.field.type_changed", "body[application/xml].a", True),
    ]


def test_security_rules() -> None:
    schemes = {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
        }
    }

    def doc(global_security: list[dict[str, list[str]]], **op: Any) -> dict[str, Any]:
        return document(
            {"/x": {"get": operation(**op)}}, components=schemes, security=global_security
        )

    bearer: list[dict[str, list[str]]] = [{"bearer": []}]
    key: list[dict[str, list[str]]] = [{"key": []}]
    assert rows(doc(bearer), doc(key)) == [("security.changed", "security", True)]
    assert rows(doc(bearer), doc(bearer + key)) == [("security.changed", "security", False)]
    assert rows(doc(bearer), doc(bearer, security=[])) == [("security.changed", "security", False)]
    assert rows(doc([]), doc(key, security=[{}])) == []
    assert rows(doc([*bearer, {}]), doc(bearer)) == [("security.changed", "security", True)]


def test_recursive_schemas_terminate_and_report_once() -> None:
    node = obj(
        name=STRING, children={"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
    )
    changed = obj(
        name=INTEGER,
        size=INTEGER,
        children={"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
    )
    ref = {"$ref": "#/components/schemas/Node"}
    old = document(
        {"/t": {"post": operation(requestBody=body(ref), responses=returns(ref))}}, {"Node": node}
    )
    new = document(
        {"/t": {"post": operation(requestBody=body(ref), responses=returns(ref))}},
        {"Node": changed},
    )
    assert rows(old, new) == [
        ("request.field.type_changed", "body.name", True),
        ("request.field.added", "body.size", False),
        ("response.field.type_changed", "response.200.name", True),
        ("response.field.added", "response.200.size", False),
    ]


def test_mutually_recursive_schemas() -> None:
    def schemas(b_field: Any) -> dict[str, Any]:
        return {
            "A": obj(b={"$ref": "#/components/schemas/B"}),
            "B": obj(a={"$ref": "#/components/schemas/A"}, x=b_field),
        }

    ref = {"$ref": "#/components/schemas/A"}
    old = get(ref, schemas=schemas(STRING))
    new = get(ref, schemas=schemas(INTEGER))
    assert rows(old, new) == [("response.field.type_changed", "response.200.b.x", True)]


def test_reference_cycles_and_self_containing_objects_do_not_hang() -> None:
    cyclic = {
        "A": {"$ref": "#/components/schemas/B"},
        "B": {"$ref": "#/components/schemas/A"},
        "C": {"allOf": [{"$ref": "#/components/schemas/C"}, obj(x=STRING)]},
    }
    loop: dict[str, Any] = {"type": "object", "properties": {}}
    loop["properties"]["self"] = loop
    paths = {
        "/a": {"get": operation("a", responses=returns({"$ref": "#/components/schemas/A"}))},
        "/c": {"get": operation("c", responses=returns({"$ref": "#/components/schemas/C"}))},
        "/l": {"get": operation("l", responses=returns(loop))},
    }
    doc = document(paths, cyclic)
    assert rows(doc, doc, validate=False) == []
    other = document(paths, {**cyclic, "C": {"allOf": [{"$ref": "#/components/schemas/C"}]}})
    (finding,) = diff_documents(doc, other, validate=False).findings
    assert (finding.kind, finding.location, finding.old, finding.new) == (
        Kind.RESPONSE_FIELD_TYPE_CHANGED,
        "response.200",
        "object",
        "any",
    )


def test_union_branches_are_compared_by_name() -> None:
    def schemas(meow: Any) -> dict[str, Any]:
        return {"Cat": obj(meow=meow), "Dog": obj(bark={"type": "boolean"}), "Bird": obj()}

    def pet(*names: str) -> dict[str, Any]:
        return {"oneOf": [{"$ref": f"#/components/schemas/{n}"} for n in names]}

    old = get(pet("Cat", "Dog"), schemas=schemas(STRING))
    assert rows(old, get(pet("Dog", "Cat"), schemas=schemas(INTEGER))) == [
        ("response.field.type_changed", "response.200<Cat>.meow", True),
    ]
    widened = diff_documents(old, get(pet("Cat", "Dog", "Bird"), schemas=schemas(STRING)))
    (finding,) = widened.findings
    assert (finding.kind, finding.old, finding.new) == (
        Kind.RESPONSE_FIELD_TYPE_CHANGED,
        "Cat | Dog",
        "Bird | Cat | Dog",
    )


def test_format_changes_break_only_when_the_python_type_changes() -> None:
    def doc(fmt: str, integer_format: str) -> dict[str, Any]:
        return get(
            obj(
                at={"type": "string", "format": fmt},
                n={"type": "integer", "format": integer_format},
            )
        )

    assert rows(doc("date-time", "int32"), doc("date", "int64")) == [
        ("response.field.type_changed", "response.200.at", True),
        ("response.field.type_changed", "response.200.n", False),
    ]


def test_plain_string_becoming_an_enum_is_a_type_change() -> None:
    old = post(obj(mode=STRING))
    new = post(obj(mode={"type": "string", "enum": ["fast", "slow"]}))
    result = diff_documents(old, new)
    (finding,) = result.findings
    assert (finding.kind, finding.old, finding.new, finding.breaking) == (
        Kind.REQUEST_FIELD_TYPE_CHANGED,
        "string",
        "enum(string)",
        True,
    )


def test_equivalent_spellings_produce_no_findings() -> None:
    schemas = {"Owner": obj(["id"], id=INTEGER)}
    ref = {"$ref": "#/components/schemas/Owner"}
    plain = get(obj(owner=ref, tags={"type": "array", "items": STRING}), schemas=schemas)
    spelled = get(
        obj(
            owner={"allOf": [ref], "description": "who owns it"},
            tags={"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
        ),
        schemas={**schemas, "Tag": {"type": "string", "description": "a tag"}},
    )
    described = get(
        obj(
            owner={**ref, "description": "3.1 allows siblings"},
            tags={"type": "array", "items": STRING},
        ),
        schemas=schemas,
    )
    assert rows(plain, spelled) == []
    assert rows(plain, described) == []


def test_map_values_are_compared() -> None:
    old = get({"type": "object", "additionalProperties": STRING})
    new = get({"type": "object", "additionalProperties": INTEGER})
    assert rows(old, new) == [("response.field.type_changed", "response.200{}", True)]


def test_findings_are_deterministic_and_complete() -> None:
    old = post(obj(["a"], a=STRING, b=STRING))
    new = post(obj(["c"], c=INTEGER, b=INTEGER))
    first, second = diff_documents(old, new), diff_documents(old, new)
    assert first == second
    finding = first.findings[0]
    assert (finding.operation, finding.method, finding.path) == ("t.op", "POST", "/x")
    assert finding.message
    assert len(set(first.findings)) == len(first.findings)
