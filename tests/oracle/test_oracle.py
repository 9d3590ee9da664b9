"""Generated SDKs are right at run time: every model round-trips instances of its schema, every
operation builds requests the document accepts and parses the responses it describes.

The corpus (tests/generator/corpus) is checked whole with ``SDK_CORPUS=full``, else a subset
sampled to keep ``make test`` within minutes (tests/oracle/support.py). Per-document counts are
printed (``pytest -s``) so a run doubles as the report.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from benchmarks.corpus_run import Entry
from sdk_session.errors import InvalidData

from . import oracle
from .support import FULL_SAMPLE, HYGIENE, REPO, SAMPLE, full_corpus, generate, selected

pytestmark = pytest.mark.timeout(1800)

#: Examples per model and per operation (bounded: hypothesis is derandomized, no deadline); the
#: full run keeps them few: it checks every model and operation of every document.
MAX_EXAMPLES = 4 if full_corpus() else 6


def _check(name: str, spec: Path, config: Path, output: Path, sample: int | None) -> None:
    subject = oracle.subject(spec, config, output)
    result = oracle.run(subject, MAX_EXAMPLES, sample)
    print(f"\noracle {name}: {result.summary()}")
    failures = list(oracle.iter_failures(result))
    assert failures == [], "\n".join(f[:1500] for f in failures)


@pytest.mark.parametrize("entry", selected(), ids=lambda e: e.file)
def test_corpus_sdk_is_right_at_run_time(entry: Entry, oracle_root: Path) -> None:
    generated = generate(entry.path, entry.package, oracle_root)
    sample = FULL_SAMPLE if full_corpus() else SAMPLE
    _check(entry.file, generated.spec, generated.config, generated.output, sample)


def test_hygiene_sdk_is_right_at_run_time(oracle_root: Path) -> None:
    """Names that collide with template locals, unions of consts, int enums, binary fields."""
    generated = generate(HYGIENE, "hygiene_sdk", oracle_root)
    _check("hygiene", generated.spec, generated.config, generated.output, None)


def test_collisions_sdk_is_right_at_run_time(oracle_root: Path) -> None:
    """Models named like the generated modules' imports, renamed (tests/generator)."""
    spec = REPO / "tests" / "generator" / "collisions.yaml"
    generated = generate(spec, "collisions_sdk", oracle_root)
    _check("collisions", generated.spec, generated.config, generated.output, None)


