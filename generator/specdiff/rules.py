"""Which changes break callers of the generated SDK. One place, so the policy is reviewable.

"Breaking" means: code written against the SDK generated from the old document stops
working (fails type checking, raises, or silently gets different values) either when the
server starts speaking the new document or after the SDK is regenerated from it.

Direction matters. INPUT is what callers send (parameters, request bodies): narrowing it
breaks them. OUTPUT is what the SDK parses (success response bodies): widening it breaks them.

- Field/parameter added: INPUT breaking only when required; OUTPUT never.
- Field/parameter removed: always breaking (the keyword argument or model attribute goes).
- Requiredness: INPUT optional->required breaks; OUTPUT required->optional breaks
  (the attribute may be ``Unset``).
- Nullability: INPUT becoming non-nullable breaks callers passing ``None``; OUTPUT becoming
  nullable breaks callers that now receive ``None``.
- Type changed: breaking when the SDK's Python type changes; a format change that keeps
  the Python type (``email`` -> plain string, ``int32`` -> ``int64``) is reported, not breaking.
- Enum value removed: breaking everywhere. The generated Python ``Enum`` loses the member, so
  caller code that passes or compares against it fails, whatever the direction.
- Enum value added: OUTPUT breaking, INPUT not. The SDK parses enums strictly: a response
  carrying a value the old SDK does not know makes parsing raise. For input, a newly accepted
  value only adds a member. (A warning level would be kinder to exhaustive-match readers, but
  a parse failure is an outage, so it is classified as breaking.)
- Success status removed: breaking (callers lose the parsed body). Success status added:
  breaking too; the old SDK treats the new status as undocumented (``None`` or
  ``UnexpectedStatus``) and the regenerated return type widens to a new union member.
- Request body added: breaking when required. Removed: breaking (the ``body`` argument goes).
  Response body added: not breaking; removed: breaking.
- Media type added: not breaking; removed: breaking.
- Security: becoming authenticated, or no longer accepting a credential set that used to
  work, is breaking; becoming public or accepting more credential sets is not.
- SDK names: a changed operationId, tag or path-parameter name is breaking when the
  snake_case SDK name changes (``getItem`` -> ``get_item`` is not a rename for callers).
"""

from __future__ import annotations

from enum import Enum

from .schema_walk import Shape, effective_types, signature


class Direction(Enum):
    INPUT = "input"
    OUTPUT = "output"


_FORMAT_TYPES = {"date-time": "datetime", "date": "date", "uuid": "UUID", "binary": "File"}
_PLAIN_TYPES = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "object": "model",
    "array": "list",
}


def python_type(shape: Shape) -> str:
    """The Python type openapi-python-client generates for this node (at this level)."""
    if shape.variants:
        return f"union[{signature(shape)}]"
    types = effective_types(shape)
    if len(types) != 1:
        return "|".join(sorted(types)) or "Any"
    (name,) = types
    base = _PLAIN_TYPES.get(name, name)
    if name == "string" and shape.format in _FORMAT_TYPES:
        base = _FORMAT_TYPES[shape.format]
    return f"enum[{base}]" if shape.enum is not None else base


def field_added(direction: Direction, required: bool) -> bool:
    return direction is Direction.INPUT and required


def field_removed(direction: Direction) -> bool:
    return True


def required_changed(direction: Direction, now_required: bool) -> bool:
    return now_required if direction is Direction.INPUT else not now_required


def nullable_changed(direction: Direction, now_nullable: bool) -> bool:
    return not now_nullable if direction is Direction.INPUT else now_nullable


def type_changed(old: Shape, new: Shape) -> bool:
    return python_type(old) != python_type(new)


def enum_value_added(direction: Direction) -> bool:
    return direction is Direction.OUTPUT


def enum_value_removed(direction: Direction) -> bool:
    return True


def status_added() -> bool:
    return True


def status_removed() -> bool:
    return True


def body_added(direction: Direction, required: bool) -> bool:
    return direction is Direction.INPUT and required


def body_removed(direction: Direction) -> bool:
    return True


def media_type_added() -> bool:
    return False


def media_type_removed() -> bool:
    return True


def security_changed(old: frozenset[frozenset[str]], new: frozenset[frozenset[str]]) -> bool:
    """Breaking unless the operation became public or every old credential set still works."""
    if is_public(new):
        return False
    accepted_before = old or frozenset({frozenset()})  # no requirement = anonymous works
    return not accepted_before <= new


def is_public(requirements: frozenset[frozenset[str]]) -> bool:
    """No requirement at all, or an empty alternative (``- {}``), means anonymous calls work."""
    return not requirements or frozenset() in requirements


def name_changed(old_name: str, new_name: str) -> bool:
    """Renames matter to callers only when the generated (snake_case) name differs."""
    return old_name != new_name
