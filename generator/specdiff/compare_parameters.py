"""Compare an operation's parameters, which become the SDK call's keyword arguments.

Path parameters pair by their position in the template (their names may change without the
route changing); the others pair by (location, name), headers case-insensitively.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import rules
from .compare_schemas import PARAMETER_KINDS, SchemaComparer, describe_field
from .findings import Kind, Reporter
from .naming import snake_case
from .operations import Operation, ParameterKey
from .resolve import Resolver, as_mapping
from .rules import Direction
from .schema_walk import shape_of


def parameter_schema(parameter: Mapping[str, Any]) -> object:
    """``schema``, or the schema of the first ``content`` entry; any value if neither."""
    if "schema" in parameter:
        return parameter["schema"]
    for media in as_mapping(parameter.get("content")).values():
        return as_mapping(media).get("schema", {})
    return {}


def compare_parameters(
    old_op: Operation, new_op: Operation, old: Resolver, new: Resolver, reporter: Reporter
) -> None:
    _compare_path_parameters(old_op, new_op, old, new, reporter)
    old_keys = [k for k in old_op.parameters if k[0] != "path"]
    new_keys = [k for k in new_op.parameters if k[0] != "path"]
    for key in old_keys:
        old_parameter = old_op.parameters[key]
        location = _location(key, old_parameter)
        if key not in new_op.parameters:
            _removed(old_parameter, location, old, reporter)
            continue
        new_parameter = new_op.parameters[key]
        was_required = old_parameter.get("required") is True
        now_required = new_parameter.get("required") is True
        if was_required != now_required:
            _required(was_required, now_required, location, reporter)
        _compare_schema(old_parameter, new_parameter, location, old, new, reporter)
    for key in new_keys:
        if key not in old_op.parameters:
            new_parameter = new_op.parameters[key]
            _added(new_parameter, _location(key, new_parameter), new, reporter)


def _location(key: ParameterKey, parameter: Mapping[str, Any]) -> str:
    name = parameter.get("name")
    return f"{key[0]}.{name if isinstance(name, str) else key[1]}"


def _describe(parameter: Mapping[str, Any], resolver: Resolver) -> str:
    shape = shape_of(parameter_schema(parameter), resolver)
    return describe_field(shape, parameter.get("required") is True, resolver)


def _compare_schema(
    old_parameter: Mapping[str, Any],
    new_parameter: Mapping[str, Any],
    location: str,
    old: Resolver,
    new: Resolver,
    reporter: Reporter,
) -> None:
    comparer = SchemaComparer(old, new, Direction.INPUT, PARAMETER_KINDS, reporter)
    comparer.compare(parameter_schema(old_parameter), parameter_schema(new_parameter), location)


def _compare_path_parameters(
    old_op: Operation, new_op: Operation, old: Resolver, new: Resolver, reporter: Reporter
) -> None:
    for old_name, new_name in zip(old_op.path_parameters, new_op.path_parameters, strict=False):
        location = f"path.{old_name}"
        if old_name != new_name:
            old_arg, new_arg = snake_case(old_name), snake_case(new_name)
            breaking = rules.name_changed(old_arg, new_arg)
            effect = (
                f"the SDK keyword argument changes from {old_arg} to {new_arg}"
                if breaking
                else f"the SDK keyword argument stays {new_arg}"
            )
            reporter.emit(
                Kind.PARAMETER_RENAMED,
                breaking,
                location,
                old_name,
                new_name,
                f"Path parameter `{old_name}` is now `{new_name}`; {effect}.",
            )
        _compare_schema(
            old_op.parameters.get(("path", old_name), {}),
            new_op.parameters.get(("path", new_name), {}),
            location,
            old,
            new,
            reporter,
        )


def _added(parameter: Mapping[str, Any], location: str, new: Resolver, reporter: Reporter) -> None:
    required = parameter.get("required") is True
    text = "callers must now pass it" if required else "optional"
    reporter.emit(
        Kind.PARAMETER_ADDED,
        required,
        location,
        "",
        _describe(parameter, new),
        f"New parameter `{location}` ({text}).",
    )


def _removed(
    parameter: Mapping[str, Any], location: str, old: Resolver, reporter: Reporter
) -> None:
    reporter.emit(
        Kind.PARAMETER_REMOVED,
        True,
        location,
        _describe(parameter, old),
        "",
        f"Parameter `{location}` was removed; callers passing it break.",
    )


def _required(was: bool, now: bool, location: str, reporter: Reporter) -> None:
    text = "callers that omit it break" if now else "callers may omit it"
    reporter.emit(
        Kind.PARAMETER_REQUIRED_CHANGED,
        rules.required_changed(Direction.INPUT, now),
        location,
        "required" if was else "optional",
        "required" if now else "optional",
        f"Parameter `{location}` is now {'required' if now else 'optional'}; {text}.",
    )
