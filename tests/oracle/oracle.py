"""A run-time oracle for generated SDKs: their code is run on valid data, not only type-checked.

A template bug can pass generation, import and ``mypy --strict`` (a local named like a property,
a union parser that gives up after its first branch). Only running the generated code on data
the document calls valid shows it, so for one generated SDK and its document:

* every model: instances of its JSON Schema (hypothesis-jsonschema, each one re-checked with
  jsonschema) go through ``from_dict`` then ``to_dict`` and must come back equal, and the parsed
  object must conform to the model's annotations (no raw dict where a model is declared);
* every operation: arguments generated from its parameter and body schemas go through the
  operation's own ``_request``, and the request it builds is validated against the document by
  openapi-core; a generated body of each success response goes through ``_parse`` and must
  conform to the declared return type and serialise back to the same document.

Normalisation before comparing (the SDK may spell a value differently, not change it): strings
that both parse as the same ISO 8601 date or date-time, or as the same UUID, are equal; numbers
compare by value (``1 == 1.0``). Schemas are translated to the JSON Schema draft
hypothesis-jsonschema reads (OpenAPI 3.0 ``nullable`` and boolean exclusive bounds), formats
other than date, date-time and uuid are dropped (they only narrow strings and numbers), and a
schema that refers to itself is cut there, as is any reference deeper than
MAX_REF_DEPTH (the cut reference may not occur: an optional property is left out, a required
one makes the branch unsatisfiable; a schema with no instance left is reported as skipped), and
arrays hold at most MAX_ITEMS items (unless the document asks for more).
Requests are validated without ``security`` (credentials are the client's business, tested
elsewhere) and with one server, ``http://sdk.test``, against the operation they were built for
(their URL must fit its path template, which may be ambiguous with another's); in an OpenAPI 3.0
document the siblings of a ``$ref`` are dropped before validation, as 3.0.3 says they are ignored
(openapi-core would apply them). A form-encoded body cannot carry an empty array (``name=a&name=b``
has no spelling for none), so required arrays of such a body are drawn with at least one item.
Bodies in a ``+json`` media type are read as JSON, and a request's path keeps its ``_request``
URL's fragment (paths of a document may differ by a fragment only, which is never sent).
"""

from __future__ import annotations

import base64
import copy
import datetime
import enum
import functools
import importlib
import io
import json
import types
import typing
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import attrs
import httpx
import jsonschema
from dateutil.parser import isoparse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from hypothesis.internal.conjecture import utils as conjecture_utils
from hypothesis_jsonschema import _from_schema, from_schema
from jsonschema_path import SchemaPath
from openapi_core.datatypes import RequestParameters
from openapi_core.deserializing.media_types.util import json_loads
from openapi_core.templating.paths.parsers import PathParser
from openapi_core.validation.request.validators import (
    V30RequestBodyValidator,
    V30RequestParametersValidator,
    V31RequestBodyValidator,
    V31RequestParametersValidator,
)
from werkzeug.datastructures import Headers, ImmutableMultiDict

from generator.pipeline import Prepared, prepare
from generator.plan import OperationPlan, SdkPlan
from generator.run_codegen import plan_for
from generator.settings import load_settings
from generator.source import load_source

BASE_URL = "http://sdk.test"
#: Formats kept when generating: those the SDK turns into Python types and those openapi-core
#: checks; every other format is dropped (it only narrows strings and numbers).
KEPT_FORMATS = {"date", "date-time", "uuid", "email", "ipv4", "ipv6", "hostname", "uri", "byte"}
#: References followed inside one another before the schema is cut (a schema that refers to
#: itself is cut at once): inlining a large document's shared schemas grows exponentially.
MAX_REF_DEPTH = 3
#: Items an array holds at most (its own maxItems if lower; never below its minItems): arrays of
#: arrays of large objects made instances of megabytes, drawn for minutes and mostly thrown away
#: as too large; a few items check the same code.
MAX_ITEMS = 2
#: Integer formats openapi-core checks: kept as bounds.
INT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
#: Strategies for the formats hypothesis-jsonschema does not know (draft 7 has no uuid).
CUSTOM_FORMATS = {
    "uuid": st.uuids().map(str),
    "byte": st.binary(max_size=12).map(lambda b: base64.b64encode(b).decode()),
}
#: OpenAPI keywords JSON Schema does not have (dropped before generating).
OPENAPI_ONLY = {
    "discriminator",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
    "nullable",
    "contentMediaType",
    "contentEncoding",
    "$schema",
    "$id",
}


@dataclass
class Result:
    """What passed and what failed (name -> first failure) for one SDK."""

    models_passed: list[str] = field(default_factory=list)
    models_failed: dict[str, str] = field(default_factory=dict)
    operations_passed: list[str] = field(default_factory=list)
    operations_failed: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        models = len(self.models_passed) + len(self.models_failed)
        ops = len(self.operations_passed) + len(self.operations_failed)
        return (
            f"models {len(self.models_passed)}/{models}, "
            f"operations {len(self.operations_passed)}/{ops}, skipped {len(self.skipped)}"
        )


