"""Turns openapi-python-client's parse result into what our templates render, or refuses.

openapi-python-client reports what it could not parse as warnings and then leaves the endpoint,
response or parameter out of the client. Here every such warning, and every other gap between
the spec and the parsed result, becomes an error naming the operation and the reason.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.errors import GeneratorError, ParseError
from openapi_python_client.parser.openapi import Endpoint
from openapi_python_client.parser.properties import ModelProperty
from openapi_python_client.parser.properties.list_property import ListProperty
from openapi_python_client.parser.properties.protocol import PropertyProtocol
from openapi_python_client.parser.responses import Response
from openapi_python_client.schema.untrusted_string import UntrustedString
from openapi_python_client.strings import (
    PythonIdentifier,
    pascal_case,
    safe_for_docstring,
    snake_case,
)

from .errors import GenerationError
from .messages import brief, readable
from .security import requirement, static_plan
from .settings import Settings
from .validate import (
    iter_operations,
    operation_label,
    operation_parameters,
    resolve_ref,
    sdk_name,
    tag_name,
)

#: Lines after the header of every generated module. Text copied from the document (titles,
#: descriptions, names, defaults) is not held to line length or typography, and casts that
#: openapi-python-client's templates write for some unions may be redundant; the code is held to
#: what matters for correctness: it imports and passes mypy --strict otherwise. Names come from the
#: document too: an enum value ``I`` makes a member ``I`` (E741); a ``format: uuid`` default
#: makes an attrs default ``UUID("...")`` (RUF009: immutable, so harmless). Some shapes make
#: openapi-python-client's templates write nested ``if``s (SIM102: array query parameters that
#: are also nullable) or ``x if c else x`` (RUF034: a union of two identical types), both
#: behaviour-preserving.
LINT_WAIVER = (
    "# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102\n"
    '# mypy: disable-error-code="redundant-cast"'
)

#: Endpoint modules live at api/<tag>/_<name>.py: import prefix back to the package root.
MODELS_PREFIX = "..."

_WARNING_WHERE = re.compile(r"parsing (?P<method>[A-Z]+) (?P<path>\S+) within")


@dataclass(frozen=True)
class Success:
    """One documented 2xx response; ``low == high`` for a single code, else a ``2XX`` range."""

    low: int
    high: int
    response: Response
    empty: bool


@dataclass(frozen=True)
class PagePlan:
    """How iter()/aiter() walk a paginated list operation (``pagination.style``).

    ``cursor_param`` is the parameter iter() sets per page: the cursor (style ``cursor``), the
    page number (``page_number``) or, for ``next_url``, the first page's own parameter (unused).
    """

    cursor_param: str
    items_attr: str
    items_required: bool
    item_type: str
    next_attr: str
    imports: frozenset[str]
    style: str = "cursor"


def tuple_literal(items: list[str]) -> str:
    """A tuple of these Python expressions, written as ruff formats it."""
    if len(items) == 1:
        return f"({items[0]},)"
    return "(" + ", ".join(items) + ")"


@dataclass
class OperationPlan:
    tag: str
    name: str
    module: str
    class_name: str
    operation_id: str
    method: str
    path: str
    anonymous: bool
    endpoint: Endpoint
    successes: list[Success]
    return_type: str
    arg_docs: list[str] = field(default_factory=list)
    page: PagePlan | None = None
    imports: set[str] = field(default_factory=set)
    #: No 2xx is documented (e.g. redirects only): calls return the ``httpx.Response`` itself.
    raw: bool = False
    #: The effective security requirement: OR across, AND within; ``()`` sends no credentials.
    security: tuple[tuple[str, ...], ...] = ()

    @property
    def qualified(self) -> str:
        return f"{self.tag}.{self.name}"

    @property
    def url_path(self) -> str:
        """The URL template: the path key without the query some keys carry (OpenAI's
        ``/responses?beta=true``), which httpx would replace by the call's ``params``."""
        return raw_text(self.endpoint.path).partition("?")[0]

    @property
    def fixed_query(self) -> str:
        """The query of the path key as the items of a Python dict literal (``""`` when it has
        none): sent with every call, before the query parameters."""
        query = raw_text(self.endpoint.path).partition("?")[2]
        grouped: dict[str, list[str]] = {}
        for name, value in parse_qsl(query, keep_blank_values=True):
            grouped.setdefault(name, []).append(value)
        items = [
            f"{json.dumps(name)}: {json.dumps(values[0] if len(values) == 1 else values)}"
            for name, values in grouped.items()
        ]
        return ", ".join(items)

    @property
    def security_text(self) -> str:
        """``security`` in words: ``a or (b and c)``; ``none`` for no credentials."""
        words = [
            " and ".join(names) if len(names) < 2 else f"({' and '.join(names)})"
            for names in self.security
        ]
        if len(words) == 1 and words[0].startswith("("):
            words = [words[0][1:-1]]
        return " or ".join(w or "none" for w in words) or "none"

    @property
    def security_literal(self) -> str:
        """``security`` as a Python literal for the generated code."""
        return tuple_literal(
            [tuple_literal([json.dumps(name) for name in names]) for names in self.security]
        )


