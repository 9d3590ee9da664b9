"""Fast structural validation: what generation needs from a document, located and all at once.

openapi-spec-validator takes 15-20 s on a 300-500 operation document and places some problems at
"(document root)". This walks the document once: every problem carries its JSON pointer and
source line, quoted values are cut short. Problems that stop generation are refusals; the rest
(e.g. a `default` of the wrong type, an unknown keyword) are warnings, since openapi-python-client
copes with them or a policy adapts them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .source import Source, excerpt, pointer, split_pointer
from .validate import HTTP_METHODS

_PATH_TEMPLATE = re.compile(r"{([^}/]+)}")
_SCHEMA_TYPES = {"string", "number", "integer", "boolean", "array", "object", "null"}
_PARAMETER_LOCATIONS = {"query", "header", "path", "cookie"}
#: Maps whose keys are names chosen by the author (a header may be called ``x-rate-limit``), not
#: fields of the specification: an ``x-`` key in them is not a specification extension.
NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "dependentSchemas",
        "$defs",
        "definitions",
        "schemas",
        "responses",
        "parameters",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
        "examples",
        "pathItems",
        "webhooks",
        "content",
        "encoding",
        "variables",
        "mapping",
        "scopes",
    }
)


#: Fields whose values are data (an example may well contain a ``$ref`` key), not descriptions.
_DATA_KEYS = frozenset({"example", "default", "enum", "const", "value"})


def is_extension(parent_key: str, key: str) -> bool:
    """Whether ``key`` (under ``parent_key``) is a specification extension (``x-...``).

    Extensions are opaque (OpenAPI 3.1, section 4.9): nothing inside one is a reference to
    resolve or a schema to check, whatever it looks like.
    """
    return key.startswith("x-") and parent_key not in NAME_MAPS


def is_opaque(parent_key: str, key: str, value: Any) -> bool:
    """An extension, or a field holding data: nothing in it is a ``$ref`` of the document."""
    if parent_key in NAME_MAPS:
        return False
    return (
        key.startswith("x-") or key in _DATA_KEYS or (key == "examples" and isinstance(value, list))
    )


def walk_mappings(
    node: Any, where: tuple[str | int, ...] = ()
) -> Iterator[tuple[dict[str, Any], tuple[str | int, ...]]]:
    """Every mapping under ``node`` with its location, parents before their children, never
    inside an extension or a field holding data (``is_opaque``)."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(node, where)]
    while stack:
        current, at = stack.pop()
        parent = str(at[-1]) if at else ""
        if isinstance(current, dict):
            yield current, at
            for key, value in current.items():
                if isinstance(value, dict | list) and not is_opaque(parent, str(key), value):
                    stack.append((value, (*at, str(key))))
        elif isinstance(current, list):
            stack.extend((value, (*at, index)) for index, value in enumerate(current))


def pointer_target(spec: Any, ref: str) -> Any:
    """What the local reference ``ref`` (``#/...``) points at in ``spec``, or ``MISSING``."""
    node: Any = spec
    for part in split_pointer(ref[1:]):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return MISSING
    return node


_PYTHON_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "array": list,
    "object": dict,
}


