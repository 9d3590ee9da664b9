"""Parses the adapted document with openapi-python-client until nothing is left out.

openapi-python-client skips what it cannot represent with only a warning: a schema keyword it
rejects fails the whole document, a schema it cannot model drops the model and every operation
using it, two schemas with the same class name drop one. Each round here reads its findings and
narrows the problem to the smallest part of the document (one keyword, one schema, one parameter,
one response), which a policy then renames or loosens (``Any`` / ``dict[str, Any]`` / bytes),
reported by name. The result parses with no warning at all, or the run is refused, located.
"""

from __future__ import annotations

import copy
import io
import re
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from typing import Any

from openapi_python_client.config import Config
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.errors import GeneratorError, ParseError
from openapi_python_client.parser.openapi import Endpoint
from openapi_python_client.schema.openapi_schema_pydantic import OpenAPI
from openapi_python_client.strings import pascal_case
from pydantic import ValidationError

from .adapt import Adapted
from .errors import GenerationError
from .fastparse import cheap_endpoint_copies
from .settings import Settings
from .source import Source, excerpt, pointer
from .validate import operation_label, resolve_ref

MAX_ROUNDS = 8
_SCHEMA_KEYS = {
    "schema",
    "schemas",
    "properties",
    "items",
    "additionalProperties",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "prefixItems",
}
_COMPONENT = re.compile(r"/components/schemas/(?P<name>[^\s:]+)")
_WHERE = re.compile(r"parsing (?P<method>[A-Z]+) (?P<path>\S+) within")
_DUPLICATE = "Attempted to generate duplicate models with name"
_LOOSE_OBJECT: dict[str, Any] = {"type": "object", "additionalProperties": {}}


@dataclass
class _Round:
    changed: bool = False


def parse_adapted(
    adapted: Adapted, config: Config, settings: Settings, source: Source
) -> GeneratorData:
    """Parse ``adapted.spec``, adapting it further in place, until nothing is left out."""
    for _ in range(MAX_ROUNDS):
        state = _Round()
        try:
            OpenAPI.model_validate(adapted.spec)
        except ValidationError as exc:
            _fix_keywords(adapted, settings, source, exc, state)
            if not state.changed:  # pragma: no cover - _fix_keywords refuses instead
                break
            continue
        captured = io.StringIO()
        with redirect_stdout(captured), redirect_stderr(captured), cheap_endpoint_copies():
            data = GeneratorData.from_dict(adapted.spec, config=config)
        if isinstance(data, GeneratorError):  # pragma: no cover - validated just above
            raise GenerationError("openapi-python-client cannot read the spec", [data.header])
        if not data.errors and not _endpoint_errors(data):
            return data
        if data.errors:
            _fix_components(adapted, settings, data.errors, state)
        if not state.changed:
            _fix_endpoints(adapted, settings, data, state)
        if not state.changed:
            break
    if adapted.refusals:
        raise GenerationError(
            "refusing to generate: the spec needs adaptations that the policies refuse",
            adapted.refusals,
        )
    problems = _leftovers(adapted, config)
    raise GenerationError(
        "refusing to generate: openapi-python-client cannot represent parts of the spec, even "
        "loosely typed",
        problems or ["(no details)"],
    )


def _endpoint_errors(data: GeneratorData) -> list[ParseError]:
    return [e for c in data.endpoint_collections_by_tag.values() for e in c.parse_errors]


def _leftovers(adapted: Adapted, config: Config) -> list[str]:
    captured = io.StringIO()
    with redirect_stdout(captured), redirect_stderr(captured), cheap_endpoint_copies():
        data = GeneratorData.from_dict(adapted.spec, config=config)
    if isinstance(data, GeneratorError):
        return [data.header]
    found = [f"{e.header.strip()} {(e.detail or '').strip()}"[:300] for e in data.errors]
    found += [
        f"{e.header.strip()} {(e.detail or '').strip()}"[:300] for e in _endpoint_errors(data)
    ]
    return found


# -- keywords pydantic rejects ----------------------------------------------------------------


def _walk(spec: Any, loc: tuple[Any, ...]) -> tuple[list[str | int], Any, Any]:
    """The document location a pydantic error path points at (union tags skipped)."""
    parts: list[str | int] = []
    parent: Any = None
    node: Any = spec
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and part < len(node)
        if in_dict or in_list:
            parent, node = node, node[part]
            parts.append(part)
    return parts, parent, node