@dataclass
class Subject:
    """One generated SDK (importable as ``package``) and the document it was generated from."""

    package: str
    prepared: Prepared
    plan: SdkPlan

    @property
    def spec(self) -> dict[str, Any]:
        return self.prepared.adapted.spec

    @property
    def original(self) -> Any:
        return self.prepared.source.data


def subject(spec: Path, config: Path, output: Path) -> Subject:
    """Parse ``spec`` the way the generator did for the SDK at ``output`` (nothing is written)."""
    cfg = load_settings(config)
    prepared = prepare(load_source(spec), cfg, output)
    adapted = prepared.adapted
    plan = plan_for(prepared.data, adapted.spec, cfg, adapted.wire_names)
    return Subject(cfg.package_name, prepared, plan)


class _Many:
    """The ``many`` of hypothesis < 6.150 (``more``/``reject``) that hypothesis-jsonschema 0.23.1,
    its latest release, still calls for objects; today's hypothesis only has a context manager.
    Without spans: they only help shrinking, which the oracle does not do."""

    def __init__(self, data: Any, min_size: int, max_size: float, average_size: float) -> None:
        self.data, self.min_size, self.max_size = data, min_size, max_size
        self.p_continue = conjecture_utils._calc_p_continue(
            average_size - min_size, max_size - min_size
        )
        self.count = self.rejections = 0
        self.force_stop = False

    def more(self) -> bool:
        if self.min_size == self.max_size:
            going = self.count < self.min_size
        else:
            forced: bool | None = None
            if self.force_stop or self.count >= self.max_size:
                forced = False
            elif self.count < self.min_size:
                forced = True
            going = self.data.draw_boolean(self.p_continue, forced=forced)
        self.count += going
        return going

    def reject(self, why: str | None = None) -> None:
        self.count -= 1
        self.rejections += 1
        if self.rejections > max(3, 2 * self.count):
            if self.count < self.min_size:
                self.data.mark_invalid(why)
            self.force_stop = True


if not hasattr(conjecture_utils.many, "more"):
    _from_schema.cu = types.SimpleNamespace(many=_Many)  # type: ignore[assignment,attr-defined]


class _Memo:
    """hypothesis-jsonschema builds the strategy of an object's property anew each time it draws
    the property (canonicalising and merging its schema again, nested objects included): one of
    Discord's models took minutes for 4 examples. A strategy only describes how to draw, so the
    one built for equal arguments is reused (the cache holds the arguments it was keyed on by
    identity, so their ids stay theirs)."""

    LIMIT = 20_000

    def __init__(self, build: Callable[..., Any]) -> None:
        self.build = build
        self.cache: dict[tuple[str, int, int], tuple[Any, Any, Any]] = {}

    def __call__(self, schemas: Any, *, alphabet: Any, custom_formats: Any) -> Any:
        try:
            key = (json.dumps(schemas, sort_keys=True), id(alphabet), id(custom_formats))
        except (TypeError, ValueError):
            return self.build(schemas, alphabet=alphabet, custom_formats=custom_formats)
        hit = self.cache.get(key)
        if hit is None:
            if len(self.cache) >= self.LIMIT:
                self.cache.clear()
            strategy = self.build(schemas, alphabet=alphabet, custom_formats=custom_formats)
            hit = self.cache[key] = (alphabet, custom_formats, strategy)
        return hit[2]


for _name in ("__from_schema", "merged_as_strategies"):
    setattr(_from_schema, _name, _Memo(getattr(_from_schema, _name)))


# -- schemas ----------------------------------------------------------------------------------


def _is_31(spec: Mapping[str, Any]) -> bool:
    return str(spec.get("openapi", "")).startswith("3.1")


def _resolve(spec: Mapping[str, Any], ref: str) -> Any:
    node: Any = spec
    for part in ref.removeprefix("#/").split("/"):
        key = part.replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