@dataclass
class TagPlan:
    name: str
    raw: str
    description: str
    operations: list[OperationPlan] = field(default_factory=list)


@dataclass(frozen=True)
class ErrorModelPlan:
    module: str
    class_name: str
    code_attr: str
    message_attr: str


@dataclass(frozen=True)
class ModelRef:
    module: str
    class_name: str


@dataclass
class SdkPlan:
    package_name: str
    header: str
    title: str
    api_version: str
    description: str
    tags: list[TagPlan]
    models: list[ModelRef]
    error_model: ErrorModelPlan | None
    #: Model class name -> python names of its secret properties (see ``secret_fields``).
    secret_fields: dict[str, frozenset[str]] = field(default_factory=dict)
    #: Lower-cased property names that are secret wherever they appear (config + password ones).
    secret_names: tuple[str, ...] = ()
    #: Lower-cased property names never masked (``public_fields``).
    public_names: tuple[str, ...] = ()
    #: The generated SessionClient (``session:`` in the config; a generator.session.SessionPlan).
    session: Any = None
    #: The generated ``Security`` of static schemes (a generator.security.SecurityPlan), or None.
    security: Any = None
    #: Class names of the models with ``additionalProperties: false`` (their from_dict drops
    #: undeclared keys). Unions read it here: the copies of a model they hold may predate the
    #: reading of its additional properties (openapi-python-client builds models in two passes).
    closed_models: frozenset[str] = frozenset()

    @property
    def operations(self) -> list[OperationPlan]:
        return [operation for tag in self.tags for operation in tag.operations]

    def is_secret(self, class_name: str, python_name: str) -> bool:
        """Whether a model property's value must be masked in ``repr()``."""
        return python_name in self.secret_fields.get(class_name, frozenset())


def exclude_line(what: str) -> str:
    """The config line that leaves ``what`` (``METHOD /path`` or a ``#/components/schemas/``
    pointer) out of the SDK, for refusals to suggest."""
    return f"`exclude: [{json.dumps(what)}]` in the config"


#: Where a message is: ``operation 'id' (GET /x): ...``, ``file:12 /paths/~1x/get...`` or a schema.
_AT_OPERATION = re.compile(r"^operation (?:'[^']*' \()?(?P<where>[A-Z]+ /[^):]*)\)?:")
_AT_POINTER = re.compile(
    r"^\S+ /paths/(?P<path>[^/\s]+)/(?P<method>get|put|post|delete|options|head|patch|trace)\b"
)
_AT_SCHEMA = re.compile(
    r"(?:^schema '|^\S+ /components/schemas/|schema /components/schemas/)(?P<name>[^'/\s:]+)"
)


def with_remedy(problem: str) -> str:
    """``problem`` plus the config line that would get past it, when one can: an ``exclude:`` of
    the operation or schema it is located in."""
    where = None
    if match := _AT_OPERATION.match(problem):
        where = match["where"]
    elif match := _AT_POINTER.match(problem):
        path = match["path"].replace("~1", "/").replace("~0", "~")
        where = f"{match['method'].upper()} {path}"
    elif match := _AT_SCHEMA.search(problem):
        where = f"#/components/schemas/{match['name']}"
    if where is None:
        return problem
    return f"{problem} (to leave it out: {exclude_line(where)})"


def raw_text(value: Any) -> str:
    """The plain text of an openapi-python-client UntrustedString (or anything else)."""
    getter = getattr(value, "get_untrusted_value", None)
    return str(getter() if getter is not None else value)


def _type(prop: PropertyProtocol) -> str:
    return prop.get_type_string().as_unembedded_code()


def _type_parts(prop: PropertyProtocol) -> set[str]:
    return {part.strip() for part in _type(prop).split("|")}


