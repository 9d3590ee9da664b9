"""Recursive comparison of two schemas at one location (a parameter, body or response).

Locations are dotted paths rooted at the place of use (``body.owner.name``,
``response.200.items[].status``; ``[]`` = array items, ``{}`` = map values, ``<Cat>`` = a
union branch), so a change in a shared ``$ref`` component is reported once per place and
operation it reaches. Descent stops where a pair of nodes repeats on the current path
(recursive schemas) and after a fixed budget of nodes (pathological documents).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import rules
from .findings import Kind, Reporter
from .resolve import Resolver
from .rules import Direction
from .schema_walk import Shape, display_value, shape_of, signature

_MAX_DEPTH = 64
_MAX_NODES = 20_000


@dataclass(frozen=True)
class SchemaKinds:
    """The kind codes one context (parameter, request body, response body) reports with."""

    added: Kind
    removed: Kind
    required_changed: Kind
    type_changed: Kind
    nullable_changed: Kind


REQUEST_KINDS = SchemaKinds(
    Kind.REQUEST_FIELD_ADDED,
    Kind.REQUEST_FIELD_REMOVED,
    Kind.REQUEST_FIELD_REQUIRED_CHANGED,
    Kind.REQUEST_FIELD_TYPE_CHANGED,
    Kind.REQUEST_FIELD_NULLABLE_CHANGED,
)
RESPONSE_KINDS = SchemaKinds(
    Kind.RESPONSE_FIELD_ADDED,
    Kind.RESPONSE_FIELD_REMOVED,
    Kind.RESPONSE_FIELD_REQUIRED_CHANGED,
    Kind.RESPONSE_FIELD_TYPE_CHANGED,
    Kind.RESPONSE_FIELD_NULLABLE_CHANGED,
)
PARAMETER_KINDS = SchemaKinds(
    Kind.PARAMETER_FIELD_ADDED,
    Kind.PARAMETER_FIELD_REMOVED,
    Kind.PARAMETER_REQUIRED_CHANGED,
    Kind.PARAMETER_TYPE_CHANGED,
    Kind.PARAMETER_NULLABLE_CHANGED,
)


def describe_field(shape: Shape, required: bool, resolver: Resolver) -> str:
    """``required string``, ``optional array[string]``: a field in the old/new column."""
    text = signature(shape)
    if text == "array" and shape.items is not None:
        text = f"array[{signature(shape_of(shape.items, resolver))}]"
    nullable = " or null" if shape.nullable else ""
    return f"{'required' if required else 'optional'} {text}{nullable}"


class SchemaComparer:
    """Compares old and new schemas for one direction and reports through ``reporter``."""

    def __init__(
        self,
        old: Resolver,
        new: Resolver,
        direction: Direction,
        kinds: SchemaKinds,
        reporter: Reporter,
    ) -> None:
        self._old = old
        self._new = new
        self._direction = direction
        self._kinds = kinds
        self._reporter = reporter
        self._budget = _MAX_NODES

    def compare(self, old_raw: object, new_raw: object, location: str) -> None:
        self._compare(old_raw, new_raw, location, ())

    def _compare(
        self,
        old_raw: object,
        new_raw: object,
        location: str,
        stack: tuple[tuple[object, object], ...],
    ) -> None:
        self._budget -= 1
        if self._budget < 0 or len(stack) >= _MAX_DEPTH:
            return
        old = shape_of(old_raw, self._old)
        new = shape_of(new_raw, self._new)
        pair = (old.identity, new.identity)
        if pair in stack:
            return
        stack = (*stack, pair)
        if old.nullable != new.nullable:
            self._nullable(old, new, location)
        if signature(old) != signature(new):
            self._type(old, new, location)
            return
        self._enum(old, new, location)
        self._variants(old, new, location, stack)
        self._properties(old, new, location, stack)
        if old.items is not None or new.items is not None:
            self._compare(_or_any(old.items), _or_any(new.items), f"{location}[]", stack)
        if old.additional is not None and new.additional is not None:
            self._compare(old.additional, new.additional, f"{location}{{}}", stack)

    def _nullable(self, old: Shape, new: Shape, location: str) -> None:
        now = new.nullable
        if self._direction is Direction.INPUT:
            text = "now accepts null" if now else "no longer accepts null; passing None fails"
        else:
            text = "may now be null; callers get None" if now else "is never null any more"
        self._reporter.emit(
            self._kinds.nullable_changed,
            rules.nullable_changed(self._direction, now),
            location,
            "nullable" if old.nullable else "non-null",
            "nullable" if now else "non-null",
            f"`{location}` {text}.",
        )

    def _type(self, old: Shape, new: Shape, location: str) -> None:
        breaking = rules.type_changed(old, new)
        note = "" if breaking else f" (same SDK type {rules.python_type(new)})"
        self._reporter.emit(
            self._kinds.type_changed,
            breaking,
            location,
            signature(old),
            signature(new),
            f"`{location}` changed type from {signature(old)} to {signature(new)}{note}.",
        )

    def _enum(self, old: Shape, new: Shape, location: str) -> None:
        if old.enum is None or new.enum is None:
            return
        for value in old.enum:
            if value not in new.enum:
                shown = display_value(value)
                self._reporter.emit(
                    Kind.ENUM_VALUE_REMOVED,
                    rules.enum_value_removed(self._direction),
                    location,
                    shown,
                    "",
                    f"Enum value `{shown}` removed from `{location}`; "
                    "the SDK enum loses this member.",
                )
        for value in new.enum:
            if value not in old.enum:
                shown = display_value(value)
                if self._direction is Direction.OUTPUT:
                    why = "the current SDK fails to parse responses that contain it"
                else:
                    why = "a newly accepted input value"
                self._reporter.emit(
                    Kind.ENUM_VALUE_ADDED,
                    rules.enum_value_added(self._direction),
                    location,
                    "",
                    shown,
                    f"Enum value `{shown}` added to `{location}`; {why}.",
                )

    def _variants(
        self, old: Shape, new: Shape, location: str, stack: tuple[tuple[object, object], ...]
    ) -> None:
        new_branches = dict(new.variants)
        for label, old_branch in old.variants:
            if label in new_branches:
                self._compare(old_branch, new_branches[label], f"{location}<{label}>", stack)

    def _properties(
        self, old: Shape, new: Shape, location: str, stack: tuple[tuple[object, object], ...]
    ) -> None:
        for name, old_child in old.properties.items():
            where = f"{location}.{name}"
            was_required = name in old.required
            if name not in new.properties:
                self._removed(shape_of(old_child, self._old), was_required, where)
                continue
            now_required = name in new.required
            if was_required != now_required:
                self._required(was_required, now_required, where)
            self._compare(old_child, new.properties[name], where, stack)
        for name, new_child in new.properties.items():
            if name not in old.properties:
                self._added(
                    shape_of(new_child, self._new), name in new.required, f"{location}.{name}"
                )

    def _added(self, shape: Shape, required: bool, location: str) -> None:
        breaking = rules.field_added(self._direction, required)
        if self._direction is Direction.INPUT:
            text = "callers must now send it" if required else "optional"
        else:
            text = "a new model attribute"
        self._reporter.emit(
            self._kinds.added,
            breaking,
            location,
            "",
            describe_field(shape, required, self._new),
            f"New field `{location}` ({text}).",
        )

    def _removed(self, shape: Shape, required: bool, location: str) -> None:
        if self._direction is Direction.INPUT:
            text = "callers passing it break"
        else:
            text = "the SDK model loses the attribute"
        self._reporter.emit(
            self._kinds.removed,
            rules.field_removed(self._direction),
            location,
            describe_field(shape, required, self._old),
            "",
            f"Field `{location}` was removed; {text}.",
        )

    def _required(self, was_required: bool, now_required: bool, location: str) -> None:
        if self._direction is Direction.INPUT:
            text = "callers that omit it break" if now_required else "callers may omit it"
        else:
            text = "it is always present" if now_required else "it may be Unset"
        self._reporter.emit(
            self._kinds.required_changed,
            rules.required_changed(self._direction, now_required),
            location,
            "required" if was_required else "optional",
            "required" if now_required else "optional",
            f"`{location}` is now {'required' if now_required else 'optional'}; {text}.",
        )


def _or_any(raw: Any) -> Any:
    """A missing ``items`` schema means any item."""
    return {} if raw is None else raw
