"""``allOf`` compositions that constrain no object become the one schema they mean.

Documents written for 3.0 (which ignores a ``$ref``'s siblings) wrap a schema in ``allOf`` to
annotate it: ``allOf: [{type: string, nullable: true}, {nullable: false}]``,
``allOf: [{$ref: Role}, {description: ...}]``, ``allOf: [{}, {description: ...}]``.
openapi-python-client 0.29.1 makes every ``allOf`` a model class: of a string, an empty model that
refuses the string it was given (``FolderMiniSequenceId: expected an object, got str``); of an
enum or a union, "Cannot take allOf a non-object", and the schema using it is loosened to Any.

Such a composition is rewritten into the schema it is equivalent to: its one member that
constrains something (or none: Any), its annotations kept where they can be. Compositions with an
object member, or with more than one constraining member, are left to openapi-python-client
(it merges objects; anything else would need a real intersection).
"""

from __future__ import annotations

from typing import Any

from .structure import NAME_MAPS, walk_mappings
from .validate import resolve_ref

#: Keywords that constrain no instance (annotations; ``nullable`` only widens a ``type`` of its
#: own Schema Object, see ``_merged``).
_ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "example",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "externalDocs",
        "nullable",
        "$comment",
    }
)
#: Annotations copied onto the schema a composition becomes (``title`` would rename its model).
_KEPT = ("description", "example", "default", "deprecated", "readOnly", "writeOnly")
_OBJECT_KEYWORDS = ("properties", "additionalProperties", "patternProperties", "allOf")
_ROUNDS = 8


def _constrains(schema: Any) -> bool:
    return not isinstance(schema, dict) or any(
        not (key in _ANNOTATIONS or key.startswith("x-")) for key in schema
    )


def _is_object(spec: dict[str, Any], member: Any) -> bool:
    """An object member (or an ``allOf`` not lowered): openapi-python-client merges those. A
    union is none, even typed ``object``: it cannot take ``allOf`` of one."""
    schema = resolve_ref(spec, member)
    if not isinstance(schema, dict):
        return True
    if any(k in schema for k in _OBJECT_KEYWORDS):
        return True
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return "object" in kinds and not ("oneOf" in schema or "anyOf" in schema)


def _merged(node: dict[str, Any], members: list[Any]) -> dict[str, Any] | None:
    """The schema ``node`` (an ``allOf`` composition) is equivalent to, or None to keep it.

    ``nullable`` counts only where a ``type`` is (OpenAPI 3.0.3, Schema Object, nullable: "A
    true value adds 'null' to the allowed types specified by the type keyword, only if type is
    explicitly defined within the same Schema Object"): a bare ``{nullable: false}`` member takes
    nothing away. ``nullable: true`` on the composition itself is kept (openapi-python-client and
    the run-time oracle both read it as allowing null).
    """
    siblings = {k: v for k, v in node.items() if k != "allOf"}
    parts = [siblings, *members]
    constraining = [m for m in parts if _constrains(m)]
    if len(constraining) > 1:
        return None
    nullable = node.get("nullable") is True
    if constraining and "$ref" in constraining[0]:
        # A $ref's siblings are ignored in 3.0: the reference alone (a nullable one stays).
        return None if nullable else {"$ref": constraining[0]["$ref"]}
    result: dict[str, Any] = dict(constraining[0]) if constraining else {}
    for part in parts:
        if constraining and part is constraining[0]:
            continue
        for key in _KEPT:
            if key in part and key not in result:
                result[key] = part[key]
    if nullable and "type" in result:
        result["nullable"] = True
    elif "type" not in result:
        result.pop("nullable", None)
    return result


def _lower(spec: dict[str, Any], node: dict[str, Any]) -> bool:
    members = node.get("allOf")
    if not isinstance(members, list) or not members:
        return False
    siblings = {k: v for k, v in node.items() if k != "allOf"}
    if any(_is_object(spec, m) for m in [siblings, *members]):
        return False
    merged = _merged(node, members)
    if merged is None:
        return False
    node.clear()
    node.update(merged)
    return True


def lower_allof(spec: dict[str, Any]) -> int:
    """Rewrite, in place, every ``allOf`` of ``spec`` that constrains no object; return how many.

    Inner compositions go first, and rounds repeat until none is left, so a composition over a
    component that was itself one is seen once that component is plain.
    """
    total = 0
    for _ in range(_ROUNDS):
        count = 0
        order = [
            node
            for node, where in walk_mappings(spec)
            if isinstance(node.get("allOf"), list)
            and (not where or str(where[-1]) not in NAME_MAPS)
        ]
        for node in reversed(order):  # children were found after their parents
            count += _lower(spec, node)
        total += count
        if not count:
            break
    return total
