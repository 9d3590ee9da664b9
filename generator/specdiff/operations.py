"""Index a document's operations by route so old and new can be paired.

The route key is (METHOD, path with parameter names erased): renaming ``{id}`` to
``{item_id}`` does not make an operation look removed and re-added. Each entry carries what
the SDK derives from it: its name (tag + operationId), effective parameters (path-level
merged with operation-level) and effective security (global unless overridden).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .naming import (
    DEFAULT_TAG,
    fallback_operation_id,
    normalise_path,
    path_parameter_names,
    sdk_operation_name,
    sdk_tag,
)
from .resolve import Resolver, as_list, as_mapping

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

ParameterKey = tuple[str, str]
Security = frozenset[frozenset[str]]


@dataclass(frozen=True, eq=False)
class Operation:
    method: str
    path: str
    operation_id: str
    tag: str
    raw: Mapping[str, Any]
    parameters: Mapping[ParameterKey, Mapping[str, Any]]
    security: Security

    @property
    def sdk_name(self) -> str:
        return sdk_operation_name(self.tag, self.operation_id)

    @property
    def namespace(self) -> str:
        return sdk_tag(self.tag)

    @property
    def route(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def path_parameters(self) -> list[str]:
        return path_parameter_names(self.path)


def parameter_key(location: str, name: str) -> ParameterKey:
    """Header names are case-insensitive on the wire, so they pair case-insensitively."""
    return (location, name.lower() if location == "header" else name)


def parse_security(value: object) -> Security:
    """A list of requirement objects -> alternatives, each a set of scheme names.

    ``[]`` and ``[{}]`` both mean anonymous access and normalise to the same empty set.
    """
    alternatives = frozenset(
        frozenset(str(name) for name in requirement)
        for requirement in as_list(value)
        if isinstance(requirement, Mapping)
    )
    return frozenset() if alternatives == {frozenset()} else alternatives


def describe_security(requirements: Security) -> str:
    if not requirements:
        return "public"
    alternatives = sorted("+".join(sorted(alt)) or "anonymous" for alt in requirements)
    return " | ".join(alternatives)


def index_operations(
    document: Mapping[str, Any], resolver: Resolver
) -> dict[tuple[str, str], Operation]:
    """All operations of ``document`` keyed by (METHOD, normalised path)."""
    global_security = parse_security(document.get("security"))
    result: dict[tuple[str, str], Operation] = {}
    for raw_path, raw_item in as_mapping(document.get("paths")).items():
        path = str(raw_path)
        item = resolver.deref(raw_item)
        shared = as_list(item.get("parameters"))
        for method in HTTP_METHODS:
            if not isinstance(item.get(method), Mapping):
                continue
            operation = _operation(
                method.upper(), path, item[method], shared, resolver, global_security
            )
            key = (operation.method, normalise_path(path))
            if key in result:
                key = (operation.method, path)
            result.setdefault(key, operation)
    return result


def _operation(
    method: str,
    path: str,
    raw: Mapping[str, Any],
    shared: list[Any],
    resolver: Resolver,
    global_security: Security,
) -> Operation:
    operation_id = raw.get("operationId")
    if not isinstance(operation_id, str) or not operation_id:
        operation_id = fallback_operation_id(method, path)
    tags = [t for t in as_list(raw.get("tags")) if isinstance(t, str) and t]
    parameters: dict[ParameterKey, Mapping[str, Any]] = {}
    for candidate in [*shared, *as_list(raw.get("parameters"))]:
        parameter = resolver.deref(candidate)
        name, location = parameter.get("name"), parameter.get("in")
        if isinstance(name, str) and isinstance(location, str):
            parameters[parameter_key(location, name)] = parameter
    security = parse_security(raw["security"]) if "security" in raw else global_security
    return Operation(
        method=method,
        path=path,
        operation_id=operation_id,
        tag=tags[0] if tags else DEFAULT_TAG,
        raw=raw,
        parameters=parameters,
        security=security,
    )