def _as_openapi_31(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` (3.0) with every ``nullable: true`` spelled as a 3.1 type list."""

    def convert(node: Any) -> Any:
        if isinstance(node, list):
            return [convert(item) for item in node]
        if not isinstance(node, dict):
            return node
        out = {key: convert(value) for key, value in node.items() if key != "nullable"}
        if node.get("nullable") is True:
            out["type"] = [node["type"], "null"]
        return out

    return {**convert(document), "openapi": "3.1.0"}


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_nullable_components_are_none_where_they_are_used(
    version: str, oracle_root: Path, tmp_path: Path
) -> None:
    """An object component that allows null is ``X | None`` wherever it is used (properties,
    items, additional properties, unions, bodies), its model the object alone, named after its
    key beside its non-null twin of the same title (generator/nullable.py; GitHub's
    ``nullable-simple-user``: its nulls failed to parse)."""
    spec = REPO / "tests" / "generator" / "nullable.yaml"
    if version == "3.1":
        document = yaml.safe_load(spec.read_text(encoding="utf-8"))
        spec = tmp_path / "nullable-3-1.yaml"
        spec.write_text(yaml.safe_dump(_as_openapi_31(document), sort_keys=False), "utf-8")
    package = f"nullable_{version.replace('.', '')}_sdk"
    generated = generate(spec, package, oracle_root)
    _check(package, generated.spec, generated.config, generated.output, None)
    models = importlib.import_module(f"{package}.models")
    raw = {
        "owner": None,
        "plain": {"login": "a"},
        "label": None,
        "reviewers": [None, {"login": "b", "manager": None}],
        "by_name": {"c": None},
        "merged": None,
        "either": None,
        "based": {"login": "d", "since": "e"},
        "one": None,
    }
    thing = models.Thing.from_dict(raw)
    assert thing.owner is None and thing.reviewers[1].manager is None
    assert thing.to_dict() == raw
    assert models.NullableUser is not models.User and not hasattr(models, "User2")
    with pytest.raises(InvalidData):
        models.Thing.from_dict({**raw, "plain": None})


def test_requests_are_checked_against_the_operation_they_call(
    oracle_root: Path, tmp_path: Path
) -> None:
    """A URL that fits two path templates is validated against the operation's own (GitHub's
    ``/compare/{base}...{head}`` also fits ``/compare/{basehead}``, which openapi-core picks)."""
    ok = {"200": {"description": "ok"}}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Ambiguous paths", "version": "1"},
        "paths": {
            "/compare/{basehead}": {
                "get": {
                    "operationId": "compareRange",
                    "tags": ["commits"],
                    "parameters": [_path_parameter("basehead")],
                    "responses": ok,
                }
            },
            "/compare/{base}...{head}": {
                "get": {
                    "operationId": "compareTwo",
                    "tags": ["commits"],
                    "parameters": [_path_parameter("base"), _path_parameter("head")],
                    "responses": ok,
                }
            },
        },
    }
    spec = tmp_path / "ambiguous.yaml"
    spec.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    generated = generate(spec, "ambiguous_sdk", oracle_root)
    _check("ambiguous", generated.spec, generated.config, generated.output, None)


def _path_parameter(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


@pytest.mark.parametrize(
    ("spec", "config", "output"),
    [
        ("spec/openapi.yaml", "generator/config.yaml", "generated_sdk"),
        (
            "examples/drf/spec/openapi.yaml",
            "examples/drf/drf_sdk.generator.yaml",
            "examples/drf/drf_sdk",
        ),
    ],
    ids=["generated_sdk", "drf_sdk"],
)
def test_committed_sdk_is_right_at_run_time(spec: str, config: str, output: str) -> None:
    _check(output, REPO / spec, REPO / config, REPO / output, None)


def test_dot_segments_stay_in_the_path(oracle_root: Path) -> None:
    """A path parameter "." or ".." is percent-encoded: as it is, httpx removes it as a dot
    segment and the request goes to another path (found on Prefect's SDK by the oracle)."""
    generated = generate(HYGIENE, "hygiene_dots_sdk", oracle_root)
    assert generated.output.name == "hygiene_dots_sdk"
    from hygiene_dots_sdk.api.pages import _get_page  # type: ignore[import-not-found]

    for value, path in ((".", "/pages/%2E"), ("..", "/pages/%2E%2E"), ("a.b", "/pages/a.b")):
        built = _get_page._request(page_id=value, levels=1)
        request = httpx.Client(base_url="http://sdk.test").build_request(**built)
        assert request.url.raw_path.decode().split("?")[0] == path


def _ok(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def _snippet(
    oracle_root: Path, package: str, paths: dict[str, Any], schemas: dict[str, Any]
) -> None:
    """Generate an OpenAPI 3.0 snippet as ``package`` and run the oracle on all of it."""
    document = {
        "openapi": "3.0.2",
        "info": {"title": package, "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }
    spec = oracle_root / f"{package}.yaml"
    spec.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    generated = generate(spec, package, oracle_root)
    _check(package, generated.spec, generated.config, generated.output, None)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def test_allof_that_constrains_no_object_is_the_schema_it_wraps(oracle_root: Path) -> None:
    """Box annotates schemas through ``allOf``; openapi-python-client made each an empty model
    that refused the string it wraps (``FolderMiniSequenceId: expected an object, got str``), or
    could not take one of an enum or a union at all (the schema using it became Any)."""
    annotated = {"description": "annotation only"}
    folder = {
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": {"type": "string"},
            # {nullable: false} has no type of its own: null stays allowed (OpenAPI 3.0.3)
            "sequence_id": {"allOf": [{"type": "string", "nullable": True}, {"nullable": False}]},
            "anything": {"allOf": [{}, annotated]},
            "tags": {"allOf": [{"type": "array", "items": {"type": "string"}}, annotated]},
            "params": {"type": "object", "additionalProperties": {"allOf": [{}, annotated]}},
        },
    }
    assignment = {
        "type": "object",
        "properties": {
            "role": {"allOf": [_ref("Role"), annotated]},
            "source": {"allOf": [_ref("Source"), annotated]},
        },
    }

    def tagged(kind: str) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["type"],
            "properties": {"type": {"type": "string", "enum": [kind]}},
        }

    schemas = {
        "Folder": folder,
        "Assignment": assignment,
        "Role": {"type": "string", "enum": ["editor", "viewer"]},
        "Source": {"type": "object", "oneOf": [_ref("User"), _ref("Group")]},
        "User": tagged("user"),
        "Group": tagged("group"),
    }
    paths = {
        f"/{name.lower()}s": {
            "get": {"operationId": f"get{name}", "tags": ["things"], "responses": _ok(_ref(name))}
        }
        for name in ("Folder", "Assignment")
    }
    _snippet(oracle_root, "allof_sdk", paths, schemas)
    model = (oracle_root / "allof_sdk" / "models" / "assignment.py").read_text(encoding="utf-8")
    assert "role: Role | Unset" in model and "source: Group | Unset | User = UNSET" in model, model


def test_json_patch_bodies_and_paths_told_apart_by_a_fragment(oracle_root: Path) -> None:
    """Box's ``.../schema#add`` (JSON) and ``.../schema#update`` (``application/json-patch+json``)
    are one URL on the wire; each request is checked against its own operation, and a ``+json``
    body as JSON."""
    operation = {"type": "object", "required": ["op"], "properties": {"op": {"type": "string"}}}

    def put(name: str, media: str) -> dict[str, Any]:
        body = {"type": "array", "items": operation}
        return {
            "put": {
                "operationId": name,
                "tags": ["templates"],
                "requestBody": {"required": True, "content": {media: {"schema": body}}},
                "responses": {"204": {"description": "done"}},
            }
        }

    paths = {
        "/templates/schema#add": put("addFields", "application/json"),
        "/templates/schema#update": put("updateFields", "application/json-patch+json"),
    }
    _snippet(oracle_root, "fragments_sdk", paths, {})


def test_a_loosened_array_body_is_still_a_list(oracle_root: Path) -> None:
    """A body openapi-python-client cannot model (an ``allOf`` of two string schemas) is
    loosened; an array body stays an array (it was a ``dict[str, Any]`` model that refused
    the list it had to send)."""
    item = {"allOf": [_ref("Code"), {"minLength": 1}]}
    paths = {
        "/codes": {
            "put": {
                "operationId": "putCodes",
                "tags": ["codes"],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"type": "array", "items": item}}},
                },
                "responses": {"204": {"description": "done"}},
            }
        }
    }
    _snippet(oracle_root, "loose_array_sdk", paths, {"Code": {"type": "string"}})


def test_a_form_field_required_but_not_declared_is_sent(oracle_root: Path) -> None:
    """Box's token revocation form requires ``grant_type`` without declaring it: the SDK sends
    it as an additional property, which the oracle reads (openapi-core alone never would)."""
    revoke = {
        "type": "object",
        "required": ["grant_type"],
        "properties": {"token": {"type": "string"}},
    }
    paths = {
        "/revoke": {
            "post": {
                "operationId": "revoke",
                "tags": ["auth"],
                "requestBody": {
                    "required": True,
                    "content": {"application/x-www-form-urlencoded": {"schema": _ref("Revoke")}},
                },
                "responses": {"204": {"description": "done"}},
            }
        }
    }
    _snippet(oracle_root, "form_fields_sdk", paths, {"Revoke": revoke})


def _snippet_package(
    root: Path, package: str, paths: dict[str, Any], schemas: dict[str, Any]
) -> Path:
    """A small OpenAPI 3.0 document of ``paths`` and ``schemas``, generated as ``package`` under
    ``root``; returns the package folder."""
    document = {
        "openapi": "3.0.3",
        "info": {"title": package, "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }
    spec = root / f"{package}.json"
    spec.write_text(json.dumps(document))
    return generate(spec, package, root).output


def _oracle_on(root: Path, package: str) -> list[str]:
    """Every failure the oracle finds in the snippet SDK ``package`` (all of it)."""
    config = root / f"{package}.generator.yaml"
    subject = oracle.subject(root / f"{package}.json", config, root / package)
    return list(oracle.iter_failures(oracle.run(subject, MAX_EXAMPLES)))


def test_a_union_of_closed_models_takes_the_one_that_keeps_every_key(oracle_root: Path) -> None:
    """Models with ``additionalProperties: false`` parse any object, dropping what they do not
    declare: a union took the first that parsed (Adyen's payment methods lost ``openid``)."""
    closed = {"type": "object", "additionalProperties": False}
    methods = [{"$ref": f"#/components/schemas/{name}"} for name in ("A", "B", "Open")]
    kind = {"type": "string", "enum": ["open"]}
    schemas = {
        "Payment": {"type": "object", "properties": {"method": {"oneOf": methods}}},
        "A": {**closed, "properties": {"ref": {"type": "string"}, "number": {"type": "string"}}},
        "B": {**closed, "properties": {"ref": {"type": "string"}, "openid": {"type": "string"}}},
        # After Payment: the union's copy of it predates the reading of its openness.
        "Open": {"type": "object", "properties": {"kind": kind}, "required": ["kind"]},
    }
    _snippet_package(oracle_root, "closed_union_sdk", {}, schemas)
    from closed_union_sdk.models import A, B, Open, Payment  # type: ignore[import-not-found]

    for value, cls in (
        ({"ref": "r", "openid": "o"}, B),
        ({"ref": "r", "number": "n"}, A),
        ({"ref": "r"}, A),
        ({"kind": "open", "ref": "r", "more": 1}, Open),
        ({"ref": "r", "other": 1}, A),  # none keeps it: the first that parses, as before
    ):
        parsed = Payment.from_dict({"method": value})
        assert type(parsed.method) is cls
        if "other" not in value:
            assert parsed.to_dict() == {"method": value}


def test_operations_of_templates_alike_are_each_checked_against_their_own(
    oracle_root: Path,
) -> None:
    """Xero's ``/Contacts/{ContactID}`` and ``/Contacts/{ContactNumber}``: OpenAPI forbids the
    pair, and openapi-core validated every request to either against the first."""

    def get(name: str, schema: dict[str, Any]) -> dict[str, Any]:
        parameter = {"name": name, "in": "path", "required": True, "schema": schema}
        return {
            "get": {
                "operationId": f"get{name}",
                "tags": ["things"],
                "parameters": [parameter],
                "responses": {"204": {"description": "none"}},
            }
        }

    paths = {
        "/things/{ThingID}": get("ThingID", {"type": "string", "format": "uuid"}),
        "/things/{ThingNumber}": get("ThingNumber", {"type": "string"}),
    }
    _snippet_package(oracle_root, "alike_paths_sdk", paths, {})
    assert _oracle_on(oracle_root, "alike_paths_sdk") == []


def test_properties_named_by_a_pattern_are_kept(oracle_root: Path) -> None:
    """SendGrid's contact search answers results keyed by e-mail address (``patternProperties``
    beside ``additionalProperties: false``): the model parsed them all away."""
    found = {"type": "object", "properties": {"error": {"type": "string"}}}
    schemas = {
        "Search": {
            "type": "object",
            "additionalProperties": False,
            "patternProperties": {"^[^@]+@[^@]+$": found},
        }
    }
    _snippet_package(oracle_root, "pattern_sdk", {}, schemas)
    from pattern_sdk.models import Search  # type: ignore[import-not-found]

    value = {"a@b.example": {"error": "not found"}, "c@d.example": {}}
    assert Search.from_dict(value).to_dict() == value
    assert _oracle_on(oracle_root, "pattern_sdk") == []


def test_the_query_of_a_path_key_is_sent(oracle_root: Path) -> None:
    """OpenAI's ``/responses?beta=true``: the SDK sent it without ``beta=true`` whenever the call
    had query parameters (httpx replaces a URL's query by ``params``), so the other operation."""

    def get(name: str, parameters: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "get": {
                "operationId": name,
                "tags": ["things"],
                "parameters": parameters,
                "responses": {"204": {"description": "none"}},
            }
        }

    limit = {"name": "limit", "in": "query", "schema": {"type": "integer"}}
    paths = {
        "/things": get("listThings", [limit]),
        "/things?beta=true": get("listBetaThings", [limit]),
        "/others?beta=true&v=1&v=2": get("listBetaOthers", []),
    }
    _snippet_package(oracle_root, "query_key_sdk", paths, {})
    from query_key_sdk.api.things import (  # type: ignore[import-not-found]
        _list_beta_others,
        _list_beta_things,
    )

    client = httpx.Client(base_url="http://sdk.test")
    sent = client.build_request(**_list_beta_things._request(limit=3)).url
    assert (sent.path, sent.params.multi_items()) == ("/things", [("beta", "true"), ("limit", "3")])
    sent = client.build_request(**_list_beta_others._request()).url
    assert sent.params.multi_items() == [("beta", "true"), ("v", "1"), ("v", "2")]
    assert _oracle_on(oracle_root, "query_key_sdk") == []


def _get(name: str, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "get": {
            "operationId": name,
            "tags": ["things"],
            "parameters": parameters,
            "responses": {"204": {"description": "none"}},
        }
    }


def test_a_query_object_that_may_be_null_is_sent_as_its_properties(oracle_root: Path) -> None:
    """OpenAI's ``metadata`` filter, an object or null (style form, explode): the SDK sent the
    object as one value (``metadata={}``) instead of a parameter per property."""
    filters = {
        "anyOf": [{"type": "object", "additionalProperties": {"type": "string"}}, {"type": "null"}]
    }
    parameter = {
        "name": "metadata",
        "in": "query",
        "schema": {"$ref": "#/components/schemas/Filters"},
    }
    _snippet_package(
        oracle_root,
        "query_object_sdk",
        {"/things": _get("listThings", [parameter])},
        {"Filters": filters},
    )
    from query_object_sdk.api.things import _list_things  # type: ignore[import-not-found]
    from query_object_sdk.models import FiltersType0  # type: ignore[import-not-found]

    value = FiltersType0.from_dict({"a": "1", "b": "2"})
    sent = httpx.Client(base_url="http://sdk.test").build_request(
        **_list_things._request(metadata=value)
    )
    assert sent.url.params.multi_items() == [("a", "1"), ("b", "2")]
    assert _oracle_on(oracle_root, "query_object_sdk") == []


def test_an_array_header_typed_as_str_takes_its_wire_text(oracle_root: Path) -> None:
    """OpenAI's ``openai-beta`` header, an array the generator types as ``str`` (reported): the
    oracle passed the list itself, which the SDK sent as ``"['a']"``."""
    items = {"type": "string", "enum": ["a=1", "b=2"]}
    parameter = {"name": "x-betas", "in": "header", "schema": {"type": "array", "items": items}}
    _snippet_package(
        oracle_root, "array_header_sdk", {"/things": _get("listThings", [parameter])}, {}
    )
    assert _oracle_on(oracle_root, "array_header_sdk") == []
