"""Report text: names instead of openapi-python-client's reprs, cuts between words, JSON lines found
without composing YAML nodes, and the config line that gets past a refusal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.messages import brief, readable
from generator.plan import with_remedy
from generator.source import Source, json_line

REPR = "<openapi_python_client.schema.untrusted_string.UntrustedString object at 0x7f00deadbeef>"


class _Ref:
    ref = "#/components/schemas/Member"


class _Error:
    def __init__(self, data: Any) -> None:
        self.data = data


def test_reprs_become_names_and_the_removal_list_goes() -> None:
    union = readable(
        f"Unable to parse this part of your OpenAPI document: : Invalid property in union {REPR} "
        "Failure to process schema has resulted in the removal of: /components/schemas/A /b",
        _Error(_Ref()),
    )
    assert union == "Invalid property in union (member $ref '#/components/schemas/Member')"
    assert readable(f"Reference {REPR} in allOf was not processed", _Error(_Ref())) == (
        "Reference '#/components/schemas/Member' in allOf was not processed"
    )
    status = readable(f"Cannot parse response for status code {REPR} (x)")
    assert "UntrustedString" not in status and "status code (one of its responses)" in status


def test_brief_cuts_between_words() -> None:
    text = "schema /components/schemas/ResponsesClientEvent " * 10
    cut = brief(text, 60)
    assert cut.endswith(" …") and "ResponsesClien " not in cut
    assert all(word in text.split() for word in cut[:-2].split())
    assert brief("short", 60) == "short"


@pytest.mark.parametrize("indent", [None, 2])
def test_json_lines_are_found_by_skipping_siblings(indent: int | None) -> None:
    document = {
        "openapi": "3.1.0",
        "paths": {"/a/b": {"get": {"responses": {"200": {"description": "x"}}}}},
        "list": [{"a": 1}, {"b": [1, 2, {"c": 3}]}],
    }
    text = json.dumps(document, indent=indent)
    source = Source(path=Path("doc.json"), raw=text.encode(), data=document)
    as_yaml = Source(path=Path("doc.yaml"), raw=b"# YAML\n" + text.encode(), data=document)
    for pointer in ("/paths/~1a~1b/get/responses/200", "/list/1/b/2/c", "/paths/~1nowhere"):
        # JSON is a subset of YAML: YAML nodes (shifted one line) agree with the JSON scanner.
        yaml_line = as_yaml.line(pointer)
        assert yaml_line is not None and source.line(pointer) == yaml_line - 1, pointer
    assert json_line("openapi: 3.1.0\n", "/openapi") is None  # YAML: not this way


def test_refusals_name_the_exclude_line_that_gets_past_them() -> None:
    assert with_remedy("operation 'listPets' (GET /pets): cannot be represented").endswith(
        '(to leave it out: `exclude: ["GET /pets"]` in the config)'
    )
    assert with_remedy("doc.json:12 /paths/~1pets~1{id}/post/requestBody: needs content").endswith(
        '`exclude: ["POST /pets/{id}"]` in the config)'
    )
    assert with_remedy("schema 'Pet': cannot model it").endswith(
        '`exclude: ["#/components/schemas/Pet"]` in the config)'
    )
    assert with_remedy("doc.json:3 /info/version: missing") == "doc.json:3 /info/version: missing"
