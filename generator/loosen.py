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
from openapi_python_client.parser.errors import ParseError
from openapi_python_client.parser.openapi import Endpoint, EndpointCollection
from openapi_python_client.parser.properties import (
    EnumProperty,
    LiteralEnumProperty,
    ModelProperty,
    Parameters,
    Schemas,
    build_parameters,
    build_schemas,
)
from openapi_python_client.schema.openapi_schema_pydantic import Components, OpenAPI
from openapi_python_client.strings import pascal_case, snake_case
from pydantic import ValidationError

from .adapt import Adapted
from .errors import GenerationError
from .fastparse import cheap_endpoint_copies
from .guard import reported_as_bug
from .messages import brief, readable
from .plan import raw_text, with_remedy
from .settings import Settings
from .source import Source, excerpt, pointer
from .structure import NAME_MAPS, is_opaque, walk_mappings
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
_SCHEMAS_PREFIX = "/components/schemas/"
_WHERE = re.compile(r"parsing (?P<method>[A-Z]+) (?P<path>\S+) within")
_LOOSE_OBJECT: dict[str, Any] = {"type": "object", "additionalProperties": {}}


@dataclass
class _Round:
    changed: bool = False


def parse_adapted(
    adapted: Adapted, config: Config, settings: Settings, source: Source
) -> GeneratorData:
    """Parse ``adapted.spec``, adapting it further in place, until nothing is left out.

    While component schemas fail, a round parses only ``components`` (validation and models):
    operations are parsed once the models are settled, which saves seconds per round on a large
    document. The models of the last, clean components round are those the whole parse that
    follows would build from the same schemas: it takes them instead of building them again.
    """
    _fix_enums(adapted, settings, source)
    _fix_pattern_properties(adapted, settings, source)
    _fix_union_titles(adapted, settings, source)
    _fix_reserved_names(adapted, settings, source)
    components_only = True
    last: GeneratorData | None = None
    for _ in range(MAX_ROUNDS * 2):
        state = _Round()
        built: Schemas | None = None
        if components_only:
            built = _component_schemas(adapted.spec, config)
            if built is not None and built.errors:
                _fix_components(adapted, settings, source, list(built.errors), state)
                if state.changed:
                    continue
            components_only = False
        try:
            openapi = OpenAPI.model_validate(adapted.spec)
        except ValidationError as exc:
            _fix_keywords(adapted, settings, source, exc, state)
            if not state.changed:  # pragma: no cover - _fix_keywords refuses instead
                break
            components_only = True
            continue
        data = last = parse_quietly(openapi, config, built)
        if not data.errors and not _endpoint_errors(data):
            return data
        if data.errors:
            _fix_components(adapted, settings, source, data.errors, state)
            components_only = state.changed
        if not state.changed:
            _fix_endpoints(adapted, settings, data, state)
        if not state.changed:
            break
    if adapted.refusals:
        raise GenerationError(
            "refusing to generate: the spec needs adaptations that the policies refuse",
            adapted.refusals,
        )
    problems = _leftovers(adapted, last) if last is not None else []
    raise GenerationError(
        "refusing to generate: openapi-python-client cannot represent parts of the spec, even "
        "loosely typed",
        problems or ["(no details)"],
    )


def _component_schemas(spec: dict[str, Any], config: Config) -> Schemas | None:
    """openapi-python-client's models of the component schemas alone, with its errors (None when
    they do not validate: the whole-document round that follows locates that)."""
    try:
        components = Components.model_validate(spec.get("components") or {})
    except ValidationError:
        return None
    if not components.schemas:
        return Schemas()
    captured = io.StringIO()
    with (
        reported_as_bug("openapi-python-client parsed the component schemas"),
        redirect_stdout(captured),
        redirect_stderr(captured),
    ):
        return build_schemas(components=components.schemas, schemas=Schemas(), config=config)


def _endpoint_errors(data: GeneratorData) -> list[ParseError]:
    return [e for c in data.endpoint_collections_by_tag.values() for e in c.parse_errors]