def _describe_error(error: GeneratorError) -> str:
    parts = [readable(f"{error.header} {error.detail or ''}", error)]
    if isinstance(error, ParseError) and error.data is not None:
        parts.append(brief(error.data.model_dump_json(exclude_unset=True, by_alias=True), 300))
    return " ".join(part for part in parts if part)


def _is_success(response: Response) -> tuple[int, int] | None:
    code_range = response.status_code.range
    if code_range is None:
        return None
    low, high = code_range
    return (low, high) if low >= 200 and high <= 299 else None


def _properties(model: ModelProperty) -> list[PropertyProtocol]:
    return [*(model.required_properties or []), *(model.optional_properties or [])]


def _page_plan(endpoint: Endpoint, successes: list[Success], settings: Settings) -> PagePlan | None:
    """Detect the configured pagination shape (see ``pagination`` in config.yaml)."""
    rules = settings.pagination
    if rules.style == "cursor":
        param_name, param_type, next_name = rules.cursor_param, "str", rules.next_cursor_field
    elif rules.style == "page_number":
        param_name, param_type, next_name = rules.page_param, "int", rules.next_field
    else:  # next_url: the first page is a plain call, the others follow the next link
        param_name, param_type, next_name = "", "", rules.next_field
    cursor = next((p for p in endpoint.query_parameters if raw_text(p.name) == param_name), None)
    if param_name and (cursor is None or _type_parts(cursor) - {"Unset", "None"} != {param_type}):
        return None
    bodies = [s for s in successes if not s.empty]
    if len(bodies) != 1 or not isinstance(bodies[0].response.prop, ModelProperty):
        return None
    model = bodies[0].response.prop
    properties = _properties(model)
    next_cursor = next((p for p in properties if raw_text(p.name) == next_name), None)
    arrays = [p for p in properties if isinstance(p, ListProperty)]
    if next_cursor is None or len(arrays) != 1:
        return None
    if _type_parts(next_cursor) - {"Unset", "None"} != {"str"}:
        return None
    items = arrays[0]
    inner = items.inner_property
    return PagePlan(
        cursor_param=str(cursor.python_name) if cursor is not None else "",
        items_attr=str(items.python_name),
        items_required=items.required,
        item_type=_type(inner),
        next_attr=str(next_cursor.python_name),
        imports=frozenset(
            inner.get_imports(prefix=MODELS_PREFIX) | inner.get_lazy_imports(prefix=MODELS_PREFIX)
        ),
        style=rules.style,
    )


def _arg_docs(
    endpoint: Endpoint, spec: dict[str, Any], path: str, operation: dict[str, Any]
) -> list[str]:
    """``name (type): description`` per argument, in signature order, escaped for docstrings.

    openapi-python-client keeps only the schema's description; a parameter's own description
    (the usual place for it) is taken from the spec.
    """
    described = {
        (str(p["name"]), str(p["in"])): str(p.get("description") or "")
        for p in operation_parameters(spec, path, operation)
    }
    body = resolve_ref(spec, operation.get("requestBody"))
    body_description = str(body.get("description") or "") if isinstance(body, dict) else ""

    def line(prop: PropertyProtocol, description: str) -> str:
        description = description or raw_text(prop.description or "")
        text = f"{prop.python_name} ({_type(prop)}): {' '.join(description.split())}".rstrip()
        if prop.default is not None:
            text += f" Default: {prop.default.python_code.as_unembedded_code()}."
        return safe_for_docstring(text)

    docs = [
        line(p, described.get((raw_text(p.name), "path"), "")) for p in endpoint.path_parameters
    ]
    docs += [line(b.prop, body_description) for b in endpoint.bodies]
    for location, props in (
        ("query", endpoint.query_parameters),
        ("header", endpoint.header_parameters),
        ("cookie", endpoint.cookie_parameters),
    ):
        docs += [line(p, described.get((raw_text(p.name), location), "")) for p in props]
    return docs


def _return_type(successes: list[Success]) -> str:
    types: list[str] = []
    for success in successes:
        name = "None" if success.empty else _type(success.response.prop)
        if name not in types:
            types.append(name)
    ordered = sorted(t for t in types if t != "None") + (["None"] if "None" in types else [])
    return " | ".join(ordered)


def _anonymous(spec: dict[str, Any], operation: dict[str, Any]) -> bool:
    """True when the operation's effective security requirement is empty (``security: []``)."""
    security = operation["security"] if "security" in operation else spec.get("security")
    return not security


