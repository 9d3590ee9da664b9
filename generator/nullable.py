"""Nullable object components become non-null models, and their uses say ``X | None``.

A component schema that is an object and nullable (OpenAPI 3.0 ``nullable: true``, 3.1
``type: [object, "null"]``) is a union of a model and null to openapi-python-client 0.29.1, which
it cannot build for a component (its model is left out, or loosened to ``dict[str, Any]``), and
``X.from_dict(None)`` fails on the nulls the document allows. The copy openapi-python-client
reads says the same thing another way: the component loses its null (its model is the object
alone), and every schema position that refers to it holds ``anyOf: [{$ref}, {type: "null"}]``
(``X | None``). Unions that list it get a null member instead, a lone ``allOf: [{$ref}]``
becomes that union, and an ``allOf`` of several members keeps the plain reference (their
intersection is an object). The component keeps its key-derived model name (as it had when it
was loosened): its title, which the non-null variant of it often shares, is dropped.
"""

from __future__ import annotations

from typing import Any

from .structure import NAME_MAPS, is_opaque

_SCHEMAS = "#/components/schemas/"
_NULL: dict[str, Any] = {"type": "null"}
_UNIONS = ("anyOf", "oneOf")
#: Siblings of a ``$ref`` that the wrapping union keeps (3.0 ignores them; they only document).
_KEPT_SIBLINGS = ("description",)


def _escaped(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _is_object(schema: dict[str, Any], kinds: list[Any]) -> bool:
    return kinds == ["object"] or (not kinds and ("properties" in schema or "allOf" in schema))


def _strip_null(schema: Any) -> bool:
    """Make a nullable object schema non-null in place; False (untouched) for anything else.

    Scalars, arrays and enums are left alone: openapi-python-client already types them
    ``T | None`` (a nullable enum without null among its values allows no null).
    """
    if not isinstance(schema, dict) or "enum" in schema or "$ref" in schema:
        return False
    kind = schema.get("type")
    if schema.get("nullable") is True and not isinstance(kind, list):
        if not _is_object(schema, [] if kind is None else [kind]):
            return False
        del schema["nullable"]
    elif isinstance(kind, list) and "null" in kind:
        others = [k for k in kind if k != "null"]
        if not _is_object(schema, others):
            return False
        schema["type"] = "object"
    else:
        return False
    schema.pop("title", None)
    return True


def _wrapped(ref: dict[str, Any]) -> dict[str, Any]:
    kept = {key: ref[key] for key in _KEPT_SIBLINGS if key in ref}
    return {**kept, "anyOf": [{"$ref": ref["$ref"]}, dict(_NULL)]}


def _rewrite_unions(node: dict[str, Any], nullable: set[str]) -> None:
    """A union listing a nullable component gets a null member; a lone ``allOf`` member becomes
    that union (both also admit the null the component does)."""

    def members(key: str) -> list[Any]:
        listed = node.get(key)
        if isinstance(listed, list) and any(
            isinstance(m, dict) and m.get("$ref") in nullable for m in listed
        ):
            return listed
        return []

    for key in _UNIONS:
        listed = members(key)
        if listed and _NULL not in listed:
            listed.append(dict(_NULL))
    if len(members("allOf")) == 1 and not any(key in node for key in _UNIONS):
        node["anyOf"] = [*node.pop("allOf"), dict(_NULL)]


def _rewrite_uses(spec: dict[str, Any], nullable: set[str]) -> None:
    stack: list[tuple[Any, str]] = [(spec, "")]
    while stack:
        node, key = stack.pop()
        if isinstance(node, list):
            for index, value in enumerate(node):
                if isinstance(value, dict) and value.get("$ref") in nullable:
                    if key not in ("allOf", *_UNIONS):
                        node[index] = _wrapped(value)
                else:
                    stack.append((value, ""))
            continue
        if not isinstance(node, dict):
            continue
        if key not in NAME_MAPS:
            _rewrite_unions(node, nullable)
        for child_key, value in node.items():
            if is_opaque(key, str(child_key), value) or not isinstance(value, dict | list):
                continue
            if isinstance(value, dict) and value.get("$ref") in nullable:
                node[child_key] = _wrapped(value)
            else:
                stack.append((value, str(child_key)))


def split_nullable_components(spec: dict[str, Any]) -> list[str]:
    """Rewrite ``spec`` in place (see the module docstring); the names of the components made
    non-null, sorted."""
    schemas = (spec.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return []
    names = sorted(name for name, schema in schemas.items() if _strip_null(schema))
    if names:
        _rewrite_uses(spec, {_SCHEMAS + _escaped(name) for name in names})
    return names