def parse_quietly(
    openapi: OpenAPI, config: Config, component_schemas: Schemas | None = None
) -> GeneratorData:
    """openapi-python-client's parse of a validated document, its console output swallowed, its
    crashes located. Mirrors ``GeneratorData.from_dict`` of 0.29.1 after its validation (which
    would otherwise run twice: we validate first, to fix what pydantic rejects).

    ``component_schemas``: the models of ``openapi``'s component schemas, already built (by
    ``_component_schemas`` on the same document; the parse adds to them, so each is used once).
    """
    captured = io.StringIO()
    with (
        reported_as_bug("openapi-python-client parsed the document"),
        redirect_stdout(captured),
        redirect_stderr(captured),
        cheap_endpoint_copies(),
    ):
        schemas = Schemas()
        parameters = Parameters()
        components = openapi.components
        if component_schemas is not None:
            schemas = component_schemas
        elif components and components.schemas:
            schemas = build_schemas(components=components.schemas, schemas=schemas, config=config)
        if components and components.parameters:
            parameters = build_parameters(
                components=components.parameters, parameters=parameters, config=config
            )
        collections, schemas, parameters = EndpointCollection.from_data(
            data=openapi.paths,
            schemas=schemas,
            parameters=parameters,
            request_bodies=(components and components.requestBodies) or {},
            responses=(components and components.responses) or {},
            config=config,
        )
    classes = schemas.classes_by_name.values()
    return GeneratorData(
        title=openapi.info.title,
        description=openapi.info.description,
        version=openapi.info.version,
        endpoint_collections_by_tag=collections,
        models=[prop for prop in classes if isinstance(prop, ModelProperty)],
        errors=[*schemas.errors, *parameters.errors],
        enums=[prop for prop in classes if isinstance(prop, EnumProperty | LiteralEnumProperty)],
    )


def _leftovers(adapted: Adapted, data: GeneratorData) -> list[str]:
    schemas = (adapted.spec.get("components") or {}).get("schemas") or {}
    found = []
    for error in data.errors:
        text = brief(readable(f"{error.header} {error.detail or ''}", error), 300)
        name = _component_name(f"{error.header} {error.detail or ''}", schemas)
        found.append(with_remedy(f"schema {name!r}: {text}" if name else text))
    for error in _endpoint_errors(data):
        match = _WHERE.search(error.header)
        text = brief(readable(error.detail or error.header, error), 300)
        where = f"operation {match['method']} {match['path']}" if match else "an operation"
        found.append(with_remedy(f"{where}: {text}"))
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


# -- enums whose values make the same Python name ---------------------------------------------


def _enum_clash(schema: dict[str, Any]) -> tuple[str, str, str] | None:
    """Two values of ``schema['enum']`` that openapi-python-client 0.29.1 names alike, and the name.

    It names a string value by upper-casing it (``VALUE_<i>`` when it does not start with a
    letter) or by ``x-enum-varnames``, then snake-cases the name: ``asc`` and ``ASC`` both make
    ``ASC`` (it raises ValueError), ``a-b`` and ``a_b`` both make ``A_B`` (one is silently lost).
    """
    values = [v for v in schema["enum"] if v is not None]
    if not values or not all(isinstance(v, str) for v in values):
        return None
    var_names = schema.get("x-enum-varnames")
    use_var_names = isinstance(var_names, list) and len(var_names) == len(values)
    taken: dict[str, str] = {}
    for index, value in enumerate(values):
        if use_var_names:
            assert isinstance(var_names, list)
            key = str(var_names[index])
        elif value and value[0].isalpha():
            key = value.upper()
        else:
            key = f"VALUE_{index}"
        for name in (key, snake_case(key).upper()):
            if name in taken and taken[name] != value:
                return taken[name], value, name
        taken[snake_case(key).upper()] = value
    return None


def _schemas_with_enum(node: Any, location: tuple[str | int, ...]) -> Any:
    """``(location, schema)`` of each mapping with an ``enum`` list (extensions, data skipped)."""
    return _schemas_with(node, location, "enum", list)


def _schemas_with(node: Any, location: tuple[str | int, ...], keyword: str, kind: type) -> Any:
    """``(location, schema)`` of each mapping whose ``keyword`` is a ``kind`` (extensions, data
    and maps of names skipped)."""
    for current, where in walk_mappings(node, location):
        parent = str(where[-1]) if where else ""
        if isinstance(current.get(keyword), kind) and parent not in NAME_MAPS:
            yield where, current


def _subject(spec: dict[str, Any], where: tuple[str | int, ...], source: Source) -> str:
    """How a report names the schema or operation a location belongs to."""
    if where[:2] == ("components", "schemas") and len(where) > 2:
        return _schema_subject(str(where[2]), source)
    if where[:1] == ("paths",) and len(where) > 2:
        operation = (spec.get("paths") or {}).get(where[1], {})
        if isinstance(operation, dict) and isinstance(operation.get(where[2]), dict):
            return operation_label(str(where[1]), str(where[2]), operation[where[2]])
    return pointer(*where)