def _static_security(spec: dict[str, Any], settings: Settings) -> Any:
    """The static schemes of the document (``security.Security``), those the session serves
    left out; None when there are none."""
    from .session import infer  # generator.session imports this module

    session_scheme: str | None = None
    if settings.session is not None:
        inferred = infer(spec, settings.session)
        kind = settings.session.get("kind", inferred.get("kind"))
        session_scheme = (
            str(settings.session.get("scheme", inferred.get("scheme")) or "")
            if kind == "oauth2"
            else ""
        )
    return static_plan(spec, session_scheme=session_scheme)


def build_plan(
    data: GeneratorData,
    spec: dict[str, Any],
    settings: Settings,
    wire_names: dict[tuple[str, str, str, str], tuple[str, str]] | None = None,
) -> SdkPlan:
    """Cross-check the parse result against the spec and build the render plan.

    ``wire_names`` maps parameters renamed by a policy back to the names sent on the wire.
    """
    problems: list[str] = []
    prefix = str(settings.openapi_python_client.get("field_prefix", "field_"))

    raw_ops: dict[tuple[str, str], tuple[str, str, dict[str, Any]]] = {}
    by_location: dict[tuple[str, str], str] = {}
    for path, method, operation in iter_operations(spec):
        tag_py = tag_name(str(operation["tags"][0]), settings)
        key = (tag_py, str(PythonIdentifier(str(operation["operationId"]), prefix=prefix)))
        raw_ops[key] = (path, method, operation)
        by_location[(method.upper(), path)] = operation_label(path, method, operation)

    # Everything openapi-python-client warned about is a refusal here.
    flagged: set[str] = set()
    for error in data.errors:
        problems.append(f"schema problem: {_describe_error(error)}")
    for collection in data.endpoint_collections_by_tag.values():
        for error in collection.parse_errors:
            match = _WARNING_WHERE.search(error.header)
            where = "an operation"
            if match:
                where = by_location.get((match["method"], match["path"]), where)
            detail = readable((error.detail or "").strip() or error.header, error)
            flagged.add(where)
            problems.append(f"{where}: openapi-python-client cannot represent it: {detail}")

    model_names = {m.class_info.name for m in data.models} | {e.class_info.name for e in data.enums}
    tag_descriptions = {
        str(t.get("name")): str(t.get("description") or "")
        for t in spec.get("tags") or []
        if isinstance(t, dict)
    }
    tags: dict[str, TagPlan] = {}
    seen: set[tuple[str, str]] = set()
    for tag_py, collection in data.endpoint_collections_by_tag.items():
        for endpoint in collection.endpoints:
            key = (str(tag_py), str(endpoint.name))
            if key not in raw_ops:  # pragma: no cover - validation guarantees operationIds
                problems.append(
                    f"{endpoint.method.upper()} {raw_text(endpoint.path)}: unknown operation"
                )
                continue
            seen.add(key)
            path, method, operation = raw_ops[key]
            label = operation_label(path, method, operation)
            if label in flagged:  # already refused; further findings would only echo it
                continue
            plan = _operation_plan(
                endpoint,
                str(tag_py),
                path,
                method,
                operation,
                spec,
                settings,
                label,
                problems,
                wire_names or {},
            )
            if plan is None:
                continue
            if plan.class_name in model_names:
                problems.append(
                    f"{label}: its operation class {plan.class_name} collides with a model name"
                )
            raw_tag = str(operation["tags"][0])
            tags.setdefault(
                str(tag_py), TagPlan(str(tag_py), raw_tag, tag_descriptions.get(raw_tag, ""))
            ).operations.append(plan)
    for key, (path, method, operation) in raw_ops.items():
        if key not in seen and not any(
            operation_label(path, method, operation) in p for p in problems
        ):
            problems.append(f"{operation_label(path, method, operation)}: was not generated")

    expected = set(settings.pagination.expect)
    detected = {op.qualified for t in tags.values() for op in t.operations if op.page}
    generated = {op.qualified for t in tags.values() for op in t.operations}
    in_spec = {
        f"{tag}.{sdk_name(str(op['operationId']))}" for (tag, _), (_, _, op) in raw_ops.items()
    }
    for missing in sorted(expected - detected):
        if missing not in in_spec:
            problems.append(
                f"pagination.expect lists {missing}, which is not an operation (is this config "
                "made for this document? `python -m generator init` writes one for another API)"
            )
        elif missing in generated:  # (an operation refused above is not reported twice)
            problems.append(
                f"operation {missing}: listed in pagination.expect but not detected as "
                f"paginated (style {settings.pagination.style})"
            )

    error_model = _error_model(data, settings, problems)
    if problems:
        raise GenerationError(
            "refusing to generate: some operations cannot be represented",
            [with_remedy(problem) for problem in problems],
        )

    for tag in tags.values():
        tag.operations.sort(key=lambda op: op.name)
    models = sorted(
        (
            ModelRef(m.class_info.module_name, m.class_info.name)
            for m in [*data.models, *data.enums]
        ),
        key=lambda ref: ref.class_name,
    )
    secret_fields, secret_names = _secrets(data, spec, settings)
    return SdkPlan(
        security=_static_security(spec, settings),
        package_name=settings.package_name,
        header=f"{settings.header}\n{LINT_WAIVER}",
        title=raw_text(data.title),
        api_version=raw_text(data.version),
        description=raw_text(data.description or ""),
        tags=[tags[name] for name in sorted(tags)],
        models=models,
        error_model=error_model,
        secret_fields=secret_fields,
        secret_names=secret_names,
        public_names=tuple(sorted(settings.public_fields)),
        closed_models=frozenset(
            str(m.class_info.name) for m in data.models if m.additional_properties is None
        ),
    )


