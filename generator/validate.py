"""Refuses a spec the SDK cannot faithfully represent, before anything is generated.

openapi-python-client is lenient: it renames clashing names, invents operation names and skips
what it cannot parse. For a committed SDK that silently changes shape, so every such case is an
error here, reported all at once with the operation it concerns.
"""

from __future__ import annotations

import keyword
from collections.abc import Iterator
from typing import Any

from jsonschema_path import SchemaPath
from openapi_python_client.strings import PythonIdentifier, snake_case
from openapi_spec_validator.shortcuts import get_validator_cls
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from .errors import GenerationError
from .settings import Settings

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def iter_operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Yield ``(path, method, operation)`` in document order (the order generation uses)."""
    paths = spec.get("paths") or {}
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield path, method, operation


def operation_label(path: str, method: str, operation: dict[str, Any]) -> str:
    """How messages name an operation: its operationId when it has one, and always where it is."""
    operation_id = operation.get("operationId")
    where = f"{method.upper()} {path}"
    return f"operation {operation_id!r} ({where})" if operation_id else f"operation {where}"


def sdk_name(raw: str) -> str:
    """The attribute an operation gets in its tag namespace: snake_case, keywords get a ``_``.

    Builtin names such as ``list`` are kept (``sdk.items.list``): they are attributes, not
    variables, so they shadow nothing.
    """
    name = snake_case(raw)
    if keyword.iskeyword(name):
        name = f"{name}_"
    return name


def tag_name(raw: str, settings: Settings) -> str:
    """The package name openapi-python-client gives a tag (its directory under ``api/``)."""
    return str(PythonIdentifier(raw, prefix="tag"))


def parameter_name(raw: str, settings: Settings) -> str:
    """The Python name openapi-python-client gives a parameter, before its own conflict renames."""
    prefix = str(settings.openapi_python_client.get("field_prefix", "field_"))
    return str(PythonIdentifier(raw, prefix=prefix))


def _check_openapi(spec: dict[str, Any]) -> list[str]:
    try:
        validator_cls = get_validator_cls(spec)
    except Exception as exc:  # the library raises several unrelated types for "not OpenAPI"
        return [f"not an OpenAPI document ({type(exc).__name__}: {exc})"]
    problems: list[str] = []
    try:
        for error in validator_cls(SchemaPath.from_dict(spec)).iter_errors():
            if isinstance(error, OpenAPIValidationError):
                location = "/".join(str(part) for part in error.path) or "(document root)"
                problems.append(f"at {location}: {error.message.splitlines()[0]}")
            else:  # pragma: no cover - the validator yields only validation errors
                problems.append(str(error).splitlines()[0][:300])
    except Exception as exc:  # e.g. referencing.exceptions.PointerToNowhere for a dangling $ref
        problems.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    return problems


def resolve_ref(spec: dict[str, Any], node: Any) -> Any:
    """Follow local ``$ref`` chains (already proven resolvable by the validator)."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if not ref.startswith("#/") or ref in seen:
            return node
        seen.add(ref)
        target: Any = spec
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                return node
            target = target[part]
        node = target
    return node


def operation_parameters(
    spec: dict[str, Any], path: str, operation: dict[str, Any]
) -> list[dict[str, Any]]:
    path_item = spec["paths"][path]
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*(path_item.get("parameters") or []), *(operation.get("parameters") or [])]:
        parameter = resolve_ref(spec, raw)
        if isinstance(parameter, dict) and "name" in parameter and "in" in parameter:
            merged[(str(parameter["name"]), str(parameter["in"]))] = parameter
    return list(merged.values())


def _check_operations(spec: dict[str, Any], settings: Settings) -> list[str]:
    problems: list[str] = []
    ids: dict[str, str] = {}
    # (tag python name, sdk name) -> first operation that took it
    names: dict[tuple[str, str], str] = {}
    tags_by_python_name: dict[str, str] = {}

    for path, method, operation in iter_operations(spec):
        label = operation_label(path, method, operation)
        operation_id = operation.get("operationId")
        if not isinstance(operation_id, str) or not operation_id:
            problems.append(f"{label}: has no operationId (the SDK names functions after it)")
            continue
        if operation_id in ids:
            problems.append(f"{label}: duplicate operationId, already used by {ids[operation_id]}")
            continue
        ids[operation_id] = label

        tags = operation.get("tags") or []
        if len(tags) != 1:
            what = "no tag" if not tags else f"{len(tags)} tags ({', '.join(map(str, tags))})"
            problems.append(f"{label}: has {what}; every operation needs exactly one tag")
            continue
        tag = str(tags[0])
        tag_py = tag_name(tag, settings)
        other_tag = tags_by_python_name.setdefault(tag_py, tag)
        if other_tag != tag:
            problems.append(
                f"{label}: tag {tag!r} and tag {other_tag!r} both become the namespace {tag_py!r}"
            )
            continue
        if tag_py in settings.reserved_tag_names or tag_py.startswith("_"):
            problems.append(
                f"{label}: tag {tag!r} would become sdk.{tag_py}, which collides with a reserved "
                f"top-level name ({', '.join(sorted(settings.reserved_tag_names))})"
            )
            continue

        name = sdk_name(operation_id)
        if not name.isidentifier() or name.startswith("_"):
            problems.append(
                f"{label}: operationId {operation_id!r} does not make a Python name ({name!r})"
            )
            continue
        if name in settings.reserved_operation_names:
            problems.append(f"{label}: sdk.{tag_py}.{name} collides with a reserved name")
            continue
        first = names.setdefault((tag_py, name), label)
        if first != label:
            problems.append(f"{label}: sdk.{tag_py}.{name} is already taken by {first}")
            continue

        for parameter in operation_parameters(spec, path, operation):
            python_name = parameter_name(str(parameter["name"]), settings)
            if python_name in settings.reserved_parameter_names:
                reserved = ", ".join(sorted(settings.reserved_parameter_names))
                problems.append(
                    f"{label}: {parameter['in']} parameter {parameter['name']!r} becomes the "
                    f"Python argument {python_name!r}, which collides with the SDK's own argument "
                    f"of that name (reserved: {reserved})"
                )
    return problems


def validate_spec(spec: Any, settings: Settings) -> None:
    """Raise :class:`GenerationError` listing every reason the spec cannot be generated."""
    if not isinstance(spec, dict):
        raise GenerationError("refusing to generate: the spec is not a mapping")
    problems = _check_openapi(spec)
    if problems:
        raise GenerationError(
            "refusing to generate: the spec is not a valid OpenAPI document", problems
        )
    problems = _check_operations(spec, settings)
    if problems:
        raise GenerationError("refusing to generate: the spec cannot be represented", problems)