def _fix_enums(adapted: Adapted, settings: Settings, source: Source) -> None:
    """Enums whose values would make the same member name become plain strings (no value lost)."""
    found = [
        (where, schema, clash)
        for where, schema in _schemas_with_enum(adapted.spec, ())
        if (clash := _enum_clash(schema)) is not None
    ]
    for where, schema, (first, second, name) in sorted(found, key=lambda f: [str(p) for p in f[0]]):
        location = source.where(pointer(*where, "enum"))
        if adapted.note(
            settings,
            "unrepresentable_schema",
            _subject(adapted.spec, where, source),
            f"enum values {excerpt(first, 30)!r} and {excerpt(second, 30)!r} both make the Python "
            f"name {name} ({location}); typed as str",
        ):
            del schema["enum"]
            schema.pop("x-enum-varnames", None)
            if "type" not in schema:
                schema["type"] = "string"


def _fix_pattern_properties(adapted: Adapted, settings: Settings, source: Source) -> None:
    """Properties named by a pattern (``patternProperties``, which openapi-python-client ignores)
    are typed as the object's additional properties. Beside ``additionalProperties: false`` its
    model parsed every one of them away (SendGrid's contact search: results keyed by address).
    An object open to any other property keeps them already and is left alone; the keyword stays
    for the record (openapi-python-client reads past it)."""
    found = list(_schemas_with(adapted.spec, (), "patternProperties", dict))
    for where, schema in sorted(found, key=lambda f: [str(p) for p in f[0]]):
        extra = schema.get("additionalProperties", True)
        if extra is True or extra == {}:
            continue
        values = [
            {} if value is True else value
            for value in schema["patternProperties"].values()
            if value is not False
        ]
        if isinstance(extra, dict):
            values.append(extra)
        if not values:
            continue
        names = ", ".join(excerpt(str(p), 40) for p in schema["patternProperties"])
        if adapted.note(
            settings,
            "unrepresentable_schema",
            _subject(adapted.spec, where, source),
            f"properties named by a pattern ({names}; {source.where(pointer(*where))}) are typed "
            "as additional properties (names unchecked)",
        ):
            extra = values[0] if len(values) == 1 else {"anyOf": values}
            schema["additionalProperties"] = copy.deepcopy(extra)


# -- union members with the same title --------------------------------------------------------


def _fix_union_titles(adapted: Adapted, settings: Settings, source: Source) -> None:
    """Union members titled alike get distinct titles.

    openapi-python-client names a union member's variables after its title: two members titled
    ``array`` (a list of strings, a list of integers) share a variable of two types, which mypy
    rejects.
    """
    for node, where in walk_mappings(adapted.spec):
        parent = str(where[-1]) if where else ""
        for key in ("oneOf", "anyOf"):
            members = node.get(key)
            if isinstance(members, list) and parent not in NAME_MAPS:
                _merge_arrays(adapted, settings, source, members, (*where, key))
                _distinct_titles(adapted, settings, source, members, (*where, key))


def _merge_arrays(
    adapted: Adapted,
    settings: Settings,
    source: Source,
    members: list[Any],
    where: tuple[str | int, ...],
) -> None:
    """Several array members of one union become one array of any of their item types.

    openapi-python-client tells union members apart with ``isinstance``: every array is a
    ``list``, so the first array member takes any list (its code does not even type-check).
    """
    arrays = [
        index
        for index, member in enumerate(members)
        if isinstance(resolved := resolve_ref(adapted.spec, member), dict)
        and resolved.get("type") == "array"
    ]
    if len(arrays) < 2:
        return
    if not adapted.note(
        settings,
        "unrepresentable_schema",
        _subject(adapted.spec, where, source),
        f"union at {source.where(pointer(*where))} has {len(arrays)} array members, which "
        "openapi-python-client cannot tell apart; one array of any of their item types",
    ):
        return
    items = []
    for index in arrays:
        item = resolve_ref(adapted.spec, members[index]).get("items", {})
        if item not in items:
            items.append(copy.deepcopy(item))
    merged = {"type": "array", "items": {"anyOf": items} if len(items) > 1 else items[0]}
    first = arrays[0]
    members[:] = [m for i, m in enumerate(members) if i not in arrays[1:]]
    members[first] = merged


