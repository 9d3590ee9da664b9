"""OpenAPI 3.1 as specified, and what openapi-python-client cannot model loosened, not refused.

A webhooks-only document makes an SDK of models; an operation without ``responses`` is generated;
``$ref``s inside ``x-`` extensions or examples are data, never followed; enums whose values make
the same Python name, ``allOf`` of a non-object and colliding inline model names are adapted
under ``unrepresentable_schema: loose``/``model_name: rename`` and named in the report; a crash
inside openapi-python-client is reported as a located bug with the config line that gets past it.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import main

pytestmark = pytest.mark.timeout(300)

PET = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string"}, "order": {"$ref": "#/components/schemas/Order"}},
}
ORDER = {"type": "string", "enum": ["asc", "ASC", "desc"]}


def _run(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in args])
    return code, out.getvalue(), err.getvalue()


def _generate(
    tmp_path: Path,
    document: dict[str, Any],
    *,
    config: dict[str, Any] | None = None,
    mypy: bool = False,
) -> tuple[int, str, str]:
    """init + generate (no mypy) of ``document`` as package ``doc_sdk``; ``--report json``.

    With ``config``, init runs on a valid minimal document (init refuses what generation would)
    and ``config`` is merged into what it writes.
    """
    tmp_path.mkdir(parents=True, exist_ok=True)
    spec = tmp_path / "doc.yaml"
    seed = _document() if config else document
    spec.write_text(yaml.safe_dump(seed, sort_keys=False), encoding="utf-8")
    config_path = tmp_path / "doc_sdk.generator.yaml"
    code, _, err = _run("init", "--spec", spec, "--package", "doc_sdk", "--config", config_path)
    if code != 0:
        return code, "", err
    spec.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    if config:
        settings = yaml.safe_load(config_path.read_text(encoding="utf-8"))
        settings.update(config)
        config_path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return _run(
        "--spec",
        spec,
        "--config",
        config_path,
        "--output",
        tmp_path / "doc_sdk",
        "--report",
        "json",
        "--mypy" if mypy else "--no-mypy",
    )


def _document(**extra: Any) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Pets", "version": "1"},
        "components": {"schemas": {"Pet": PET, "Order": {"type": "string"}}},
        **extra,
    }


def test_a_webhooks_only_document_makes_an_sdk_of_models(tmp_path: Path) -> None:
    document = _document(
        webhooks={
            "newPet": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                        }
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        }
    )
    code, out, err = _generate(tmp_path, document)
    assert code == 0, err
    report = json.loads(out)
    assert report["operations"] == {
        "in_document": 0,
        "generated": 0,
        "excluded": 0,
        "adapted": 0,
        "lost": 0,
    }
    assert report["webhooks"] == 1 and report["models"] >= 1
    assert (tmp_path / "doc_sdk" / "models" / "pet.py").exists()
    spec = tmp_path / "doc.yaml"
    code, text, err = _run(
        "--spec",
        spec,
        "--config",
        tmp_path / "doc_sdk.generator.yaml",
        "--output",
        tmp_path / "doc_sdk",
        "--no-mypy",
    )
    assert code == 0, err
    assert "no operations: the document describes 1 webhook(s) and no paths" in text


def test_an_operation_without_responses_is_generated(tmp_path: Path) -> None:
    document = _document(paths={"/ping": {"post": {"operationId": "ping", "tags": ["health"]}}})
    code, out, err = _generate(tmp_path, document)
    assert code == 0, err
    report = json.loads(out)
    assert report["operations"]["generated"] == 1 and report["operations"]["lost"] == 0
    assert report["adaptations_by_policy"] == {"no_success_response": 1}


def test_refs_inside_extensions_and_examples_are_never_followed(tmp_path: Path) -> None:
    document = _document(
        paths={
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "tags": ["pets"],
                    "x-codegen": {"schema": {"$ref": "#/components/schemas/Nowhere"}},
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Pet"},
                                    "example": {"$ref": "not a reference, a value"},
                                }
                            },
                        }
                    },
                }
            }
        },
        **{"x-tooling": {"$ref": "other.yaml#/nothing"}},
    )
    code, out, err = _generate(tmp_path, document)
    assert code == 0, err
    assert json.loads(out)["operations"]["generated"] == 1

    # A header is named by the author: ``x-`` there is a name, and its $ref is checked.
    headers = {"x-rate-limit": {"$ref": "#/components/headers/Nowhere"}}
    document["paths"]["/pets"]["get"]["responses"]["200"]["headers"] = headers
    code, _, err = _generate(tmp_path / "again", document)
    assert code == 1 and "#/components/headers/Nowhere" in err and "points at nothing" in err


def test_enum_values_that_make_the_same_name_become_str(tmp_path: Path) -> None:
    document = _document(
        paths={
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "tags": ["pets"],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                            },
                        }
                    },
                }
            }
        }
    )
    document["components"]["schemas"]["Order"] = ORDER
    code, out, err = _generate(tmp_path, document)
    assert code == 0, err
    [adaptation] = json.loads(out)["adaptations"]
    assert adaptation["policy"] == "unrepresentable_schema"
    assert adaptation["subject"].startswith("schema 'Order' (doc.yaml:")
    assert "'asc' and 'ASC' both make the Python name ASC" in adaptation["detail"]
    assert (
        "doc.yaml:" in adaptation["detail"]
        and "/components/schemas/Order/enum" in adaptation["detail"]
    )
    pet = (tmp_path / "doc_sdk" / "models" / "pet.py").read_text(encoding="utf-8")
    assert "order: str | Unset" in pet


def test_allof_of_a_non_object_and_colliding_inline_models_are_adapted(tmp_path: Path) -> None:
    inline = {"type": "object", "title": "Limits", "properties": {"n": {"type": "integer"}}}
    schemas = {
        "Code": {"type": "string"},
        # openapi-python-client: "Cannot take allOf a non-object"
        "Coded": {"allOf": [{"$ref": "#/components/schemas/Code"}, {"type": "object"}]},
        # both make an inline model "LimitsN"... named after their own schema instead
        "First": {"type": "object", "properties": {"limits": inline}},
        "Second": {"type": "object", "properties": {"limits": inline}},
    }
    paths = {
        f"/{name.lower()}": {
            "get": {
                "operationId": f"get{name}",
                "tags": ["things"],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                        },
                    }
                },
            }
        }
        for name in ("Coded", "First", "Second")
    }
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Things", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }
    code, out, err = _generate(tmp_path, document)
    assert code == 0, err
    report = json.loads(out)
    assert report["operations"]["generated"] == 3
    rendered = [f"[{a['policy']}] {a['subject']}: {a['detail']}" for a in report["adaptations"]]
    assert any(
        line.startswith("[unrepresentable_schema] schema 'Coded' (doc.yaml:")
        and "Cannot take allOf a non-object" in line
        for line in rendered
    ), rendered
    assert "UntrustedString" not in out


def test_schema_exclusion_and_refusals_that_name_their_remedy(tmp_path: Path) -> None:
    document = _document(
        paths={
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "tags": ["pets"],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                            },
                        }
                    },
                },
                "post": {
                    "operationId": "addPet",
                    "tags": ["pets"],
                    "parameters": [{"$ref": "#/components/parameters/Nowhere"}],
                    "responses": {"204": {"description": "ok"}},
                },
            }
        }
    )
    code, _, err = _generate(tmp_path, document)
    assert code == 1
    assert "points at nothing" in err
    assert '(to leave it out: `exclude: ["POST /pets"]` in the config)' in err

    config = {"exclude": ["POST /pets", "#/components/schemas/Pet"]}
    code, out, err = _generate(tmp_path / "excluded", document, config=config)
    assert code == 0, err
    report = json.loads(out)
    assert report["excluded_schemas"] == ["Pet"]
    assert report["operations"]["excluded"] == 1 and report["operations"]["generated"] == 1
    assert not (tmp_path / "excluded" / "doc_sdk" / "models" / "pet.py").exists()


def test_a_crash_inside_openapi_python_client_is_a_located_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openapi_python_client.parser.properties import enum_property

    def crash(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("boom")

    monkeypatch.setattr(enum_property.EnumProperty, "values_from_list", staticmethod(crash))
    document = _document()
    document["components"]["schemas"]["Order"] = {"type": "string", "enum": ["a", "b"]}
    code, _, err = _generate(tmp_path, document)
    assert code == 1
    assert "internal error while" in err and "KeyError: 'boom'" in err
    assert "schema 'Order'" in err or "schema 'Pet'" in err
    assert '`exclude: ["#/components/schemas/' in err
    assert "Traceback" not in err


def test_union_members_titled_alike_and_octet_stream_strings_type_check(tmp_path: Path) -> None:
    lists = [
        {"type": "array", "title": "array", "items": {"type": "string"}},
        {"type": "array", "title": "array", "items": {"type": "integer"}},
    ]
    choices = [
        {"type": "object", "title": "Choice", "properties": {"a": {"type": "string"}}},
        {"type": "object", "title": "Choice", "properties": {"b": {"type": "integer"}}},
    ]
    embedding = {
        "type": "object",
        "properties": {
            "input": {"oneOf": [{"type": "string"}, *lists]},
            "choice": {"anyOf": choices},
        },
    }
    document = _document(
        paths={
            "/embeddings": {
                "post": {
                    "operationId": "embed",
                    "tags": ["embeddings"],
                    "requestBody": {"content": {"application/json": {"schema": embedding}}},
                    "responses": {"204": {"description": "ok"}},
                }
            },
            "/files": {
                "post": {
                    "operationId": "upload",
                    "tags": ["files"],
                    "requestBody": {
                        "content": {
                            "application/octet-stream": {
                                "schema": {"type": "string", "format": "byte"}
                            }
                        }
                    },
                    "responses": {"204": {"description": "ok"}},
                }
            },
        }
    )
    code, out, err = _generate(tmp_path, document, mypy=True)
    assert code == 0, err  # mypy --strict included
    policies = json.loads(out)["adaptations_by_policy"]
    # the two arrays merge into one list[str | int]; the second "Choice" is "Choice 2"
    assert policies == {"model_name": 1, "non_json_body": 1, "unrepresentable_schema": 1}


def test_refs_into_a_component_and_defaults_that_break_their_schema(tmp_path: Path) -> None:
    """PagerDuty's REST description: a parameter schema given as ``$ref`` to another parameter's
    ``schema`` (openapi-python-client resolves only whole components), and an integer parameter
    whose default is ``"20 - incident_summary"``. Both operations used to be refused."""
    state = {
        "name": "state",
        "in": "query",
        "schema": {"type": "string", "enum": ["queued", "running"]},
    }
    not_state = {
        "name": "not_state",
        "in": "query",
        "schema": {"$ref": "#/components/parameters/state/schema"},
    }
    limit = {
        "name": "limit",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "default": "20 - incident_summary"},
    }
    document = _document(
        paths={
            "/jobs": {
                "get": {
                    "operationId": "listJobs",
                    "tags": ["jobs"],
                    "parameters": [
                        {"$ref": "#/components/parameters/state"},
                        not_state,
                        limit,
                    ],
                    "responses": {"204": {"description": "none"}},
                }
            },
            "/pets/{id}": {
                "get": {
                    "operationId": "getPet",
                    "tags": ["pets"],
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"$ref": "#/components/schemas/Pet/properties/name"},
                        }
                    ],
                    "responses": {"204": {"description": "none"}},
                }
            },
        }
    )
    document["components"]["parameters"] = {"state": state}
    code, out, err = _generate(tmp_path, document, mypy=True)
    assert code == 0, err
    report = json.loads(out)
    assert report["operations"]["generated"] == 2 and report["operations"]["lost"] == 0
    assert report["adaptations_by_policy"] == {"invalid_schema_keyword": 1}
    rendered = json.dumps(report["adaptations"])
    assert "/paths/~1jobs/get/parameters/2/schema" in rendered
    assert "20 - incident_summary" in rendered and "dropped" in rendered
    source = (tmp_path / "doc_sdk" / "api" / "jobs" / "_list_jobs.py").read_text()
    assert "limit: int | Unset = UNSET" in source
    assert "    not_state: ListJobsNotState | " in source  # the enum, copied in
    pet = (tmp_path / "doc_sdk" / "api" / "pets" / "_get_pet.py").read_text()
    assert "    id: str,\n" in pet
