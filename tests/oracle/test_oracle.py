"""Generated SDKs are right at run time: every model round-trips instances of its schema, every
operation builds requests the document accepts and parses the responses it describes.

The corpus (tests/generator/corpus) is checked whole with ``SDK_CORPUS=full``, else a subset
sampled to keep ``make test`` within minutes (tests/oracle/support.py). Per-document counts are
printed (``pytest -s``) so a run doubles as the report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from benchmarks.corpus_run import Entry

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


def _snippet(root: Path, package: str, paths: dict[str, Any], schemas: dict[str, Any]) -> Path:
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
    _snippet(oracle_root, "closed_union_sdk", {}, schemas)
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
    _snippet(oracle_root, "alike_paths_sdk", paths, {})
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
    _snippet(oracle_root, "pattern_sdk", {}, schemas)
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
    _snippet(oracle_root, "query_key_sdk", paths, {})
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
    _snippet(
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
    _snippet(oracle_root, "array_header_sdk", {"/things": _get("listThings", [parameter])}, {})
    assert _oracle_on(oracle_root, "array_header_sdk") == []