def json_schema(node: Any, spec: Mapping[str, Any], stack: tuple[str, ...] = ()) -> Any:
    """``node`` (an OpenAPI schema) as a self-contained JSON Schema (see the module docstring)."""
    if isinstance(node, list):
        return [json_schema(n, spec, stack) for n in node]
    if not isinstance(node, dict):
        return node
    if isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in stack or len(stack) >= MAX_REF_DEPTH:
            return {"not": {}}
        target = json_schema(_resolve(spec, ref), spec, (*stack, ref))
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        if siblings and _is_31(spec):
            return {"allOf": [target, json_schema(siblings, spec, stack)]}
        return target
    node = _with_discriminator(node)
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in OPENAPI_ONLY or key.startswith("x-"):
            continue
        if value is None and key not in ("enum", "const", "default"):
            continue  # openapi-python-client's model of a 3.0 schema spells "not set" as null
        if key == "format" and value not in KEPT_FORMATS:
            kinds = node.get("type")
            if value in INT_BOUNDS and "integer" in (kinds if isinstance(kinds, list) else [kinds]):
                low, high = INT_BOUNDS[value]
                out["minimum"] = max(low, node.get("minimum", low))
                out["maximum"] = min(high, node.get("maximum", high))
            continue
        if key in ("properties", "patternProperties", "$defs", "definitions"):
            out[key] = {k: json_schema(v, spec, stack) for k, v in value.items()}
        elif key in ("minimum", "maximum") and key in out:
            continue
        elif key in ("examples", "enum", "const", "default", "required"):
            out[key] = value
        else:
            out[key] = json_schema(value, spec, stack)
    for bound in ("Minimum", "Maximum"):
        if out.get(f"exclusive{bound}") is True:
            out[f"exclusive{bound}"] = out.pop(bound.lower())
        elif out.get(f"exclusive{bound}") is False:
            del out[f"exclusive{bound}"]
    if isinstance(out.get("prefixItems"), list):
        # Draft 2020-12's tuples (OpenAPI 3.1) in the draft 7 form the generator of instances
        # reads, which would otherwise ignore them and draw any array.
        rest = out.get("items")
        out["items"] = out.pop("prefixItems")
        if rest is not None:
            out["additionalItems"] = rest
    if "items" in out or out.get("type") == "array":
        cap = max(MAX_ITEMS, out.get("minItems", 0))
        out["maxItems"] = min(out.get("maxItems", cap), cap)
    if "type" not in out and ({"properties", "required", "additionalProperties"} & out.keys()):
        # Object keywords without a type allow any non-object too; every generator (and the
        # document's authors) mean an object.
        out["type"] = "object"
    if node.get("nullable") is True and not _is_31(spec) and isinstance(out.get("type"), str):
        # Only in 3.0: OpenAPI 3.1.0 dropped the keyword (its Schema Object is JSON Schema
        # 2020-12, spelling it ``type: [T, "null"]``), and 2020-12 Core section 6.5 makes an
        # unknown keyword an annotation, so a 3.1 ``nullable: true`` allows no null (openapi-core
        # reads it so: Adyen's 3.1 documents still write it). In 3.0.3 it adds "null" to the type
        # only; an enum without null still excludes it (openapi-python-client reads it so too),
        # and without a type it adds nothing (OpenAPI 3.0.4, which clarifies 3.0.x, Schema
        # Object, nullable: "This keyword only takes effect if type is explicitly defined within
        # the same Schema Object"; openapi-core holds to that: GitHub's nullable oneOf of custom
        # property values rejects null).
        out["type"] = [out["type"], "null"]
    return out


def _with_discriminator(node: dict[str, Any]) -> dict[str, Any]:
    """A discriminated oneOf/anyOf whose branches also require their discriminator value: the
    document says so through ``discriminator``, which JSON Schema (and so the generator of
    instances) does not read, while openapi-core does."""
    discriminator = node.get("discriminator")
    if not isinstance(discriminator, dict) or "propertyName" not in discriminator:
        return node
    name = discriminator["propertyName"]
    mapping = discriminator.get("mapping") or {}
    out = dict(node)
    for key in ("oneOf", "anyOf"):
        branches = []
        for branch in node.get(key) or []:
            ref = branch.get("$ref") if isinstance(branch, dict) else None
            if not isinstance(ref, str):
                branches.append(branch)
                continue
            values = [v for v, target in mapping.items() if target == ref]
            values = values or [ref.rsplit("/", 1)[1]]
            tag = {"type": "object", "required": [name], "properties": {name: {"enum": values}}}
            branches.append({"allOf": [branch, tag]})
        if key in node:
            out[key] = branches
    return out