def _fix_keywords(
    adapted: Adapted, settings: Settings, source: Source, exc: ValidationError, state: _Round
) -> None:
    refusals: list[str] = []
    for error in exc.errors():
        parts, parent, _node = _walk(adapted.spec, tuple(error["loc"]))
        location = pointer(*parts)
        in_schema = any(str(p) in _SCHEMA_KEYS for p in parts[:-1])
        message = str(error["msg"]).splitlines()[0]
        if error.get("type") == "missing":
            missing = next((str(p) for p in reversed(error["loc"]) if isinstance(p, str)), "")
            message = f"required field {missing!r} is missing"
            location = pointer(*parts, missing) if missing and missing not in parts else location
        if in_schema and isinstance(parent, dict) and parts and error.get("type") != "missing":
            key = parts[-1]
            if adapted.note(
                settings,
                "invalid_schema_keyword",
                source.where(location),
                f"{key} = {excerpt(parent[key])} is invalid ({message}); dropped",
            ):
                del parent[key]
                state.changed = True
                continue
            return
        refusals.append(f"{source.where(location)}: {message}")
    if refusals or not state.changed:
        raise GenerationError(
            "refusing to generate: the spec is not a valid OpenAPI document", refusals
        )


# -- component schemas ------------------------------------------------------------------------


def _refs(node: Any) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                found.add(ref.rsplit("/", 1)[1])
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return found


def _component_name(found: str, schemas: dict[str, Any]) -> str | None:
    """The component a message names: exactly, or the longest one its (inline) name starts with."""
    if found in schemas:
        return found
    prefixes = [name for name in schemas if found.startswith(name)]
    return max(prefixes, key=len) if prefixes else None


def _fix_components(
    adapted: Adapted, settings: Settings, errors: list[ParseError], state: _Round
) -> None:
    schemas: dict[str, Any] = adapted.spec.get("components", {}).get("schemas", {})
    failing: dict[str, str] = {}
    for error in errors:
        text = f"{error.header} {error.detail or ''}"
        match = _COMPONENT.search(text)
        if match is None:
            continue
        name = _component_name(match["name"], schemas)
        if name is not None:
            failing.setdefault(name, " ".join((error.detail or error.header).split()))
    duplicates = {name: why for name, why in failing.items() if _DUPLICATE in why}
    if duplicates:
        taken = {
            pascal_case(str(s.get("title") or k)) for k, s in schemas.items() if isinstance(s, dict)
        }
        for name in sorted(duplicates):
            schema = schemas[name]
            base = pascal_case(name)
            candidate, counter = base, 1
            while candidate in taken:
                counter += 1
                candidate = f"{base}{counter}"
            old = str(schema.get("title") or name)
            if adapted.note(
                settings,
                "model_name",
                f"schema {name!r}",
                f"its model name {pascal_case(old)!r} is taken by another schema; "
                f"named {candidate!r}",
            ):
                schema["title"] = candidate
                taken.add(candidate)
                state.changed = True
        return
    for name in sorted(failing):
        if _refs(schemas[name]) & (set(failing) - {name}):
            continue  # fails because a schema it uses fails: fixing that one may be enough
        why = _UNTRUSTED.sub("…", failing[name])
        if adapted.note(
            settings,
            "unrepresentable_schema",
            f"schema {name!r}",
            f"openapi-python-client cannot model it ({excerpt(why, 120)}); typed as Any",
        ):
            original = schemas[name]
            schemas[name] = (
                {"description": original["description"]}
                if isinstance(original, dict) and isinstance(original.get("description"), str)
                else {}
            )
            state.changed = True


_UNTRUSTED = re.compile(r"<[\w.]*UntrustedString object at 0x[0-9a-fA-F]+>")


# -- operations -------------------------------------------------------------------------------


def _endpoint(data: GeneratorData, method: str, path: str) -> Endpoint | None:
    for collection in data.endpoint_collections_by_tag.values():
        for endpoint in collection.endpoints:
            if endpoint.method.upper() == method and _raw(endpoint.path) == path:
                return endpoint
    return None


def _raw(value: Any) -> str:
    getter = getattr(value, "get_untrusted_value", None)
    return str(getter() if getter is not None else value)


def _is_simple(spec: dict[str, Any], schema: Any, depth: int = 0) -> bool:
    schema = resolve_ref(spec, schema)
    if not isinstance(schema, dict) or depth > 5:
        return False
    if any(k in schema for k in ("anyOf", "oneOf", "allOf", "not", "const")):
        return False
    kind = schema.get("type")
    if kind in ("string", "integer", "number", "boolean"):
        return True
    if kind == "array":
        return _is_simple(spec, schema.get("items"), depth + 1)
    return False