def _operation_plan(
    endpoint: Endpoint,
    tag: str,
    path: str,
    method: str,
    operation: dict[str, Any],
    spec: dict[str, Any],
    settings: Settings,
    label: str,
    problems: list[str],
    wire_names: dict[tuple[str, str, str, str], tuple[str, str]],
) -> OperationPlan | None:
    before = len(problems)
    parsed = {
        (raw_text(p.name), location.value if hasattr(location, "value") else str(location))
        for location, p in endpoint.iter_all_parameters()
    }
    for parameter in operation_parameters(spec, path, operation):
        key = (str(parameter["name"]), str(parameter["in"]))
        if key not in parsed:
            reason = "it has no `schema`" if "schema" not in parameter else "it was dropped"
            problems.append(
                f"{label}: {key[1]} parameter {key[0]!r} cannot be represented ({reason})"
            )
    if len(endpoint.bodies) > 1:  # pragma: no cover - preprocess leaves one content type
        problems.append(f"{label}: request body has several content types")
    if operation.get("requestBody") is not None and not endpoint.bodies:
        problems.append(f"{label}: its request body cannot be represented")

    successes: list[Success] = []
    for response in endpoint.responses.patterns:
        code_range = _is_success(response)
        if code_range is not None:
            empty = response.source["attribute"] == "None"
            successes.append(Success(code_range[0], code_range[1], response, empty))
    raw = False
    if not successes:
        if settings.adapts("no_success_response"):
            raw = True  # reported by the pipeline (policy no_success_response)
        else:
            problems.append(f"{label}: documents no 2xx response, so it has no result type")
    if len(problems) > before:
        return None
    _restore_wire_names(endpoint, method.upper(), path, wire_names)

    name = sdk_name(str(operation["operationId"]))
    plan = OperationPlan(
        tag=tag,
        name=name,
        module=f"_{name}",
        class_name=f"{pascal_case(name)}Operation",
        operation_id=str(operation["operationId"]),
        method=method.upper(),
        path=path,
        anonymous=_anonymous(spec, operation),
        security=requirement(spec, operation),
        endpoint=endpoint,
        successes=successes,
        return_type="httpx.Response" if raw else _return_type(successes),
        arg_docs=_arg_docs(endpoint, spec, path, operation),
        raw=raw,
    )
    if f"{tag}.{name}" not in settings.pagination.exclude:
        plan.page = _page_plan(endpoint, successes, settings)
    if plan.page is not None:
        plan.imports |= plan.page.imports
    return plan


def _restore_wire_names(
    endpoint: Endpoint,
    method: str,
    path: str,
    wire_names: dict[tuple[str, str, str, str], tuple[str, str]],
) -> None:
    """Parameters a policy renamed get the Python name it chose and send their original name."""
    for location, props in (
        ("query", endpoint.query_parameters),
        ("header", endpoint.header_parameters),
        ("cookie", endpoint.cookie_parameters),
    ):
        for prop in props:
            names = wire_names.get((method, path, location, raw_text(prop.name)))
            if names is not None:
                prop.name = UntrustedString(names[0])
                prop.python_name = PythonIdentifier(names[1], prefix="", skip_snake_case=True)