@functools.cache
def _validator(schema_json: str) -> jsonschema.protocols.Validator:
    schema = json.loads(schema_json)
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
    # Draft 2020-12's checker: it knows uuid, which draft 7's does not.
    return cls(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def instances(schema: Any) -> st.SearchStrategy[Any]:
    """Valid instances of ``schema``: hypothesis-jsonschema's, re-checked by jsonschema."""
    validator = _validator(json.dumps(schema, sort_keys=True))
    return from_schema(schema, custom_formats=CUSTOM_FORMATS).filter(validator.is_valid)


# -- comparing --------------------------------------------------------------------------------


def _as_time(value: str) -> object:
    try:
        return uuid.UUID(value)
    except ValueError:
        pass
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return isoparse(value)
    except (ValueError, OverflowError):
        return None


def same(a: Any, b: Any) -> bool:
    """Equal after the normalisation the module docstring describes."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, str) and isinstance(b, str) and a != b:
        parsed = _as_time(a)
        return parsed is not None and parsed == _as_time(b)
    return bool(type(a) is type(b) or {type(a), type(b)} <= {int, float}) and a == b


def to_json(value: Any) -> Any:
    """The JSON document an SDK value stands for."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


# -- conformance to annotations ---------------------------------------------------------------


def _namespace(package: str) -> dict[str, Any]:
    """Every model, enum and runtime type of ``package`` by name (models import lazily)."""
    # typing's names first: annotations use them (Literal, ...), and types.py re-exports only
    # the runtime's own names.
    ns: dict[str, Any] = {name: getattr(typing, name) for name in typing.__all__}
    types_module = importlib.import_module(f"{package}.types")
    ns.update(vars(types_module))
    models = importlib.import_module(f"{package}.models")
    for name in getattr(models, "__all__", dir(models)):
        ns[name] = getattr(models, name)
    ns.update(datetime=datetime, UUID=uuid.UUID, Any=Any)
    return ns


def conforms(value: Any, tp: Any, ns: dict[str, Any], where: str = "$") -> str | None:
    """Why ``value`` is not a ``tp`` (None when it is), looking inside models and containers."""
    origin = typing.get_origin(tp)
    if tp is Any or tp is object:
        return None
    if tp is None or tp is type(None):
        return None if value is None else f"{where}: {value!r} is not None"
    if origin in (typing.Union, types.UnionType):
        reasons = [conforms(value, arg, ns, where) for arg in typing.get_args(tp)]
        return None if any(r is None for r in reasons) else " / ".join(str(r) for r in reasons)
    if origin is typing.Literal:
        ok = value in typing.get_args(tp)
        return None if ok else f"{where}: {value!r} not in {typing.get_args(tp)}"
    if origin is list:
        if not isinstance(value, list):
            return f"{where}: {type(value).__name__} is not a list"
        (item,) = typing.get_args(tp)
        for i, v in enumerate(value):
            if why := conforms(v, item, ns, f"{where}[{i}]"):
                return why
        return None
    if origin is dict:
        if not isinstance(value, dict):
            return f"{where}: {type(value).__name__} is not a dict"
        _, item = typing.get_args(tp)
        for k, v in value.items():
            if why := conforms(v, item, ns, f"{where}[{k!r}]"):
                return why
        return None
    if tp in (typing.BinaryIO, typing.IO, typing.TextIO):
        return None if hasattr(value, "read") else f"{where}: {value!r:.60} is not a file"
    if isinstance(tp, type):
        if tp is float and isinstance(value, int) and not isinstance(value, bool):
            return None
        if not isinstance(value, tp):
            return f"{where}: {type(value).__name__} {value!r:.60} is not a {tp.__name__}"
        if attrs.has(tp):
            hints = typing.get_type_hints(tp, globalns=ns, localns=ns)
            for attribute in attrs.fields(tp):
                hint = hints.get(attribute.name, Any)
                if why := conforms(
                    getattr(value, attribute.name), hint, ns, f"{where}.{attribute.name}"
                ):
                    return why
        return None
    return None


# -- models -----------------------------------------------------------------------------------


def _settings(max_examples: int) -> Callable[[Any], Any]:
    """Bounded and deterministic: the same examples on every run, no deadline, no shrinking."""
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )


def _run(check: Callable[[Any], None], strategy: st.SearchStrategy[Any], n: int) -> str | None:
    """The first failure of ``check`` over ``n`` examples, or None."""
    failures: list[str] = []

    def test(value: Any) -> None:
        try:
            check(value)
        except Exception as exc:
            if not failures:
                cause = (
                    f" <- {type(exc.__cause__).__name__}: {exc.__cause__}" if exc.__cause__ else ""
                )
                on = json.dumps(value, default=str)[:300]
                failures.append(f"{type(exc).__name__}: {exc}{cause} (on {on})")
            raise

    try:
        _settings(n)(given(strategy)(test))()
    except Unsatisfiable:
        return None
    except Exception as exc:
        if failures:
            return failures[0]
        raise NoExamples(f"{type(exc).__name__}: {exc}") from exc
    return None


class NoExamples(Exception):
    """The oracle could not draw examples (a schema hypothesis-jsonschema cannot take): the
    model or operation is reported as skipped, not failed."""


def model_class(package: str, prop: Any) -> Any:
    module = importlib.import_module(f"{package}.models.{prop.class_info.module_name}")
    return getattr(module, prop.class_info.name)