def _distinct_titles(
    adapted: Adapted,
    settings: Settings,
    source: Source,
    members: list[Any],
    where: tuple[str | int, ...],
) -> None:
    seen: dict[str, int] = {}
    for member in members:
        if not isinstance(member, dict) or not isinstance(member.get("title"), str):
            continue
        name = pascal_case(member["title"])
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1 and adapted.note(
            settings,
            "model_name",
            _subject(adapted.spec, where, source),
            f"union members at {source.where(pointer(*where))} share the title "
            f"{member['title']!r}; this one is titled '{member['title']} {seen[name]}'",
        ):
            member["title"] = f"{member['title']} {seen[name]}"


# -- model names the generated modules import -------------------------------------------------

#: Names the generated modules import (typing's, the runtime's, openapi-python-client's property
#: types): a model class of the same name would shadow the import in every module that uses
#: both (``Any``, ``File``, ``Response``, ``Client`` ...). Model class names are PascalCase, so
#: only those can collide.
RESERVED_MODEL_NAMES = frozenset(
    {
        # typing and collections.abc
        "Any",
        "AsyncIterator",
        "BinaryIO",
        "Callable",
        "Iterator",
        "Literal",
        "Mapping",
        "NotRequired",
        "Self",
        "TextIO",
        "TypedDict",
        "TypeVar",
        # enum, io, uuid, datetime
        "BytesIO",
        "IntEnum",
        "StrEnum",
        "UUID",
        # the package's and the runtime's
        "ApiConnectionError",
        "ApiError",
        "ApiTimeoutError",
        "AuthenticatedClient",
        "Client",
        "ConfiguredBinding",
        "File",
        "FileTypes",
        "InvalidData",
        "Response",
        "SdkError",
        "SessionClient",
        "StaticTokenAuth",
        "TokenBinding",
        "TokenSet",
        "Unset",
        "UNSET",
    }
)


def _fix_reserved_names(adapted: Adapted, settings: Settings, source: Source) -> None:
    """Component schemas whose model would be named like an import of the generated modules
    are named ``<Name>Model`` (policy model_name)."""
    schemas = (adapted.spec.get("components") or {}).get("schemas") or {}
    if not isinstance(schemas, dict):
        return
    # by module name: ``UnsetModel`` and ``UNSETModel`` would share models/unset_model.py
    taken = {
        snake_case(pascal_case(str(s.get("title") or k)))
        for k, s in schemas.items()
        if isinstance(s, dict)
    }
    for name, schema in schemas.items():
        if not isinstance(schema, dict):
            continue
        own = pascal_case(str(schema.get("title") or name))
        if own not in RESERVED_MODEL_NAMES:
            continue
        candidate, counter = f"{own}Model", 1
        while snake_case(candidate) in taken:
            counter += 1
            candidate = f"{own}Model{counter}"
        if adapted.note(
            settings,
            "model_name",
            _schema_subject(name, source),
            f"its model name {own!r} is a name the generated modules import; named {candidate!r}",
        ):
            schema["title"] = candidate
            taken.add(snake_case(candidate))


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


def _component_name(text: str, schemas: dict[str, Any]) -> str | None:
    """The component schema a message names: the longest name its ``/components/schemas/`` text
    starts with (openapi-python-client appends inline parts, and names may contain spaces)."""
    at = text.find(_SCHEMAS_PREFIX)
    if at < 0:
        return None
    rest = text[at + len(_SCHEMAS_PREFIX) :]
    candidates = [name for name in schemas if rest.startswith(name)]
    return max(candidates, key=len) if candidates else None


def _schema_subject(name: str, source: Source) -> str:
    """``schema 'Name' (file:line /components/schemas/Name)``."""
    return f"schema {name!r} ({source.where(pointer('components', 'schemas', name))})"


