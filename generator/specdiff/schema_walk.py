"""Normalise one JSON Schema node into a ``Shape``: the facts the SDK's types depend on.

Spelling differences that generate the same SDK code must compare equal, so:
3.0 ``nullable: true``, 3.1 ``type: [X, "null"]``, ``null`` in ``enum`` and an
``anyOf``/``oneOf`` null branch all become ``nullable=True``; a ``$ref`` is followed (its
sibling keywords, legal in 3.1, are merged on top); ``allOf`` branches are merged; a union
with a single non-null branch is that branch. Child schemas (properties, items) stay raw and
are normalised only when the comparer descends, which keeps recursive schemas finite.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .resolve import Resolver, as_list, as_mapping, ref_name

_MAX_DEPTH = 40
# Keywords that never change the generated types; a $ref carrying only these is just the ref.
_ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "summary",
        "example",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "externalDocs",
        "xml",
        "$comment",
        "discriminator",
    }
)


@dataclass(frozen=True, eq=False)
class Shape:
    """What one schema node means for generated code.

    ``types`` excludes ``null`` (nullability is its own flag) and is empty when unconstrained;
    ``enum`` holds canonical JSON of the non-null values; ``variants`` are labelled union
    branches when more than one non-null branch remains; ``identity`` is the ``$ref`` or the
    object id, used by the comparer to stop at recursion.
    """

    types: frozenset[str] = frozenset()
    format: str | None = None
    nullable: bool = False
    enum: tuple[str, ...] | None = None
    properties: Mapping[str, Any] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    items: Any = None
    additional: Any = None
    variants: tuple[tuple[str, Any], ...] = ()
    identity: object = None
    label: str = ""

    @property
    def typed(self) -> bool:
        """Constrains the value's kind, so its nullability counts when merging ``allOf``."""
        return bool(self.types or self.variants or self.properties) or (
            self.enum is not None or self.items is not None
        )


def canonical(value: object) -> str:
    """Stable text for an enum value (strings stay JSON-quoted to keep ``"1"`` != ``1``)."""
    try:
        return json.dumps(value, sort_keys=True, default=str)
    except (ValueError, TypeError, RecursionError):
        return repr(value)


def display_value(canonical_value: str) -> str:
    """Enum value as a reader expects it: strings unquoted, everything else as JSON."""
    if canonical_value.startswith('"'):
        try:
            decoded = json.loads(canonical_value)
        except ValueError:
            return canonical_value
        return decoded if isinstance(decoded, str) else canonical_value
    return canonical_value


def _infer_enum_type(value: str) -> str:
    if value.startswith('"'):
        return "string"
    if value in ("true", "false"):
        return "boolean"
    if value.lstrip("-").isdigit():
        return "integer"
    if value.startswith(("{", "[")):
        return "object" if value.startswith("{") else "array"
    return "number"


def effective_types(shape: Shape) -> frozenset[str]:
    """Declared types, or the ones implied by ``properties``/``items``/``enum``."""
    if shape.types:
        return shape.types
    if shape.properties or shape.additional is not None:
        return frozenset({"object"})
    if shape.items is not None:
        return frozenset({"array"})
    if shape.enum:
        return frozenset(_infer_enum_type(v) for v in shape.enum)
    return frozenset()


def signature(shape: Shape) -> str:
    """Short type text (nullability excluded): ``string(date-time)``, ``enum(string)``,
    ``Cat | Dog``. Two nodes with equal signatures have the same SDK type at this level."""
    if shape.variants:
        return " | ".join(sorted(label for label, _ in shape.variants))
    types = effective_types(shape)
    base = "|".join(sorted(types)) if types else "any"
    if shape.format and base in ("string", "integer", "number"):
        base = f"{base}({shape.format})"
    if shape.enum is not None:
        base = f"enum({base})"
    return base


def shape_of(raw: object, resolver: Resolver) -> Shape:
    """Normalise ``raw`` (a schema object, boolean schema or junk) against its document."""
    return _Normaliser(resolver).normalise(raw, frozenset(), 0)


def is_null_schema(raw: object, resolver: Resolver) -> bool:
    """``{type: null}``, ``{type: [null]}``, ``{const: null}`` or ``{enum: [null]}``."""
    node = resolver.deref(raw)
    kind = node.get("type")
    if kind == "null" or kind == ["null"]:
        return True
    if "const" in node and node["const"] is None:
        return True
    return node.get("enum") == [None]


