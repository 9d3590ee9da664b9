"""Random small mutations of a valid document: the engine returns findings or a typed error,
never an unhandled exception, and a document compared with itself has no findings."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.specdiff import DiffResult, Format, SpecError, diff_documents, load_spec, render

BASE = load_spec(Path(__file__).parent / "fixtures" / "operation_renamed" / "old.yaml")

KEYS = [
    "type",
    "format",
    "required",
    "properties",
    "items",
    "allOf",
    "anyOf",
    "oneOf",
    "enum",
    "const",
    "nullable",
    "$ref",
    "additionalProperties",
    "security",
    "tags",
    "operationId",
    "parameters",
    "requestBody",
    "responses",
    "content",
    "schema",
    "in",
    "name",
    "paths",
]
REFS = [
    "#/components/schemas/Item",
    "#/components/schemas/Owner",
    "#/components/schemas/Missing",
    "#/components/schemas/Item/properties/owner",
    "#/paths",
    "#",
    "other.yaml#/Thing",
    "#/components/schemas/Item/required/0",
]
FORMATS: tuple[Format, ...] = ("table", "markdown", "json")
TYPES: list[Any] = ["string", "integer", "object", "array", "null", ["string", "null"], ["null"], 5]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 300), st.sampled_from(["", "x", "200", "2XX", "get"])
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.sampled_from(KEYS), children, max_size=3),
    ),
    max_leaves=6,
)


def pick_container(data: st.DataObject, root: dict[str, Any]) -> Any:
    node: Any = root
    for _ in range(data.draw(st.integers(0, 9), label="depth")):
        children = list(node.values()) if isinstance(node, dict) else list(node)
        containers = [child for child in children if isinstance(child, dict | list)]
        if not containers:
            break
        node = containers[data.draw(st.integers(0, len(containers) - 1), label="child")]
    return node


def mutate_once(data: st.DataObject, root: dict[str, Any]) -> None:
    node = pick_container(data, root)
    if isinstance(node, list):
        if len(node) > 0 and data.draw(st.booleans(), label="drop item"):
            del node[data.draw(st.integers(0, len(node) - 1))]
        else:
            node.append(data.draw(values))
        return
    action = data.draw(
        st.sampled_from(["delete", "replace", "add", "rename", "ref", "nullable", "type", "enum"])
    )
    keys = list(node)
    if action in ("delete", "replace", "rename") and not keys:
        action = "add"
    if action == "delete":
        del node[data.draw(st.sampled_from(keys))]
    elif action == "replace":
        node[data.draw(st.sampled_from(keys))] = data.draw(values)
    elif action == "rename":
        key = data.draw(st.sampled_from(keys))
        node[data.draw(st.sampled_from(KEYS))] = node.pop(key)
    elif action == "add":
        node[data.draw(st.sampled_from(KEYS))] = data.draw(values)
    elif action == "ref":
        node["$ref"] = data.draw(st.sampled_from(REFS))
    elif action == "nullable":
        node["nullable"] = data.draw(st.booleans())
    elif action == "type":
        node["type"] = copy.deepcopy(data.draw(st.sampled_from(TYPES)))
    else:
        node["enum"] = data.draw(st.lists(scalars, max_size=4))


@settings(
    max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.data())
def test_mutations_give_findings_or_typed_errors(data: st.DataObject) -> None:
    mutated = copy.deepcopy(BASE)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        mutate_once(data, mutated)
    try:
        diff_documents(BASE, mutated)
    except SpecError as error:
        assert str(error)
    for old, new in ((BASE, mutated), (mutated, BASE)):
        result = diff_documents(old, new, validate=False)
        assert isinstance(result, DiffResult)
        assert all(f.kind and f.message for f in result.findings)
        for fmt in FORMATS:
            assert render(result, fmt)
    assert diff_documents(mutated, copy.deepcopy(mutated), validate=False).findings == ()