def _fix_components(
    adapted: Adapted,
    settings: Settings,
    source: Source,
    errors: list[ParseError],
    state: _Round,
) -> None:
    """Rename the schemas whose model names collide; loosen the ones that fail on their own.

    Both in one round (a schema that fails because a schema it uses fails waits for the next):
    each round is a whole parse, which takes seconds on a large document.
    """
    schemas: dict[str, Any] = adapted.spec.get("components", {}).get("schemas", {})
    failing: dict[str, str] = {}
    for error in errors:
        name = _component_name(f"{error.header} {error.detail or ''}", schemas)
        if name is not None:
            failing.setdefault(name, readable(error.detail or error.header, error))
    taken = {
        pascal_case(str(s.get("title") or k)) for k, s in schemas.items() if isinstance(s, dict)
    }
    renamed = adapted.loosened.setdefault("(model names)", set())
    just_renamed: set[str] = set()
    for name in sorted(failing):
        duplicate = _DUPLICATE_NAME.search(failing[name])
        if duplicate is None or name in renamed:
            continue  # a schema renamed once and still colliding is loosened below
        renamed.add(name)
        just_renamed.add(name)
        schema = schemas[name]
        if not isinstance(schema, dict):
            continue
        own = pascal_case(str(schema.get("title") or name))
        if duplicate["name"] != own:  # an inline model of this schema collides
            if adapted.note(
                settings,
                "model_name",
                _schema_subject(name, source),
                f"its inline model {duplicate['name']!r} is named like another schema's; its "
                f"inline models are named after it ('{pascal_case(name)}…')",
            ):
                _prefix_inline_titles(schema, pascal_case(name))
                state.changed = True
            continue
        base = pascal_case(name)
        candidate, counter = base, 1
        while candidate in taken:
            counter += 1
            candidate = f"{base}{counter}"
        if adapted.note(
            settings,
            "model_name",
            _schema_subject(name, source),
            f"its model name {own!r} is taken by another schema; named {candidate!r}",
        ):
            schema["title"] = candidate
            taken.add(candidate)
            state.changed = True
    for name in sorted(failing):
        if _refs(schemas[name]) & (set(failing) - {name}) or name in just_renamed:
            continue  # fails because a schema it uses fails: fixing that one may be enough
        why = failing[name]
        original = schemas[name]
        loose = _loose_schema(original)
        kind = "dict[str, Any]" if loose else "Any"
        if adapted.note(
            settings,
            "unrepresentable_schema",
            _schema_subject(name, source),
            f"openapi-python-client cannot model it ({brief(why)}); typed as {kind}",
        ):
            if isinstance(original, dict) and isinstance(original.get("description"), str):
                loose["description"] = original["description"]
            schemas[name] = loose
            state.changed = True


def _loose_schema(original: Any) -> dict[str, Any]:
    """What replaces a schema openapi-python-client cannot model: an object stays an object (a
    free-form one), so schemas that take it in ``allOf`` still can; anything else is Any."""
    if isinstance(original, dict) and (
        original.get("type") == "object" or "properties" in original or "allOf" in original
    ):
        return copy.deepcopy(_LOOSE_OBJECT)
    return {}


_DUPLICATE_NAME = re.compile(r'duplicate models with name "?(?P<name>[A-Za-z0-9_]+)')


def _prefix_inline_titles(schema: dict[str, Any], prefix: str) -> None:
    """Every titled inline schema below ``schema`` gets its title prefixed (its model's name)."""
    stack: list[tuple[Any, str]] = [(value, str(key)) for key, value in schema.items()]
    while stack:
        node, key = stack.pop()
        if isinstance(node, dict):
            if key not in NAME_MAPS and isinstance(node.get("title"), str):
                node["title"] = f"{prefix} {node['title']}"
            stack.extend(
                (value, str(k))
                for k, value in node.items()
                if isinstance(value, dict | list) and not is_opaque(key, str(k), value)
            )
        elif isinstance(node, list):
            stack.extend((value, "") for value in node)


# -- operations -------------------------------------------------------------------------------


def _endpoint(data: GeneratorData, method: str, path: str) -> Endpoint | None:
    for collection in data.endpoint_collections_by_tag.values():
        for endpoint in collection.endpoints:
            if endpoint.method.upper() == method and raw_text(endpoint.path) == path:
                return endpoint
    return None


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


#: openapi-python-client's "X is not allowed in header" (its types for dates, files, models).
_NOT_ALLOWED_IN = re.compile(r"is not allowed in (?P<location>query|header|path|cookie)\b")
_PLAIN_FORMATS = {None, "uuid", "int32", "int64", "float", "double"}


def _is_plain(spec: dict[str, Any], schema: Any) -> bool:
    """A scalar openapi-python-client accepts in any parameter location (str, int, float, bool)."""
    schema = resolve_ref(spec, schema)
    if not _is_scalar(spec, schema):
        return False
    return isinstance(schema, dict) and schema.get("format") in _PLAIN_FORMATS


def _is_scalar(spec: dict[str, Any], schema: Any) -> bool:
    schema = resolve_ref(spec, schema)
    return _is_simple(spec, schema) and isinstance(schema, dict) and schema.get("type") != "array"


