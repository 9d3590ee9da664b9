"""Rewrites of the adapted copy that keep the document's meaning where openapi-python-client
cannot read it as written.

* A ``$ref`` deeper than a component (``#/components/parameters/state/schema``,
  ``#/components/schemas/Pet/properties/id``) is valid JSON Reference, but openapi-python-client
  only resolves ``#/components/<kind>/<name>``: the referenced part is copied in its place.
* A ``default`` that does not fit its own schema (``type: integer, default: "20 - all"``) makes
  openapi-python-client drop the operation or model using it; it is dropped under the
  ``invalid_schema_keyword`` policy and named in the report (OpenAPI says a default must conform
  to its schema, so no valid value is lost).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from .settings import Settings
from .source import excerpt, pointer, split_pointer
from .structure import NAME_MAPS, pointer_target, walk_mappings

#: How many references may sit inside one copied part (a self-referencing one stops there).
MAX_INLINE_DEPTH = 8

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "null": (type(None),),
}
#: Maps keyed by names the author chose (a response "default", a schema named "default").
_NAMED = NAME_MAPS | {
    "schemas",
    "responses",
    "headers",
    "parameters",
    "requestBodies",
    "securitySchemes",
    "content",
    "encoding",
    "paths",
    "webhooks",
    "callbacks",
    "links",
}
#: ``Adapted.note``: records an adaptation (True) or, under ``refuse``, a refusal (False).
Note = Callable[[Settings, str, str, str], bool]


def _is_deep(ref: str) -> bool:
    parts = split_pointer(ref[1:]) if ref.startswith("#/") else []
    return len(parts) > 3 or (len(parts) == 3 and parts[0] != "components")


def inline_deep_refs(spec: dict[str, Any]) -> int:
    """Replace each reference to a part of a component (or of an operation) by a copy of it.

    Returns how many were replaced. A copied part that refers to itself keeps its innermost
    reference after ``MAX_INLINE_DEPTH`` rounds (openapi-python-client then reports it, located).
    """
    replaced = 0
    for _ in range(MAX_INLINE_DEPTH):
        found = [
            (node, node["$ref"])
            for node, _where in walk_mappings(spec)
            if isinstance(node.get("$ref"), str) and _is_deep(node["$ref"])
        ]
        if not found:
            break
        for node, ref in found:
            target = pointer_target(spec, ref)
            if not isinstance(target, dict):
                continue
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            node.clear()
            node.update(copy.deepcopy(target))
            node.update(siblings)
            replaced += 1
    return replaced


def _fits(value: Any, schema: dict[str, Any]) -> bool:
    kinds = schema.get("type")
    names = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
    if value is None and schema.get("nullable") is True:
        return True
    if names and all(name in _JSON_TYPES for name in names):
        is_bool = isinstance(value, bool)
        if not any(
            isinstance(value, _JSON_TYPES[name])
            and (name == "boolean" or not is_bool)
            and not (name == "integer" and isinstance(value, float))
            for name in names
        ):
            return False
    enum = schema.get("enum")
    return not isinstance(enum, list) or value in enum


def drop_invalid_defaults(spec: dict[str, Any], settings: Settings, note: Note) -> None:
    """Drop each schema ``default`` its own ``type``/``enum`` refuses, through ``note``."""
    for node, where in walk_mappings(spec):
        if "default" not in node or not ({"type", "enum"} & node.keys()):
            continue
        if where and str(where[-1]) in _NAMED:
            continue  # e.g. a response or a property *named* "default", not the keyword
        if _fits(node["default"], node):
            continue
        allowed = node.get("type", node.get("enum"))
        if note(
            settings,
            "invalid_schema_keyword",
            pointer(*where),
            f"default = {excerpt(node['default'])} does not conform to its schema "
            f"({excerpt(allowed)}); dropped",
        ):
            del node["default"]