@dataclass
class Findings:
    refusals: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _Walker:
    def __init__(self, source: Source, exclude: tuple[str, ...] = ()) -> None:
        self.source = source
        self.spec: dict[str, Any] = source.data
        self.findings = Findings()
        self.exclude = set(exclude)
        #: JSON pointers of what ``exclude:`` leaves out: its problems do not matter.
        self.skipped = self._excluded_pointers()

    def _excluded_pointers(self) -> set[str]:
        found = {
            pointer("components", "schemas", entry.removeprefix("#/components/schemas/"))
            for entry in self.exclude
            if entry.startswith("#/components/schemas/")
        }
        paths = self.spec.get("paths")
        if isinstance(paths, dict):
            for path, item in paths.items():
                for method in HTTP_METHODS:
                    operation = item.get(method) if isinstance(item, dict) else None
                    if isinstance(operation, dict) and self.excluded(str(path), method, operation):
                        found.add(pointer("paths", str(path), method))
        return found

    def excluded(self, path: str, method: str, operation: dict[str, Any]) -> bool:
        return bool({f"{method.upper()} {path}", str(operation.get("operationId"))} & self.exclude)

    def refuse(self, location: str, message: str) -> None:
        self.findings.refusals.append(f"{self.source.where(location)}: {message}")

    def warn(self, location: str, message: str) -> None:
        self.findings.warnings.append(f"{self.source.where(location)}: {message}")

    def resolve(self, node: Any) -> Any:
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#") or ref in seen:
                return None
            seen.add(ref)
            node = self.target(ref)
        return node

    def target(self, ref: str) -> Any:
        return pointer_target(self.spec, ref)

    # -- the whole document -------------------------------------------------------------------

    def run(self) -> Findings:
        spec = self.spec
        if "swagger" in spec:
            self.refuse(
                "/swagger",
                f"Swagger {excerpt(spec['swagger'])} documents are not supported; convert it to "
                "OpenAPI 3 first (e.g. with swagger2openapi)",
            )
            return self.findings
        version = spec.get("openapi")
        if not isinstance(version, str) or not re.match(r"3\.[01]\.\d+", version):
            self.refuse("/openapi", f"needs `openapi: 3.0.x` or `3.1.x`, got {excerpt(version)}")
            return self.findings
        info = spec.get("info")
        if not isinstance(info, dict):
            self.refuse("/info", "the required `info` object is missing")
        else:
            for key in ("title", "version"):
                if not isinstance(info.get(key), str):
                    what = "missing" if key not in info else f"not a string ({excerpt(info[key])})"
                    self.refuse(pointer("info", key), f"the required `info.{key}` is {what}")
        paths = spec.get("paths")
        if paths is None and version.startswith("3.0"):
            self.refuse("/paths", "OpenAPI 3.0 requires `paths`")
        elif paths is not None and not isinstance(paths, dict):
            self.refuse("/paths", f"`paths` must be a mapping, got {excerpt(paths)}")
        elif isinstance(paths, dict):
            for path, item in paths.items():
                self.path_item(str(path), item)
        self.refs(spec, "")
        return self.findings

    def refs(self, node: Any, location: str) -> None:
        """Every ``$ref`` must point inside this document, at something that exists (those inside
        ``x-`` extensions or in examples and defaults are data: they are never followed)."""
        stack: list[tuple[Any, str, str]] = [(node, location, "")]
        while stack:
            current, where, name = stack.pop()
            if isinstance(current, dict):
                ref = current.get("$ref")
                if isinstance(ref, str):
                    if not ref.startswith("#"):
                        self.refuse(
                            f"{where}/$ref",
                            f"$ref {excerpt(ref)} points outside the document; bundle it into one "
                            "file first (e.g. `redocly bundle`)",
                        )
                    elif self.target(ref) is MISSING:
                        self.refuse(f"{where}/$ref", f"$ref {excerpt(ref)} points at nothing")
                else:
                    self.schema_hints(current, where)
                    self.discriminator_targets(current, where)
                for key, value in current.items():
                    if isinstance(value, dict | list) and not is_opaque(name, str(key), value):
                        below = f"{where}/{_escape(str(key))}"
                        if below not in self.skipped:
                            stack.append((value, below, str(key)))
            elif isinstance(current, list):
                for index, value in enumerate(current):
                    if isinstance(value, dict | list):
                        stack.append((value, f"{where}/{index}", ""))

    def discriminator_targets(self, node: dict[str, Any], where: str) -> None:
        """A discriminator mapping that points at nothing (PagerDuty's point through a ``$ref``,
        which a JSON pointer does not follow): generation ignores it, validators fail on it."""
        discriminator = node.get("discriminator")
        mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
        if not isinstance(mapping, dict):
            return
        for value, target in mapping.items():
            dangling = isinstance(target, str) and target.startswith("#")
            if dangling and self.target(target) is MISSING:
                self.warn(
                    pointer(*split_pointer(where), "discriminator", "mapping", str(value)),
                    f"maps to {excerpt(target)}, which points at nothing",
                )

    def schema_hints(self, node: dict[str, Any], where: str) -> None:
        """Warnings for schema oddities that generation copes with (reported, not refused)."""
        kind = node.get("type")
        if isinstance(kind, str) and kind in _PYTHON_TYPES and "default" in node:
            default = node["default"]
            expected = _PYTHON_TYPES[kind]
            wrong = not isinstance(default, expected) or (
                isinstance(default, bool) and kind in ("integer", "number")
            )
            if wrong and not (default is None and node.get("nullable")):
                self.warn(
                    f"{where}/default",
                    f"default {excerpt(default)} is not of type {kind!r}",
                )
        required, properties = node.get("required"), node.get("properties")
        if isinstance(required, list) and isinstance(properties, dict):
            missing = [str(name) for name in required if name not in properties]
            if missing and "allOf" not in node and "additionalProperties" not in node:
                self.warn(
                    f"{where}/required",
                    f"lists {excerpt(', '.join(missing))}, not among the schema's properties",
                )

    # -- paths and operations -----------------------------------------------------------------

    def path_item(self, path: str, item: Any) -> None:
        where = pointer("paths", path)
        if not path.startswith("/"):
            self.refuse(where, f"path {excerpt(path)} must start with '/'")
        item = self.resolve(item)
        if not isinstance(item, dict):
            self.refuse(where, f"a path item must be a mapping, got {excerpt(item)}")
            return
        shared = self.parameters(item.get("parameters"), f"{where}/parameters")
        for method in HTTP_METHODS:
            if method in item and pointer("paths", path, method) not in self.skipped:
                self.operation(path, method, item[method], shared)

    def operation(
        self, path: str, method: str, operation: Any, shared: dict[tuple[str, str], Any]
    ) -> None:
        where = pointer("paths", path, method)
        if not isinstance(operation, dict):
            self.refuse(where, f"an operation must be a mapping, got {excerpt(operation)}")
            return
        declared = {**shared, **self.parameters(operation.get("parameters"), f"{where}/parameters")}
        in_template = _PATH_TEMPLATE.findall(path)
        path_params = {name for (name, location) in declared if location == "path"}
        for name in in_template:
            if name not in path_params:
                self.refuse(where, f"path parameter {{{name}}} of {path} is not declared")
        for name in sorted(path_params - set(in_template)):
            self.refuse(where, f"declares path parameter {name!r}, which {path} does not contain")
        responses = operation.get("responses")
        if responses is None:
            if self.spec.get("openapi", "").startswith("3.0"):
                self.refuse(where, "has no `responses` (required in OpenAPI 3.0)")
        elif not isinstance(responses, dict):
            self.refuse(f"{where}/responses", f"must be a mapping, got {excerpt(responses)}")
        else:
            for code in responses:
                if not re.fullmatch(r"[1-5](\d\d|XX)|default", str(code)):
                    self.refuse(
                        pointer("paths", path, method, "responses", str(code)),
                        f"{excerpt(code)} is not a status code, a range like 2XX, or `default`",
                    )
        body = operation.get("requestBody")
        if body is not None:
            body = self.resolve(body)
            if not isinstance(body, dict) or not isinstance(body.get("content"), dict):
                self.refuse(f"{where}/requestBody", "a request body needs a `content` mapping")
        for key, value in operation.items():
            if key in ("tags",) and not isinstance(value, list):
                self.refuse(f"{where}/tags", f"must be a list, got {excerpt(value)}")

    def parameters(self, raw: Any, where: str) -> dict[tuple[str, str], Any]:
        found: dict[tuple[str, str], Any] = {}
        if raw is None:
            return found
        if not isinstance(raw, list):
            self.refuse(where, f"`parameters` must be a list, got {excerpt(raw)}")
            return found
        for index, entry in enumerate(raw):
            parameter = self.resolve(entry)
            at = f"{where}/{index}"
            if not isinstance(parameter, dict):
                self.refuse(at, f"a parameter must be a mapping, got {excerpt(entry)}")
                continue
            name, location = parameter.get("name"), parameter.get("in")
            if not isinstance(name, str) or location not in _PARAMETER_LOCATIONS:
                self.refuse(
                    at,
                    "a parameter needs a string `name` and `in` (query, header, path or cookie), "
                    f"got {excerpt({'name': name, 'in': location})}",
                )
                continue
            key = (name, str(location))
            if key in found:
                self.refuse(at, f"{location} parameter {name!r} is declared twice")
            found[key] = parameter
            if location == "path" and parameter.get("required") is not True:
                self.warn(at, f"path parameter {name!r} should be `required: true`")
            schema = parameter.get("schema")
            kind = schema.get("type") if isinstance(schema, dict) else None
            if isinstance(kind, str) and kind not in _SCHEMA_TYPES:
                self.warn(f"{at}/schema/type", f"unknown type {excerpt(kind)}")
        return found


MISSING = object()


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def check_structure(source: Source, exclude: tuple[str, ...] = ()) -> Findings:
    """Refusals (generation impossible) and warnings (generation unaffected) for ``source``;
    what ``exclude`` (the config's ``exclude:``) leaves out is not checked."""
    if not isinstance(source.data, dict):
        return Findings(refusals=[f"{source.path.name}: the document is not a mapping"])
    return _Walker(source, exclude).run()