def check_models(
    subject: Subject, max_examples: int, result: Result, only: int | None = None
) -> None:
    ns = _namespace(subject.package)
    models = sorted(subject.prepared.data.models, key=lambda m: str(m.class_info.name))
    if only is not None and len(models) > only:
        models = models[:: max(1, len(models) // only)][:only]
    for model in models:
        name = str(model.class_info.name)
        raw = model.data.model_dump(mode="json", by_alias=True, exclude_unset=True)
        try:
            # A model's from_dict takes objects: null (a nullable object schema) is the
            # business of the union around it.
            schema = {"allOf": [json_schema(raw, subject.spec), {"type": "object"}]}
            strategy = instances(schema)
        except Exception as exc:
            result.skipped[name] = f"no strategy: {type(exc).__name__}: {exc}"[:300]
            continue
        cls = model_class(subject.package, model)

        def check(value: Any, cls: Any = cls) -> None:
            parsed = cls.from_dict(value)
            if why := conforms(parsed, cls, ns):
                raise AssertionError(f"parsed into the wrong types: {why}")
            back = parsed.to_dict()
            assert same(json.loads(json.dumps(back)), value), f"round trip gave {back!r:.300}"

        try:
            failure = _run(check, strategy, max_examples)
        except NoExamples as exc:
            result.skipped[name] = str(exc)[:300]
            continue
        if failure is None:
            result.models_passed.append(name)
        else:
            result.models_failed[name] = failure[:600]


# -- operations -------------------------------------------------------------------------------


def _raw(value: Any) -> str:
    getter = getattr(value, "get_untrusted_value", None)
    return str(getter() if getter is not None else value)


def _property_kind(prop: Any) -> str:
    return type(prop).__name__


def to_argument(prop: Any, value: Any, package: str) -> Any:
    """The SDK argument for JSON ``value`` of property ``prop`` (the friendly forms aside)."""
    kind = _property_kind(prop)
    if value is None:
        return None
    if kind == "ModelProperty":
        return model_class(package, prop).from_dict(value)
    if kind == "EnumProperty":
        return model_class_enum(package, prop)(value)
    if kind == "DateProperty":
        return datetime.date.fromisoformat(value)
    if kind == "DateTimeProperty":
        return isoparse(value)
    if kind == "UuidProperty":
        return uuid.UUID(value)
    if kind == "FileProperty":
        types_module = importlib.import_module(f"{package}.types")
        data = value if isinstance(value, bytes) else str(value).encode()
        return types_module.File(payload=io.BytesIO(data), file_name="f.bin")
    if kind == "ListProperty":
        return [to_argument(prop.inner_property, v, package) for v in value]
    if kind == "UnionProperty":
        for inner in prop.inner_properties:
            try:
                converted = to_argument(inner, value, package)
            except Exception:
                continue
            if same(to_json(converted), value):
                return converted
        return value
    return value


def model_class_enum(package: str, prop: Any) -> Any:
    module = importlib.import_module(f"{package}.models.{prop.class_info.module_name}")
    return getattr(module, prop.class_info.name)


def _operation_node(spec: Mapping[str, Any], op: OperationPlan) -> tuple[dict[str, Any], list[Any]]:
    item = spec["paths"][op.path]
    operation = item[op.method.lower()]
    merged: dict[tuple[str, str], Any] = {}
    for raw in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
        p = _resolve(spec, raw["$ref"]) if "$ref" in raw else raw
        merged[(p["name"], p["in"])] = p
    return operation, list(merged.values())


def _why(error: BaseException) -> str:
    """openapi-core's error, with the schema errors under it (not the whole value)."""
    cause = error.__cause__
    schema_errors = getattr(cause, "schema_errors", None) or ()
    found = [
        f"at /{'/'.join(map(str, e.absolute_path))}: {e.validator} failed ({e.message[-150:]})"
        for e in schema_errors
    ]
    if not found and cause is not None:
        found = [f"{type(cause).__name__}: {str(cause)[:300]}"]
    return f"{type(error).__name__}: {str(error)[:80]}... [{'; '.join(found)}]"


class _Request:
    """An httpx request as openapi-core's Request protocol."""

    def __init__(
        self, request: httpx.Request, path_params: dict[str, Any], template: str, fragment: str = ""
    ) -> None:
        self.host_url = BASE_URL
        # Still percent-encoded, as sent (httpx's url.path is decoded), and with the fragment of
        # the _request URL, never sent, which may tell two paths of a document apart (Box).
        self.path = request.url.raw_path.decode("ascii").split("?", 1)[0] + fragment
        # The operation's own path, once the URL is checked against it (_request_checker): by the
        # URL alone openapi-core takes the first template it fits, another operation's when a
        # document has two templates alike, which OpenAPI forbids (3.0.3 and 3.1.0, Paths
        # Object: they "MUST NOT exist as they are identical") and Xero does: its
        # /Accounts/{AccountID}/Attachments/{AttachmentID} and .../{FileName}; or when templates
        # are ambiguous, which it leaves "up to the tooling" (GitHub's /compare/{basehead} also
        # fits /compare/{base}...{head}).
        self.path_pattern = template
        self.method = request.method.lower()
        self.body: bytes | None = request.read() or None
        self.content_type = request.headers.get("content-type", "").lower()
        cookies: dict[str, str] = {}
        for part in request.headers.get("cookie", "").split(";"):
            if "=" in part:
                k, v = part.strip().split("=", 1)
                cookies[k] = v
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(list(request.url.params.multi_items())),
            header=Headers(list(request.headers.items())),
            cookie=ImmutableMultiDict(list(cookies.items())),
            path=path_params,
        )


def _fragment(url: Any) -> str:
    """The ``#fragment`` of the URL an operation's ``_request`` names, or "".

    Paths of a document may differ by a fragment only (Box: ``.../schema#add`` and
    ``.../schema#update``). A fragment is never sent (RFC 3986, section 3.5), so the request on
    the wire is the same for both and openapi-core would pick either to validate it; with the
    fragment the SDK's URL names, it validates against the operation the SDK called.
    """
    text = str(url)
    return "#" + text.split("#", 1)[1] if "#" in text else ""


def _without_access_modes(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: _without_access_modes(v)
            for k, v in node.items()
            if k not in ("readOnly", "writeOnly")
        }
    if isinstance(node, list):
        return [_without_access_modes(v) for v in node]
    return node


def _without_ref_siblings(node: Any) -> Any:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            return {"$ref": node["$ref"]}
        return {k: _without_ref_siblings(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_without_ref_siblings(v) for v in node]
    return node


def _inline_deep_refs(doc: dict[str, Any], node: Any, depth: int = 0) -> Any:
    """References to a part of a component or an operation (PagerDuty's
    ``#/paths/.../schema/allOf/0/...``), which openapi-core's resolver cannot follow, replaced by
    what they point at; whole components stay references (they may be recursive)."""
    if isinstance(node, list):
        return [_inline_deep_refs(doc, v, depth) for v in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/") and depth < MAX_REF_DEPTH:
        parts = ref[2:].split("/")
        if len(parts) > 3 or parts[0] != "components":
            return _inline_deep_refs(doc, _resolve(doc, ref), depth + 1)
    return {k: _inline_deep_refs(doc, v, depth) for k, v in node.items()}


def _points_at_something(doc: Any, ref: str) -> bool:
    try:
        _resolve(doc, ref)
    except (KeyError, IndexError, ValueError, TypeError):
        return False
    return True


def _drop_dangling_mappings(doc: Any, node: Any) -> None:
    """A discriminator whose mapping points at nothing (the generator warns of each entry, and
    openapi-python-client ignores them) is left out: openapi-core would fail on it, and without
    its mapping it names schemas that do not exist. The ``oneOf`` alone still decides."""
    if isinstance(node, list):
        for value in node:
            _drop_dangling_mappings(doc, value)
    elif isinstance(node, dict):
        discriminator = node.get("discriminator")
        mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
        if isinstance(mapping, dict) and any(
            isinstance(ref, str) and ref.startswith("#/") and not _points_at_something(doc, ref)
            for ref in mapping.values()
        ):
            del node["discriminator"]
        for value in node.values():
            _drop_dangling_mappings(doc, value)


def validation_document(original: Any) -> dict[str, Any]:
    """The document openapi-core validates against: one server, no security, no readOnly or
    writeOnly (the SDK's models serve requests and responses alike, as the document's do), and
    in 3.0 no siblings of a ``$ref`` (3.0.3, Reference Object: they "SHALL be ignored"); deep
    references are copied in (openapi-core resolves only whole components)."""
    doc: dict[str, Any] = _without_access_modes(copy.deepcopy(original))
    doc = _inline_deep_refs(doc, doc)
    _drop_dangling_mappings(doc, doc)
    if not _is_31(original):
        doc = _without_ref_siblings(doc)
    doc["servers"] = [{"url": BASE_URL}]
    doc.pop("security", None)
    for item in (doc.get("paths") or {}).values():
        if isinstance(item, dict):
            item.pop("servers", None)
            for operation in item.values():
                if isinstance(operation, dict):
                    operation.pop("servers", None)
                    operation.pop("security", None)
                    _declare_form_fields(doc, operation.get("requestBody"))
    return doc


_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _declare_form_fields(doc: dict[str, Any], body: Any) -> None:
    """Required names a form body's schema does not declare become declared, of any value.

    openapi-core 0.23 decodes a form into the schema's declared properties only, so a required
    name it does not declare (Box's token revocation requires ``grant_type``) is always missing
    however it is sent. Declaring it as ``{}`` changes no instance's validity where the schema
    has no ``additionalProperties`` schema (JSON Schema Validation, section 6.5.4: a ``{}``
    property accepts anything; 6.5.6: ``additionalProperties`` applies only to undeclared names).
    """
    if isinstance(body, dict) and "$ref" in body:
        body = _resolve(doc, body["$ref"])
    content = body.get("content") if isinstance(body, dict) else None
    for media, entry in (content or {}).items():
        if str(media).split(";", 1)[0].strip().lower() not in _FORMS:
            continue
        schema = entry.get("schema") if isinstance(entry, dict) else None
        if isinstance(schema, dict) and "$ref" in schema:
            schema = _resolve(doc, schema["$ref"])
        if not isinstance(schema, dict) or schema.get("additionalProperties", True) not in (
            True,
            {},
        ):
            continue
        properties = schema.setdefault("properties", {})
        for name in schema.get("required") or []:
            properties.setdefault(name, {})


def _json_suffix_media_types(node: Any) -> set[str]:
    """The ``+json`` media types of the document's ``content`` maps."""
    found: set[str] = set()
    if isinstance(node, dict):
        content = node.get("content")
        if isinstance(content, dict):
            found |= {
                str(media)
                for media in content
                if str(media).split(";", 1)[0].strip().lower().endswith("+json")
            }
        for value in node.values():
            found |= _json_suffix_media_types(value)
    elif isinstance(node, list):
        for value in node:
            found |= _json_suffix_media_types(value)
    return found


def _validators(subject: Subject) -> tuple[Any, Any]:
    """openapi-core's validators of requests to ``subject``'s document. Bodies in a ``+json``
    media type are read as JSON (RFC 6839, section 3.1: the suffix means JSON is the encoding);
    openapi-core 0.23 reads only ``application/json`` and ``application/vnd.api+json`` so, and
    would validate the raw bytes of ``application/json-patch+json`` against an array schema."""
    doc = SchemaPath.from_dict(validation_document(subject.original))
    json_types = _json_suffix_media_types(subject.original.get("paths"))
    json_types |= _json_suffix_media_types(subject.original.get("components"))
    as_json: dict[str, Callable[[bytes], Any]] = dict.fromkeys(sorted(json_types), json_loads)
    if _is_31(subject.original):
        return V31RequestParametersValidator(doc), V31RequestBodyValidator(
            doc, extra_media_type_deserializers=as_json
        )
    return V30RequestParametersValidator(doc), V30RequestBodyValidator(
        doc, extra_media_type_deserializers=as_json
    )


def _request_body(spec: Mapping[str, Any], operation: Mapping[str, Any]) -> Any:
    body = operation.get("requestBody") or {}
    return _resolve(spec, body["$ref"]) if "$ref" in body else body


def _success_status(success: Any) -> int:
    return 200 if success.low <= 200 <= success.high else success.low


def _response_schema(
    operation: Mapping[str, Any], spec: Mapping[str, Any], low: int, high: int
) -> tuple[str, Any] | None:
    for status, response in (operation.get("responses") or {}).items():
        text = str(status)
        code = text.upper()
        matches = code == str(low) if low == high else code == f"{str(low)[0]}XX"
        if not matches:
            continue
        if "$ref" in response:
            response = _resolve(spec, response["$ref"])
        for media, content in (response.get("content") or {}).items():
            return media, (content or {}).get("schema", {})
    return None


@dataclass
class _Call:
    """One operation's generated arguments: their JSON Schema and how to make SDK values."""

    module: Any
    schema: dict[str, Any]
    props: dict[str, Any]
    body: Any
    path_names: dict[str, str]
    #: The operation's path template (its key under ``paths``).
    template: str
    #: Python names of its header parameters.
    headers: frozenset[str] = frozenset()


def _call(subject: Subject, op: OperationPlan, operation: Any, parameters: list[Any]) -> _Call:
    # Arguments come from the document as published (the truth the SDK must accept), not from
    # the copy the policies adapted for openapi-python-client.
    doc = subject.original
    endpoint = op.endpoint
    props: dict[str, Any] = {}
    by_name: dict[tuple[str, str], str] = {}
    for location, group in (
        ("path", endpoint.path_parameters),
        ("query", endpoint.query_parameters),
        ("header", endpoint.header_parameters),
        ("cookie", endpoint.cookie_parameters),
    ):
        for p in group:
            alias = _raw(p.name)
            key = (op.method.upper(), op.path, location, alias)
            wire = subject.prepared.adapted.wire_names.get(key, (alias, alias))[0]
            props[str(p.python_name)] = p
            by_name[(wire, location)] = str(p.python_name)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for p in parameters:
        python = by_name.get((str(p["name"]), str(p["in"])))
        if python is None:
            continue
        properties[python] = json_schema(p.get("schema", {}), doc)
        if p["in"] in ("header", "cookie"):
            # A header or cookie value is a token on the wire (httpx refuses non-ASCII).
            token = {"pattern": "^[A-Za-z0-9._~-]*$"}
            properties[python] = {"allOf": [properties[python], token]}
        if p["in"] == "path" or (p["in"] == "query" and not p.get("allowEmptyValue")):
            # An empty path segment is no URL for the operation; an empty query value is
            # invalid unless allowEmptyValue says otherwise (openapi-core holds to that).
            properties[python] = {"allOf": [properties[python], {"minLength": 1}]}
        if p.get("required") or p["in"] == "path":
            required.append(python)
    body = endpoint.bodies[0] if endpoint.bodies else None
    if body is not None:
        content = _request_body(doc, operation).get("content", {})
        media: Any = content.get(_raw(body.content_type)) or next(iter(content.values()), {})
        properties["body"] = json_schema((media or {}).get("schema", {}), doc)
        if body.body_type == "content":
            # An empty raw body is no body at all on the wire.
            properties["body"] = {"allOf": [properties["body"], {"minLength": 1}]}
        if body.body_type == "data":
            properties["body"] = _form_arrays_not_empty(properties["body"])
        if _request_body(doc, operation).get("required"):
            required.append("body")
        props["body"] = body.prop
    schema = {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    module = importlib.import_module(f"{subject.package}.api.{op.tag}.{op.module}")
    path_names = {str(p.python_name): _raw(p.name) for p in endpoint.path_parameters}
    headers = frozenset(str(p.python_name) for p in endpoint.header_parameters)
    return _Call(module, schema, props, body, path_names, op.path, headers)


def _form_arrays_not_empty(schema: Any) -> Any:
    """A form body's schema whose required arrays hold at least one item: an empty array has no
    form-urlencoded spelling (it sends no pair at all, so the field reads as missing). A
    required name the schema does not declare is drawn as a string: a form field's value is
    text, and no other value has one spelling the document defines."""
    if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
        return schema
    properties = dict(schema["properties"])
    open_ended = schema.get("additionalProperties", True) in (True, {})
    for name in schema.get("required", []):
        if open_ended:
            properties.setdefault(name, {"type": "string"})
        prop = properties.get(name)
        if isinstance(prop, dict) and (prop.get("type") == "array" or "items" in prop):
            properties[name] = {"allOf": [prop, {"minItems": 1}]}
    return {**schema, "properties": properties}


def _arguments(call: _Call, values: dict[str, Any], package: str) -> dict[str, Any]:
    """The SDK arguments for the drawn JSON ``values``.

    A header the generator typed as ``str`` though the document says array (a reported
    adaptation: openapi-python-client cannot send one) takes its text on the wire: the only style
    of a header is ``simple``, the items joined by commas (OpenAPI 3.0.3 and 3.1.0, Parameter
    Object, Style Values); an empty array is undefined there (RFC 6570, section 3.2.1), no header.
    """
    kwargs: dict[str, Any] = {}
    for name, value in values.items():
        prop = call.props[name]
        if name in call.headers and isinstance(value, list) and not _is_list(prop):
            if value:
                kwargs[name] = ",".join(v if isinstance(v, str) else json.dumps(v) for v in value)
            continue
        kwargs[name] = to_argument(prop, value, package)
    return kwargs


def _is_list(prop: Any) -> bool:
    return _property_kind(prop) == "ListProperty" or any(
        _is_list(inner) for inner in getattr(prop, "inner_properties", None) or ()
    )


def _fits(request: httpx.Request, template: str) -> bool:
    """Whether ``request`` goes to a URL of the path ``template``, and carries the query the
    template may hold (OpenAI's ``/responses?beta=true``)."""
    path, _, query = template.partition("?")
    path = path.partition("#")[0]  # never sent
    sent = request.url.raw_path.decode("ascii").split("?", 1)[0]
    pairs = set(request.url.params.multi_items())
    wanted = httpx.QueryParams(query).multi_items()
    return PathParser(path).parse(sent) is not None and all(p in pairs for p in wanted)


def _request_checker(subject: Subject, call: _Call, validators: tuple[Any, Any]) -> Any:
    params_validator, body_validator = validators

    def check(values: Any) -> None:
        kwargs = _arguments(call, values, subject.package)
        built = call.module._request(**kwargs)
        request = httpx.Client(base_url=BASE_URL).build_request(**built)
        path_params = {
            call.path_names[k]: str(to_json(v)) for k, v in values.items() if k in call.path_names
        }
        wrapped = _Request(request, path_params, call.template, _fragment(built["url"]))
        if not _fits(request, call.template):
            raise AssertionError(f"request sent to {request.url}, not a URL of {call.template}")
        errors = list(params_validator.iter_errors(wrapped))
        if call.body is not None and call.body.body_type in ("json", "data"):
            # MissingRequestBody is openapi-core's signal for an optional body left out (a
            # required one is MissingRequiredRequestBody).
            errors += [
                e
                for e in body_validator.iter_errors(wrapped)
                if type(e).__name__ != "MissingRequestBody"
            ]
        if errors:
            detail = "; ".join(_why(e) for e in errors)
            raise AssertionError(f"request rejected by the document: {detail[:3000]}")

    return check


def _response_checker(call: _Call, method: str, status: int, ns: dict[str, Any]) -> Any:
    declared = typing.get_type_hints(call.module._parse, globalns={**vars(call.module), **ns})
    returns = declared["return"]

    def check(value: Any) -> None:
        request = httpx.Request(method, BASE_URL)
        # Spelled out: httpx sends no body at all for json=None, and null is a valid body.
        content = json.dumps(value).encode()
        headers = {"content-type": "application/json"}
        response = httpx.Response(status, content=content, headers=headers, request=request)
        parsed = call.module._parse(response)
        if why := conforms(parsed, returns, ns):
            raise AssertionError(f"{status} parsed into the wrong types: {why}")
        back = json.loads(json.dumps(to_json(parsed)))
        assert same(back, value), f"{status} gave back {back!r:.300}"

    return check


def check_operations(
    subject: Subject, max_examples: int, result: Result, only: int | None = None
) -> None:
    validators = _validators(subject)
    ns = _namespace(subject.package)
    operations = [op for tag in subject.plan.tags for op in tag.operations]
    if only is not None and len(operations) > only:
        operations = operations[:: max(1, len(operations) // only)][:only]
    for op in operations:
        label = f"{op.tag}.{op.name}"
        operation, parameters = _operation_node(subject.original, op)
        try:
            call = _call(subject, op, operation, parameters)
            strategy = instances(call.schema)
            failure = _run(_request_checker(subject, call, validators), strategy, max_examples)
        except Exception as exc:
            result.skipped[label] = f"no request strategy: {type(exc).__name__}: {exc}"[:300]
            continue
        for success in op.successes:
            if failure is not None or success.empty:
                continue
            found = _response_schema(operation, subject.original, success.low, success.high)
            if found is None or "json" not in found[0]:
                continue
            status = _success_status(success)
            check = _response_checker(call, op.method, status, ns)
            try:
                strategy = instances(json_schema(found[1], subject.original))
            except Exception as exc:
                result.skipped[f"{label} {status}"] = f"no response strategy: {exc}"[:300]
                continue
            try:
                failure = _run(check, strategy, max_examples)
            except NoExamples as exc:
                result.skipped[f"{label} {status}"] = str(exc)[:300]
        if failure is None:
            result.operations_passed.append(label)
        else:
            result.operations_failed[label] = failure[:4000]


def run(subject: Subject, max_examples: int, only: int | None = None) -> Result:
    """Check ``subject``'s models and operations (``only``: an even sample of that many each)."""
    result = Result()
    check_models(subject, max_examples, result, only)
    check_operations(subject, max_examples, result, only)
    return result


def iter_failures(result: Result) -> Iterator[str]:
    for name, why in result.models_failed.items():
        yield f"model {name}: {why}"
    for name, why in result.operations_failed.items():
        yield f"operation {name}: {why}"
