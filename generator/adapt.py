"""Policies applied to a copy of the document before openapi-python-client reads it.

Real documents have operations without tags or operationIds, parameters named like the SDK's own
arguments, bodies in content types a typed client cannot model. Each such case has a policy in
``settings.policies`` (see ``POLICY_CHOICES``): by default the document is adapted and every
adaptation is reported by name; with ``refuse`` (or ``--strict``) it is a located refusal. The
committed document is never modified.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from .allof import lower_allof
from .errors import GenerationError
from .normalize import drop_invalid_defaults, inline_deep_refs
from .nullable import split_nullable_components
from .preprocess import choose_content_type
from .settings import POLICY_CHOICES, Settings
from .source import excerpt, pointer
from .validate import (
    HTTP_METHODS,
    operation_label,
    parameter_name,
    resolve_ref,
    sdk_name,
    tag_name,
)

#: Content types openapi-python-client models for request bodies.
_BODY_TYPES = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")
_SYMBOL_CHARS = re.compile(r"[^0-9A-Za-z_]")
_SYMBOLS = {"<": "lt", ">": "gt", "=": "eq", "!": "not", "[": "", "]": "", "*": "any"}


@dataclass(frozen=True)
class Adaptation:
    """One change made to the document so it generates, named by the policy that made it."""

    policy: str
    subject: str
    detail: str

    def render(self) -> str:
        return f"[{self.policy}] {self.subject}: {self.detail}"


@dataclass
class Adapted:
    """The adapted copy of the document and what was done to it."""

    spec: dict[str, Any]
    adaptations: list[Adaptation] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    #: Component schemas left out by ``exclude:`` (``#/components/schemas/Name``): typed Any.
    excluded_schemas: list[str] = field(default_factory=list)
    #: (METHOD, path, location, name in the adapted document) -> (wire name, Python name).
    wire_names: dict[tuple[str, str, str, str], tuple[str, str]] = field(default_factory=dict)
    #: Content type -> the one openapi-python-client parses it as.
    content_type_overrides: dict[str, str] = field(default_factory=dict)
    #: Problems a ``refuse`` policy turned into refusals.
    refusals: list[str] = field(default_factory=list)
    #: Oddities that do not change what is generated.
    warnings: list[str] = field(default_factory=list)
    #: Operation label -> the parts of it already loosened (``body``, ``parameters``).
    loosened: dict[str, set[str]] = field(default_factory=dict)

    def note(self, settings: Settings, policy: str, subject: str, detail: str) -> bool:
        """Record an adaptation, or a refusal when the policy says so; True when adapting."""
        if settings.adapts(policy):
            self.adaptations.append(Adaptation(policy, subject, detail))
            return True
        choice = POLICY_CHOICES[policy][0]
        self.refusals.append(
            f"{subject}: {detail} (policy {policy}: refuse; to adapt instead: "
            f"`policies: {{{policy}: {choice}}}` in the config)"
        )
        return False


def count_operations(spec: dict[str, Any]) -> int:
    paths = spec.get("paths") or {}
    return sum(
        1
        for item in paths.values()
        if isinstance(item, dict)
        for method in HTTP_METHODS
        if isinstance(item.get(method), dict)
    )


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found: list[tuple[str, str, dict[str, Any]]] = []
    for path, item in (spec.get("paths") or {}).items():
        if isinstance(item, dict):
            for method in HTTP_METHODS:
                if isinstance(item.get(method), dict):
                    found.append((str(path), method, item[method]))
    return found


def derived_operation_id(method: str, path: str) -> str:
    """``GET /users/{id}/keys`` -> ``get_users_id_keys``: stable across runs and documents."""
    words = re.findall(r"[A-Za-z0-9]+", path)
    return "_".join([method.lower(), *words]) if words else method.lower()


def _exclude(adapted: Adapted, settings: Settings) -> None:
    if not settings.exclude:
        return
    wanted = set(settings.exclude)
    matched: set[str] = set()
    schemas = (adapted.spec.get("components") or {}).get("schemas") or {}
    for entry in sorted(wanted):
        name = entry.removeprefix(SCHEMA_POINTER)
        if entry.startswith(SCHEMA_POINTER) and name in schemas:
            # Its uses stay (a $ref must still resolve): they become Any.
            description = (
                schemas[name].get("description") if isinstance(schemas[name], dict) else None
            )
            schemas[name] = {"description": description} if isinstance(description, str) else {}
            adapted.excluded_schemas.append(name)
            matched.add(entry)
    for path, method, operation in _operations(adapted.spec):
        keys = {f"{method.upper()} {path}", str(operation.get("operationId") or "")}
        hit = wanted & keys
        if hit:
            matched |= hit
            adapted.excluded.append(operation_label(path, method, operation))
            del adapted.spec["paths"][path][method]
    unknown = sorted(wanted - matched)
    if unknown:
        raise GenerationError(
            "refusing to generate: `exclude` (generator config) names no operation of the spec",
            [
                f"{entry!r} is neither an operationId, `METHOD /path` nor "
                f"`{SCHEMA_POINTER}Name` of the document"
                for entry in unknown
            ],
        )


def _tags(adapted: Adapted, settings: Settings) -> None:
    by_python: dict[str, str] = {}
    renamed: dict[str, str] = {}
    for path, method, operation in _operations(adapted.spec):
        label = operation_label(path, method, operation)
        tags = [str(t) for t in operation.get("tags") or [] if str(t).strip()]
        if not tags:
            if adapted.note(
                settings, "untagged", label, f"has no tag; put under {settings.default_tag!r}"
            ):
                tags = [settings.default_tag]
            else:
                continue
        elif len(tags) > 1:
            if adapted.note(
                settings,
                "multiple_tags",
                label,
                f"has tags {', '.join(tags)}; generated under {tags[0]!r}",
            ):
                tags = tags[:1]
            else:
                continue
        tag = renamed.get(tags[0], tags[0])
        tag_py = tag_name(tag, settings)
        if tag_py in settings.reserved_tag_names or tag_py.startswith("_"):
            new = f"{tag}_api"
            if tag not in renamed and adapted.note(
                settings,
                "tag_name",
                f"tag {tag!r}",
                f"sdk.{tag_py} would collide with the package's own attribute; "
                f"using sdk.{tag_name(new, settings)}",
            ):
                renamed[tag] = new
            tag = renamed.get(tag, tag)
            tag_py = tag_name(tag, settings)
        other = by_python.setdefault(tag_py, tag)
        if other != tag and tag not in renamed:
            adapted.note(
                settings,
                "tag_name",
                f"tag {tag!r}",
                f"makes the same namespace sdk.{tag_py} as tag {other!r}; they are merged",
            )
            renamed[tag] = other
        operation["tags"] = [renamed.get(tag, tag)]


def _operation_ids(adapted: Adapted, settings: Settings) -> None:
    """Every operation gets a unique operationId that makes a usable, unique Python name."""
    taken_ids: set[str] = set()
    taken_raw: set[tuple[str, str]] = set()
    taken_names: set[tuple[str, str]] = set()
    for path, method, operation in _operations(adapted.spec):
        label = operation_label(path, method, operation)
        tag_py = tag_name(str((operation.get("tags") or [settings.default_tag])[0]), settings)
        current = operation.get("operationId")
        reason = None
        if not isinstance(current, str) or not current.strip():
            reason = "has no operationId"
        else:
            if current in taken_ids:
                adapted.warnings.append(
                    f"{label}: repeats operationId {current!r} (operationIds should be unique; "
                    "it is generated in its own tag namespace)"
                )
            name = sdk_name(current)
            if not name.isidentifier() or name.startswith("_"):
                reason = f"operationId {current!r} makes no Python name"
            elif name in settings.reserved_operation_names:
                reason = f"operationId {current!r} makes a reserved name"
            elif (tag_py, name) in taken_names:
                reason = f"operationId {current!r} makes sdk.{tag_py}.{name}, already taken"
            elif (tag_py, current) in taken_raw:
                reason = f"repeats operationId {current!r} in tag {tag_py!r}"
        if reason is not None:
            base = derived_operation_id(method, path)
            candidate, counter = base, 1
            while candidate in taken_ids or (tag_py, sdk_name(candidate)) in taken_names:
                counter += 1
                candidate = f"{base}_{counter}"
            if not adapted.note(
                settings,
                "operation_id",
                label,
                f"{reason}; named {candidate!r} (from method and path)",
            ):
                continue
            operation["operationId"] = candidate
        taken_ids.add(str(operation["operationId"]))
        taken_raw.add((tag_py, str(operation["operationId"])))
        taken_names.add((tag_py, sdk_name(str(operation["operationId"]))))


def _python_alias(raw: str, taken: set[str], settings: Settings) -> str:
    """Another Python name for a parameter whose own is taken.

    An SDK argument's name gets a trailing ``_`` (``client`` -> ``client_``); a name that only
    differs by symbols gets them spelt out (``StartTime<`` -> ``start_time_lt``); else a number.
    """
    python = parameter_name(raw, settings)
    suffix = "".join(f"_{_SYMBOLS[c]}" for c in raw if _SYMBOLS.get(c))
    candidates = [f"{python}{suffix}"] if suffix else []
    candidates.append(f"{python}_")
    candidates += [f"{python}_{n}" for n in range(2, 100)]
    for candidate in candidates:
        if candidate not in taken and candidate.isidentifier():
            return candidate
    raise GenerationError(f"cannot find a Python name for parameter {raw!r}")  # pragma: no cover


def _parameters(adapted: Adapted, settings: Settings) -> None:
    spec = adapted.spec
    for path, item in list((spec.get("paths") or {}).items()):
        if not isinstance(item, dict):
            continue
        shared = [resolve_ref(spec, p) for p in item.get("parameters") or []]
        materialize = False
        plans: list[tuple[str, dict[str, Any], list[dict[str, Any]]]] = []
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            merged: dict[tuple[str, str], dict[str, Any]] = {}
            for raw in [
                *shared,
                *(resolve_ref(spec, p) for p in operation.get("parameters") or []),
            ]:
                if isinstance(raw, dict) and "name" in raw and "in" in raw:
                    merged[(str(raw["name"]), str(raw["in"]))] = raw
            params = [copy.deepcopy(p) for p in merged.values()]
            label = operation_label(path, method, operation)
            changed = False
            taken = {parameter_name(str(p["name"]), settings) for p in params if p["in"] == "path"}
            taken |= set(settings.reserved_parameter_names)
            # Plain names claim their Python name before names with symbols (``size`` before
            # ``size>``), so the renamed one is the one that needed spelling out anyway.
            for parameter in sorted(
                params, key=lambda p: bool(_SYMBOL_CHARS.search(str(p["name"])))
            ):
                location = parameter["in"]
                if (
                    "schema" not in parameter
                    and location != "path"
                    and adapted.note(
                        settings,
                        "parameter_without_schema",
                        label,
                        f"{location} parameter {parameter['name']!r} has no schema; "
                        "sent as a string",
                    )
                ):
                    parameter.pop("content", None)
                    parameter["schema"] = {"type": "string"}
                    changed = True
                if parameter["in"] == "path":
                    continue
                wire = str(parameter["name"])
                python = parameter_name(wire, settings)
                if python in taken:
                    alias = _python_alias(wire, taken, settings)
                    what = (
                        "an SDK argument"
                        if python in settings.reserved_parameter_names
                        else "another parameter"
                    )
                    if adapted.note(
                        settings,
                        "parameter_name",
                        label,
                        f"{parameter['in']} parameter {wire!r} would shadow {what} ({python!r}); "
                        f"its Python name is {alias!r}, sent as {wire!r}",
                    ):
                        parameter["name"] = alias
                        key = (method.upper(), path, str(parameter["in"]), alias)
                        adapted.wire_names[key] = (wire, alias)
                        python = alias
                        changed = True
                taken.add(python)
            plans.append((method, operation, params))
            materialize = materialize or changed
        if materialize:
            # Parameters are copied into each operation (renames apply per operation).
            item.pop("parameters", None)
            for _method, operation, params in plans:
                operation["parameters"] = params


def _media_types(content: Any) -> list[str]:
    return [str(c) for c in content] if isinstance(content, dict) else []


def _is_supported_body(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media in _BODY_TYPES or media.endswith("+json") or media == "application/octet-stream"


def _is_supported_response(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return (
        media.startswith("text/")
        or media in ("application/json", "application/octet-stream")
        or media.endswith("+json")
    )


_BINARY = {"type": "string", "format": "binary"}
#: How ``exclude:`` names a component schema.
SCHEMA_POINTER = "#/components/schemas/"


def _bodies(adapted: Adapted, settings: Settings) -> None:
    spec = adapted.spec
    components = spec.get("components") or {}
    bodies: list[tuple[str, Any]] = [
        (f"components/requestBodies/{name}", body)
        for name, body in (components.get("requestBodies") or {}).items()
    ]
    for path, method, operation in _operations(spec):
        label = operation_label(path, method, operation)
        bodies.append((label, operation.get("requestBody")))
        for code, response in (operation.get("responses") or {}).items():
            _response_body(adapted, settings, label, str(code), resolve_ref(spec, response))
    for subject, body in bodies:
        if not isinstance(body, dict) or "$ref" in body:
            continue
        content = body.get("content")
        offered = _media_types(content)
        if not offered:
            continue
        assert isinstance(content, dict)
        chosen = choose_content_type(offered, settings) or offered[0]
        if len(offered) > 1:
            body["content"] = {chosen: content[chosen]}
            adapted.adaptations.append(
                Adaptation(
                    "request_content_type",
                    subject,
                    f"request body offered {', '.join(offered)}; using {chosen}",
                )
            )
        media = body["content"][chosen]
        if not _is_supported_body(chosen):
            if adapted.note(
                settings,
                "non_json_body",
                subject,
                f"{chosen} request body is sent as bytes (a types.File)",
            ):
                adapted.content_type_overrides[chosen] = "application/octet-stream"
                body["content"][chosen] = {"schema": dict(_BINARY)}
        elif (not isinstance(media, dict) or "schema" not in media) and adapted.note(
            settings,
            "non_json_body",
            subject,
            f"{chosen} request body has no schema; sent as bytes (a types.File)",
        ):
            adapted.content_type_overrides[chosen] = "application/octet-stream"
            body["content"][chosen] = {"schema": dict(_BINARY)}
        elif (
            _is_octet_stream(chosen)
            and isinstance(media, dict)
            and not _is_binary(resolve_ref(adapted.spec, media.get("schema")))
            and adapted.note(
                settings,
                "non_json_body",
                subject,
                f"{chosen} request body of schema {excerpt(media.get('schema'))} is sent as "
                "bytes (a types.File)",
            )
        ):
            # openapi-python-client sends an octet-stream body as a File's payload, whatever its
            # schema says (``format: byte`` made a ``str`` body that has no ``.payload``).
            body["content"][chosen] = {**media, "schema": dict(_BINARY)}


def _is_binary(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("format") == "binary"


def _is_octet_stream(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() == "application/octet-stream"


def _response_body(
    adapted: Adapted, settings: Settings, label: str, code: str, response: Any
) -> None:
    if not isinstance(response, dict):
        return
    offered = _media_types(response.get("content"))
    if not offered or any(_is_supported_response(c) for c in offered):
        return
    chosen = offered[0]
    if adapted.note(
        settings,
        "non_json_body",
        label,
        f"response {code} in {chosen} is returned as bytes (a types.File)",
    ):
        adapted.content_type_overrides[chosen] = "application/octet-stream"
        response["content"] = {chosen: {"schema": dict(_BINARY)}}


def adapt_spec(spec: dict[str, Any], settings: Settings) -> Adapted:
    """Apply every pre-parse policy to a deep copy of ``spec``."""
    adapted = Adapted(spec=copy.deepcopy(spec))
    _optional_fields(adapted)
    lower_allof(adapted.spec)  # an equivalent document, so not an adaptation to report
    _exclude(adapted, settings)
    inline_deep_refs(adapted.spec)
    drop_invalid_defaults(adapted.spec, settings, adapted.note)
    split_nullable_components(adapted.spec)
    _inline_response_refs(adapted)
    _tags(adapted, settings)
    _operation_ids(adapted, settings)
    _parameters(adapted, settings)
    _bodies(adapted, settings)
    if adapted.refusals:
        raise GenerationError(
            "refusing to generate: the spec needs adaptations that the policies refuse",
            adapted.refusals,
        )
    return adapted


def _optional_fields(adapted: Adapted) -> None:
    """OpenAPI 3.1 made ``paths`` and an operation's ``responses`` optional; openapi-python-client
    0.29.1 still requires both, so the copy it reads gets empty ones (a webhooks-only document
    makes an SDK of models; an operation without responses returns its ``httpx.Response``)."""
    spec = adapted.spec
    if spec.get("paths") is None:
        spec["paths"] = {}
    for _path, _method, operation in _operations(spec):
        if operation.get("responses") is None:
            operation["responses"] = {}


def _inline_response_refs(adapted: Adapted) -> None:
    """Responses given by ``$ref`` are copied in, so a per-operation policy touches one copy."""
    spec = adapted.spec
    for _path, _method, operation in _operations(spec):
        responses = operation.get("responses")
        if isinstance(responses, dict):
            for code, response in list(responses.items()):
                if isinstance(response, dict) and "$ref" in response:
                    target = resolve_ref(spec, response)
                    if isinstance(target, dict) and "$ref" not in target:
                        responses[code] = copy.deepcopy(target)


def operation_pointer(path: str, method: str) -> str:
    return pointer("paths", path, method)