def _fix_endpoints(
    adapted: Adapted, settings: Settings, data: GeneratorData, state: _Round
) -> None:
    """Loosen the part of each dropped operation that fails, or the next suspect part.

    openapi-python-client replaces the header of an endpoint's error, so a message often does not
    say whether a parameter or the body failed. Each round loosens one more part of an operation
    that still fails, most likely first: parameters for "not allowed in <location>", else the
    body when there is one, then the parameters; responses are loosened one by one as they fail.
    """
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
        detail = readable(error.detail or error.header, error)
        whole = "will not be generated" in error.header
        if "Cannot parse response" in detail or not whole:
            _loosen_responses(
                adapted, settings, data, method, path, operation, label, detail, state
            )
            continue
        tried = adapted.loosened.setdefault(label, set())
        suspects = ["parameters", "body"]
        if operation.get("requestBody") is not None and not _NOT_ALLOWED_IN.search(detail):
            suspects = ["body", "parameters"]
        for part in suspects:
            if part in tried:
                continue
            tried.add(part)
            before = len(adapted.adaptations)
            if part == "body":
                _loosen_body(adapted, settings, operation, label, detail, state)
            else:
                _loosen_parameters(adapted, settings, path, operation, label, detail, state)
            if len(adapted.adaptations) > before or adapted.refusals:
                break


def _own_parameters(spec: dict[str, Any], path: str, operation: dict[str, Any]) -> None:
    """Copy the path item's parameters into the operation, so loosening one touches it alone."""
    shared = (spec.get("paths") or {}).get(path, {}).get("parameters")
    if not isinstance(shared, list) or not shared:
        return
    own: list[Any] = operation.get("parameters") or []
    if not isinstance(own, list):
        return
    keys = set()
    for raw in own:
        resolved = resolve_ref(spec, raw)
        if isinstance(resolved, dict):
            keys.add((resolved.get("name"), resolved.get("in")))
    inherited = []
    for raw in shared:
        resolved = resolve_ref(spec, raw)
        if isinstance(resolved, dict) and (resolved.get("name"), resolved.get("in")) not in keys:
            inherited.append(copy.deepcopy(raw))
    operation["parameters"] = [*inherited, *own]


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
        parsed = {raw_text(r.status_code.pattern) for r in endpoint.responses.patterns}
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
            f"response {code}: openapi-python-client cannot model it ({brief(detail)}); "
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
    media = next(iter(body["content"].values()), None)
    schema = media.get("schema") if isinstance(media, dict) else None
    loose = _loose_body_schema(resolve_ref(adapted.spec, schema))
    kind = "list[Any]" if loose.get("type") == "array" else "dict[str, Any]"
    if adapted.note(
        settings,
        "unrepresentable_schema",
        label,
        f"request body: openapi-python-client cannot model it ({brief(detail)}); typed as {kind}",
    ):
        body["content"] = {ct: {"schema": copy.deepcopy(loose)} for ct in body["content"]}
        operation["requestBody"] = body
        state.changed = True


def _loose_body_schema(original: Any) -> dict[str, Any]:
    """What replaces a request body's schema openapi-python-client cannot model: an array stays
    an array (of Any), so the SDK still sends the list the document asks for; anything else is
    a free-form object (an SDK body argument needs a type to take)."""
    if isinstance(original, dict) and (original.get("type") == "array" or "items" in original):
        return {"type": "array", "items": {}}
    return copy.deepcopy(_LOOSE_OBJECT)


def _loosen_parameters(
    adapted: Adapted,
    settings: Settings,
    path: str,
    operation: dict[str, Any],
    label: str,
    detail: str,
    state: _Round,
) -> None:
    spec = adapted.spec
    _own_parameters(spec, path, operation)
    parameters = operation.get("parameters")
    if not isinstance(parameters, list):
        return
    loosened = False
    resolved = [resolve_ref(spec, raw) for raw in parameters]
    refused_in = _NOT_ALLOWED_IN.search(detail)
    if refused_in:  # e.g. a date-time or a list in a header: only plain scalars can go there
        complex_ones = {
            i
            for i, p in enumerate(resolved)
            if isinstance(p, dict)
            and p.get("in") == refused_in["location"]
            and not _is_plain(spec, p.get("schema"))
        }
    else:
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
            f"cannot send it ({brief(detail)}); typed as str",
        ):
            return
        parameter["schema"] = {"type": "string"}
        parameters[index] = parameter
        loosened = True
    state.changed = state.changed or loosened