def _is_scalar(spec: dict[str, Any], schema: Any) -> bool:
    schema = resolve_ref(spec, schema)
    return _is_simple(spec, schema) and isinstance(schema, dict) and schema.get("type") != "array"


def _fix_endpoints(
    adapted: Adapted, settings: Settings, data: GeneratorData, state: _Round
) -> None:
    spec = adapted.spec
    for error in _endpoint_errors(data):
        match = _WHERE.search(error.header)
        if match is None:
            continue
        method, path = match["method"], match["path"]
        operation = (spec.get("paths") or {}).get(path, {}).get(method.lower())
        if not isinstance(operation, dict):
            continue
        label = operation_label(path, method.lower(), operation)
        detail = _UNTRUSTED.sub("…", " ".join((error.detail or error.header).split()))
        whole = "will not be generated" in error.header
        if "Cannot parse response" in detail or not whole:
            _loosen_responses(
                adapted, settings, data, method, path, operation, label, detail, state
            )
        elif "body" in detail.lower():
            _loosen_body(adapted, settings, operation, label, detail, state)
        else:
            _loosen_parameters(adapted, settings, operation, label, detail, state)


def _loosen_responses(
    adapted: Adapted,
    settings: Settings,
    data: GeneratorData,
    method: str,
    path: str,
    operation: dict[str, Any],
    label: str,
    detail: str,
    state: _Round,
) -> None:
    endpoint = _endpoint(data, method, path)
    parsed = set()
    if endpoint is not None:
        parsed = {_raw(r.status_code.pattern) for r in endpoint.responses.patterns}
        if endpoint.responses.default is not None:
            parsed.add("default")
    responses = operation.get("responses") or {}
    for code in list(responses):
        if str(code) in parsed:
            continue
        response = resolve_ref(adapted.spec, responses[code])
        if not isinstance(response, dict) or not isinstance(response.get("content"), dict):
            continue
        response = copy.deepcopy(response)
        if adapted.note(
            settings,
            "unrepresentable_schema",
            label,
            f"response {code}: openapi-python-client cannot model it ({excerpt(detail, 100)}); "
            "typed as Any",
        ):
            response["content"] = {ct: {"schema": {}} for ct in response["content"]}
            responses[code] = response
            state.changed = True


def _loosen_body(
    adapted: Adapted,
    settings: Settings,
    operation: dict[str, Any],
    label: str,
    detail: str,
    state: _Round,
) -> None:
    body = resolve_ref(adapted.spec, operation.get("requestBody"))
    if not isinstance(body, dict) or not isinstance(body.get("content"), dict):
        return
    body = copy.deepcopy(body)
    if adapted.note(
        settings,
        "unrepresentable_schema",
        label,
        f"request body: openapi-python-client cannot model it ({excerpt(detail, 100)}); "
        "typed as dict[str, Any]",
    ):
        body["content"] = {ct: {"schema": copy.deepcopy(_LOOSE_OBJECT)} for ct in body["content"]}
        operation["requestBody"] = body
        state.changed = True


def _loosen_parameters(
    adapted: Adapted,
    settings: Settings,
    operation: dict[str, Any],
    label: str,
    detail: str,
    state: _Round,
) -> None:
    spec = adapted.spec
    parameters = operation.get("parameters")
    if not isinstance(parameters, list):
        return
    loosened = False
    resolved = [resolve_ref(spec, raw) for raw in parameters]
    complex_ones = {
        i
        for i, p in enumerate(resolved)
        if isinstance(p, dict) and not _is_simple(spec, p.get("schema"))
    }
    if not complex_ones:  # e.g. an array in a header: only scalars are sure to be sendable
        complex_ones = {
            i
            for i, p in enumerate(resolved)
            if isinstance(p, dict)
            and p.get("in") != "path"
            and not _is_scalar(spec, p.get("schema"))
        }
    for index, raw in enumerate(parameters):
        parameter = resolve_ref(spec, raw)
        if not isinstance(parameter, dict) or index not in complex_ones:
            continue
        parameter = copy.deepcopy(parameter)
        if not adapted.note(
            settings,
            "unrepresentable_schema",
            label,
            f"{parameter.get('in')} parameter {parameter.get('name')!r}: openapi-python-client "
            f"cannot send it ({excerpt(detail, 100)}); typed as str",
        ):
            return
        parameter["schema"] = {"type": "string"}
        parameters[index] = parameter
        loosened = True
    state.changed = state.changed or loosened