def _error_model(
    data: GeneratorData, settings: Settings, problems: list[str]
) -> ErrorModelPlan | None:
    config = settings.error_model
    if config is None:
        return None
    model = next((m for m in data.models if m.class_info.name == config.name), None)
    if model is None:
        problems.append(
            f"error_model {config.name!r} (generator/config.yaml) is not a model of the spec"
        )
        return None
    fields = {raw_text(p.name): p for p in _properties(model)}
    attrs: list[str] = []
    for wanted in (config.code_field, config.message_field):
        prop = fields.get(wanted)
        if prop is None or not prop.required or _type(prop) != "str":
            problems.append(
                f"error_model {config.name!r}: needs a required string property {wanted!r}"
            )
            return None
        attrs.append(str(prop.python_name))
    return ErrorModelPlan(model.class_info.module_name, model.class_info.name, attrs[0], attrs[1])


def _is_password(spec: dict[str, Any], schema: Any, depth: int = 0) -> bool:
    """``format: password`` on the schema, or on a ``$ref``/allOf/anyOf/oneOf part of it."""
    schema = resolve_ref(spec, schema)
    if not isinstance(schema, dict) or depth > 20:
        return False
    if schema.get("format") == "password":
        return True
    return any(
        _is_password(spec, part, depth + 1)
        for key in ("allOf", "anyOf", "oneOf")
        for part in schema.get(key) or []
    )


def _schema_properties(spec: dict[str, Any], schema: Any, depth: int = 0) -> dict[str, Any]:
    """A model schema's declared properties, including those it takes from ``allOf`` parts."""
    schema = resolve_ref(spec, schema)
    if not isinstance(schema, dict) or depth > 20:
        return {}
    found: dict[str, Any] = {}
    for part in schema.get("allOf") or []:
        found.update(_schema_properties(spec, part, depth + 1))
    properties = schema.get("properties")
    if isinstance(properties, dict):
        found.update(properties)
    return found


@functools.cache
def _words(name: str) -> tuple[str, ...]:
    """``name``'s snake-case words (cached: every property name is matched against every
    ``secret_fields`` pattern, over 13,000 properties on GitHub's description)."""
    return tuple(word for word in snake_case(name).split("_") if word)


def is_secret_name(name: str, settings: Settings) -> bool:
    """Whether a property named ``name`` holds a secret: some ``secret_fields`` entry appears in
    it as whole words (``access`` matches ``access``, ``access_token`` and ``accessToken``), and
    it is not listed in ``public_fields``."""
    if name.lower() in settings.public_fields:
        return False
    words = _words(name)
    for pattern in settings.secret_fields:
        wanted = _words(pattern)
        if wanted and any(
            words[i : i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1)
        ):
            return True
    return False


def _secrets(
    data: GeneratorData, spec: dict[str, Any], settings: Settings
) -> tuple[dict[str, frozenset[str]], tuple[str, ...]]:
    """Which model properties are secret: named in ``secret_fields`` or ``format: password``."""
    names = set(settings.secret_fields)
    by_model: dict[str, frozenset[str]] = {}
    for model in data.models:
        schema = model.data.model_dump(by_alias=True, exclude_none=True, mode="json")
        declared = _schema_properties(spec, schema)
        secret: set[str] = set()
        for prop in _properties(model):
            raw = raw_text(prop.name)
            if is_secret_name(raw, settings) or _is_password(spec, declared.get(raw)):
                secret.add(str(prop.python_name))
                names.add(raw.lower())
        if secret:
            by_model[model.class_info.name] = frozenset(secret)
    return by_model, tuple(sorted(names))


def declare_field(prop: PropertyProtocol, secret: bool) -> str:
    """A model attribute's declaration; a secret one gets ``repr=secret_repr`` (shows ``'***'``).

    Mirrors openapi-python-client's ``to_string()`` (same type, same default) otherwise.
    """
    if not secret:
        return prop.to_string().as_unembedded_code()
    if prop.default is not None:
        default: str | None = prop.default.python_code.as_unembedded_code()
    elif not prop.required:
        default = "UNSET"
    else:
        default = None
    arguments = f"default={default}, " if default is not None else ""
    return f"{prop.python_name}: {_type(prop)} = _attrs_field({arguments}repr=secret_repr)"