class _Normaliser:
    def __init__(self, resolver: Resolver) -> None:
        self._resolver = resolver

    def normalise(self, raw: object, active: frozenset[object], depth: int) -> Shape:
        if not isinstance(raw, Mapping) or depth > _MAX_DEPTH:
            return Shape(identity=("value", id(raw)))
        ref = raw.get("$ref")
        if isinstance(ref, str):
            return self._reference(raw, ref, active, depth)
        key = ("id", id(raw))
        if key in active:
            return Shape(identity=key)
        active = active | {key}
        own = _own_shape(raw)
        explicit_null = own.nullable
        parts = [own]
        for branch in as_list(raw.get("allOf")):
            parts.append(self.normalise(branch, active, depth + 1))
        branches = as_list(raw.get("oneOf")) + as_list(raw.get("anyOf"))
        non_null = [b for b in branches if not is_null_schema(b, self._resolver)]
        if len(non_null) < len(branches):
            explicit_null = True
        if len(non_null) == 1:
            parts.append(self.normalise(non_null[0], active, depth + 1))
        elif non_null:
            parts.append(self._union(non_null, active, depth + 1))
        merged = parts[0] if len(parts) == 1 else _merge(parts)
        typed = [p for p in parts if p.typed]
        nullable = explicit_null or (bool(typed) and all(p.nullable for p in typed))
        return replace(merged, nullable=nullable, identity=key)

    def _reference(
        self, raw: Mapping[str, Any], ref: str, active: frozenset[object], depth: int
    ) -> Shape:
        if ref in active:
            return Shape(identity=ref, label=ref_name(ref))
        target = self._resolver.lookup(ref)
        if target is None:
            return Shape(types=frozenset({f"unresolved {ref}"}), identity=ref, label=ref)
        siblings = {k: v for k, v in raw.items() if k != "$ref"}
        constraining = [
            k for k in siblings if k not in _ANNOTATIONS and not str(k).startswith("x-")
        ]
        if not constraining or (constraining == ["nullable"] and siblings["nullable"] is not True):
            inner = self.normalise(target, active | {ref}, depth + 1)
        else:
            wrapped = {"allOf": [{"$ref": ref}], **siblings}
            inner = self.normalise(wrapped, active, depth + 1)
        return replace(inner, identity=ref, label=ref_name(ref))

    def _union(self, branches: list[Any], active: frozenset[object], depth: int) -> Shape:
        labelled: list[tuple[str, Any]] = []
        types: set[str] = set()
        nullable = False
        seen: dict[str, int] = {}
        for branch in branches:
            shape = self.normalise(branch, active, depth)
            label = shape.label or signature(shape)
            seen[label] = seen.get(label, 0) + 1
            if seen[label] > 1:
                label = f"{label}#{seen[label]}"
            labelled.append((label, branch))
            types |= effective_types(shape)
            nullable = nullable or shape.nullable
        return Shape(types=frozenset(types), nullable=nullable, variants=tuple(labelled))


def _own_shape(raw: Mapping[str, Any]) -> Shape:
    """The node's own keywords, before ``allOf``/``anyOf``/``oneOf`` are folded in."""
    declared = raw.get("type")
    names = [declared] if isinstance(declared, str) else as_list(declared)
    type_names = [t for t in names if isinstance(t, str)]
    nullable = "null" in type_names or raw.get("nullable") is True
    types = frozenset(t for t in type_names if t != "null")
    if not types and type_names:
        types = frozenset({"null"})
    enum: tuple[str, ...] | None = None
    values: list[Any] | None = None
    if isinstance(raw.get("enum"), list):
        values = raw["enum"]
    elif "const" in raw:
        values = [raw["const"]]
    if values is not None:
        if any(v is None for v in values):
            nullable = True
        enum = tuple(dict.fromkeys(canonical(v) for v in values if v is not None))
    fmt = raw.get("format")
    items = raw.get("items")
    if "items" in raw and not isinstance(items, Mapping):
        items = {}
    additional = raw.get("additionalProperties")
    return Shape(
        types=types,
        format=fmt if isinstance(fmt, str) else None,
        nullable=nullable,
        enum=enum,
        properties={str(k): v for k, v in as_mapping(raw.get("properties")).items()},
        required=frozenset(r for r in as_list(raw.get("required")) if isinstance(r, str)),
        items=items,
        additional=additional if isinstance(additional, Mapping) else None,
    )


def _merge_types(shapes: list[Shape]) -> frozenset[str]:
    result: frozenset[str] | None = None
    for shape in shapes:
        if not shape.types:
            continue
        if result is None:
            result = shape.types
            continue
        common = result & shape.types
        if not common and {"integer", "number"} <= (result | shape.types):
            common = frozenset({"integer"})
        result = common or (result | shape.types)
    return result or frozenset()


def _merge(parts: list[Shape]) -> Shape:
    """``allOf``: types intersect, properties and ``required`` unite, enums intersect."""
    enum: tuple[str, ...] | None = None
    properties: dict[str, Any] = {}
    items: list[Any] = []
    for part in parts:
        if part.enum is not None:
            enum = part.enum if enum is None else tuple(v for v in enum if v in part.enum)
        for name, child in part.properties.items():
            if name in properties:
                properties[name] = {"allOf": [properties[name], child]}
            else:
                properties[name] = child
        if part.items is not None:
            items.append(part.items)
    return Shape(
        types=_merge_types(parts),
        format=next((p.format for p in parts if p.format), None),
        enum=enum,
        properties=properties,
        required=frozenset().union(*(p.required for p in parts)),
        items=None if not items else items[0] if len(items) == 1 else {"allOf": items},
        additional=next((p.additional for p in parts if p.additional is not None), None),
        variants=next((p.variants for p in parts if p.variants), ()),
    )
