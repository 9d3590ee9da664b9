"""Default policies on odd but valid documents: every operation generated, every adaptation named,
and the adapted SDK really sends and returns what the document describes (httpx mock transport)."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import main

ODD: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {
        "title": "An API whose title is much longer than a line of Python may be, "
        "with “typographic quotes” and a back\\slash that a docstring must survive",
        "version": "1",
    },
    "paths": {
        "/old": {"get": {"responses": {"301": {"description": "Moved"}}}},
        "/pictures/{id}": {
            "get": {
                "operationId": "getPicture",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "client", "in": "query", "schema": {"type": "string"}},
                    {"name": "size>", "in": "query", "schema": {"type": "integer"}},
                    {"name": "size", "in": "query", "schema": {"type": "integer"}},
                ],
                "responses": {
                    "200": {
                        "description": "The picture",
                        "content": {"image/png": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
        "/notes": {
            "post": {
                "tags": ["notes"],
                "operationId": "addNote",
                "requestBody": {
                    "required": True,
                    "content": {"text/plain": {"schema": {"type": "string"}}},
                },
                "responses": {
                    "201": {
                        "description": "Created",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Note"}}
                        },
                    }
                },
            }
        },
        "/token/": {
            "post": {
                "tags": ["token"],
                "operationId": "token_create",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/TokenObtainPair"}
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/TokenObtainPair"}
                            }
                        },
                    }
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Note": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "shape": {"type": "string", "enum": []}},
            },
            "Note-Output": {"title": "Note", "type": "object", "properties": {}},
            "TokenObtainPair": {
                "type": "object",
                "properties": {
                    "username": {"type": "string"},
                    "access": {"type": "string", "readOnly": True},
                    "refresh": {"type": "string", "readOnly": True},
                },
            },
        }
    },
}

PROBE = textwrap.dedent(
    """
    import json, sys
    sys.path.insert(0, sys.argv[1])
    import httpx
    import odd_sdk as sdk

    seen = []

    def handler(request):
        seen.append([request.method, str(request.url), request.headers.get("content-type"),
                     request.content.decode()])
        if request.url.path == "/old":
            return httpx.Response(301, headers={"location": "/new"})
        if request.url.path.startswith("/pictures/"):
            return httpx.Response(200, content=b"PNG", headers={"content-type": "image/png"})
        if request.url.path == "/token/":
            pair = {"username": "u", "access": "JWT-A", "refresh": "JWT-R"}
            return httpx.Response(200, json=pair)
        return httpx.Response(201, json={"id": 7})

    transport = httpx.MockTransport(handler)
    client = sdk.Client(base_url="https://api.test", httpx_args={"transport": transport})
    moved = sdk.default.get_old(client)
    picture = sdk.default.get_picture(client, id="p 1", client_="web", size_gt=3, size=2)
    note = sdk.notes.add_note(client, body=sdk.types.File(payload=b"hello"))
    pair = sdk.token.token_create(client, body=sdk.models.TokenObtainPair(username="u"))
    print(json.dumps({
        "moved": [moved.status_code, moved.headers["location"]],
        "picture": repr(picture.payload.read()),
        "note": note.id,
        "pair": repr(pair),
        "seen": seen,
    }))
    """
)


def _run(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def odd(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    root = tmp_path_factory.mktemp("odd")
    spec = root / "odd.yaml"
    spec.write_text(yaml.safe_dump(ODD, sort_keys=False, allow_unicode=True), encoding="utf-8")
    config = root / "odd.generator.yaml"
    code, _, err = _run("init", "--spec", spec, "--package", "odd_sdk", "--config", config)
    assert code == 0, err
    code, out, err = _run(
        "--spec", spec, "--config", config, "--output", root / "odd_sdk", "--report", "json"
    )
    assert code == 0, err
    return root, json.loads(out)


def test_every_operation_is_generated_and_every_adaptation_named(
    odd: tuple[Path, dict[str, Any]],
) -> None:
    _, report = odd
    assert report["operations"]["in_document"] == 4
    assert report["operations"]["generated"] == 4 and report["operations"]["lost"] == 0
    assert report["adaptations_by_policy"] == {
        "invalid_schema_keyword": 1,
        "model_name": 1,
        "no_success_response": 1,
        "non_json_body": 2,
        "operation_id": 1,
        "parameter_name": 2,
        "untagged": 2,
    }
    details = " ".join(a["detail"] for a in report["adaptations"])
    assert "'client_', sent as 'client'" in details and "'size_gt', sent as 'size>'" in details
    assert "named 'get_old' (from method and path)" in details


def test_the_adapted_sdk_sends_and_returns_what_the_document_says(
    odd: tuple[Path, dict[str, Any]],
) -> None:
    root, _ = odd
    result = subprocess.run(
        [sys.executable, "-I", "-B", "-c", PROBE, str(root)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["moved"] == [301, "/new"]  # no 2xx documented: the response itself
    assert seen["picture"] == "b'PNG'"  # image/png: bytes
    assert seen["note"] == 7
    calls = seen["seen"]
    # the renamed parameters keep their wire names
    assert calls[1][1] == "https://api.test/pictures/p%201?client=web&size%3E=3&size=2"
    assert calls[2][2:] == ["text/plain", "hello"]  # sent as bytes, in its content type
    # SimpleJWT's {"access", "refresh"} are secrets by name pattern
    assert "JWT-A" not in seen["pair"] and "JWT-R" not in seen["pair"]
    assert "access='***'" in seen["pair"] and "username='u'" in seen["pair"]


def test_text_from_the_document_cannot_break_lint(odd: tuple[Path, dict[str, Any]]) -> None:
    root, _ = odd
    init = (root / "odd_sdk" / "__init__.py").read_text(encoding="utf-8")
    assert "“typographic quotes”" in init and "back\\\\slash" in init
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "--isolated",
            "--line-length",
            "100",
            "--select",
            "E,F,W,I,B,UP,SIM,RUF",
            str(root / "odd_sdk"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_strict_refuses_what_the_policies_adapt(
    odd: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    root, _ = odd
    code, _, err = _run(
        "--spec",
        root / "odd.yaml",
        "--config",
        root / "odd.generator.yaml",
        "--output",
        tmp_path / "odd_sdk",
        "--strict",
    )
    assert code == 1
    assert "refusing to generate" in err and not (tmp_path / "odd_sdk").exists()


def test_exclude_by_operation_id_or_method_and_path(
    odd: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    root, _ = odd
    config = yaml.safe_load((root / "odd.generator.yaml").read_text(encoding="utf-8"))
    config["exclude"] = ["addNote", "GET /old"]
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    code, out, err = _run(
        "--spec",
        root / "odd.yaml",
        "--config",
        path,
        "--output",
        tmp_path / "odd_sdk",
        "--report",
        "json",
        "--no-mypy",
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["operations"]["excluded"] == 2 and report["operations"]["generated"] == 2
    assert report["operations"]["lost"] == 0
    assert len(report["excluded"]) == 2

    config["exclude"] = ["GET /nowhere"]
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    code, _, err = _run(
        "--spec", root / "odd.yaml", "--config", path, "--output", tmp_path / "x" / "odd_sdk"
    )
    assert code == 1 and "'GET /nowhere'" in err


def test_invalid_documents_are_refused_with_every_problem_located(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Broken"},
        "paths": {
            "/a/{id}": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "x",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Missing"}
                                }
                            },
                        }
                    }
                }
            },
            "/b": {"get": {"responses": {"2000": {"description": "x" * 5000}}}},
        },
    }
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    code, _, err = _run("--spec", path, "--output", tmp_path / "generated_sdk")
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("  - ")]
    assert len(lines) == 4, err
    assert any("broken.yaml:3 /info/version" in line for line in lines)
    assert any("/paths/~1a~1{id}/get" in line and "{id}" in line for line in lines)
    assert any(
        "#/components/schemas/Missing" in line and "points at nothing" in line for line in lines
    )
    assert any("/paths/~1b/get/responses/2000" in line for line in lines)
    assert all(len(line) < 300 for line in lines)  # values are cut short


def test_init_refuses_names_that_collide_with_the_project(tmp_path: Path) -> None:
    spec = tmp_path / "odd.yaml"
    spec.write_text(yaml.safe_dump(ODD), encoding="utf-8")
    for name in ("generated_sdk", "sdk_session", "json", "not-a-name"):
        code, _, err = _run("init", "--spec", spec, "--package", name, "--config", tmp_path / "c")
        assert code == 2, name
        assert name in err
    assert not (tmp_path / "c").exists()


def test_init_guesses_pagination_and_error_model(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Shop", "version": "1"},
        "paths": {
            "/orders": {
                "get": {
                    "operationId": "listOrders",
                    "parameters": [
                        {"name": "page_token", "in": "query", "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": {
                            "description": "",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "orders": {
                                                "type": "array",
                                                "items": {"type": "string"},
                                            },
                                            "next_page_token": {"type": ["string", "null"]},
                                        },
                                    }
                                }
                            },
                        },
                        "400": {
                            "description": "",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Problem"}
                                }
                            },
                        },
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Problem": {
                    "type": "object",
                    "required": ["code", "detail"],
                    "properties": {"code": {"type": "string"}, "detail": {"type": "string"}},
                }
            }
        },
    }
    path = tmp_path / "shop.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    config_path = tmp_path / "shop.generator.yaml"
    code, out, err = _run("init", "--spec", path, "--package", "shop_sdk", "--config", config_path)
    assert code == 0, err
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    assert config["package_name"] == "shop_sdk"
    assert config["openapi_python_client"]["package_name_override"] == "shop_sdk"
    assert config["pagination"]["cursor_param"] == "page_token"
    assert config["pagination"]["next_cursor_field"] == "next_page_token"
    assert config["error_model"] == {
        "name": "Problem",
        "code_field": "code",
        "message_field": "detail",
    }
    assert f"--output {(tmp_path / 'shop_sdk').as_posix()}" in out  # beside its config
    code, _, err = _run("--spec", path, "--config", config_path, "--output", tmp_path / "shop_sdk")
    assert code == 0, err


def _drf_document() -> dict[str, Any]:
    """The corpus's drf-spectacular + SimpleJWT document plus a list operation with DRF's
    page-number pagination, in the shape drf-spectacular writes it."""
    corpus = Path(__file__).with_name("corpus") / "documents" / "drf-simplejwt.yaml"
    spec: dict[str, Any] = yaml.safe_load(corpus.read_text(encoding="utf-8"))
    spec["paths"]["/items/"] = {
        "get": {
            "operationId": "items_list",
            "parameters": [
                {
                    "name": "page",
                    "required": False,
                    "in": "query",
                    "description": "A page number within the paginated result set.",
                    "schema": {"type": "integer"},
                }
            ],
            "tags": ["items"],
            "security": [{"jwtAuth": []}],
            "responses": {
                "200": {
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/PaginatedItemList"}
                        }
                    },
                    "description": "",
                }
            },
        }
    }
    schemas = spec["components"]["schemas"]
    schemas["Item"] = {
        "type": "object",
        "properties": {"id": {"type": "integer", "readOnly": True}, "name": {"type": "string"}},
        "required": ["id", "name"],
    }
    schemas["PaginatedItemList"] = {
        "type": "object",
        "required": ["count", "results"],
        "properties": {
            "count": {"type": "integer", "example": 123},
            "next": {"type": "string", "nullable": True, "format": "uri"},
            "previous": {"type": "string", "nullable": True, "format": "uri"},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
        },
    }
    return spec


def test_a_drf_simplejwt_document_generates_from_init_alone(tmp_path: Path) -> None:
    spec = tmp_path / "schema.yaml"
    spec.write_text(yaml.safe_dump(_drf_document(), sort_keys=False), encoding="utf-8")
    config = tmp_path / "drf.generator.yaml"
    code, out, err = _run("init", "--spec", spec, "--package", "drf_sdk", "--config", config)
    assert code == 0, err
    assert "pagination: page numbers (`page`, while `next` is set) for items.items_list" in out
    assert "error model: none" in out and "session: login " in out
    code, out, err = _run(
        "--spec", spec, "--config", config, "--output", tmp_path / "drf_sdk", "--report", "json"
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["operations"]["generated"] == 6
    assert (report["paginated"], report["pagination_style"]) == (
        ["items.items_list"],
        "page_number",
    )
    assert any(line.endswith("(inferred)") for line in report["session"])
    probe = textwrap.dedent(
        """
        import sys
        sys.path.insert(0, sys.argv[1])
        from drf_sdk.models import PaginatedItemList, TokenObtainPair, TokenRefresh
        page = PaginatedItemList.from_dict(
            {"count": 1, "next": None, "previous": None, "results": [{"id": 1, "name": "a"}]}
        )
        print(page.results[0].name, page.count)
        print(repr(TokenObtainPair.from_dict(
            {"username": "u", "password": "PW", "access": "JWT-A", "refresh": "JWT-R"}
        )))
        print(repr(TokenRefresh.from_dict({"access": "JWT-A", "refresh": "JWT-R"})))
        """
    )
    result = subprocess.run(
        [sys.executable, "-I", "-B", "-c", probe, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    first, pair, refresh = result.stdout.splitlines()
    assert first == "a 1"
    for text in (pair, refresh):
        assert "JWT-A" not in text and "JWT-R" not in text and "PW" not in text
    assert "username='u'" in pair


def test_oddities_that_do_not_affect_generation_are_warnings(tmp_path: Path) -> None:
    spec = yaml.safe_load((Path(__file__).parents[2] / "spec" / "openapi.yaml").read_text())
    item = spec["components"]["schemas"]["ItemPage"]
    item["required"] = [*item.get("required", []), "ghost"]
    # PagerDuty's discriminator mappings point through a $ref, which a JSON pointer never follows.
    spec["components"]["schemas"]["Shape"] = {
        "oneOf": [{"$ref": "#/components/schemas/ItemPage"}],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {"page": "#/components/schemas/Shape/oneOf/0/properties/items"},
        },
    }
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    code, out, err = _run(
        "--spec", path, "--output", tmp_path / "generated_sdk", "--no-mypy", "--report", "json"
    )
    assert code == 0, err
    warnings = json.loads(out)["warnings"]
    assert len(warnings) == 2, warnings
    ghost = next(w for w in warnings if "ghost" in w)
    assert "/components/schemas/ItemPage/required" in ghost
    assert ghost.startswith("openapi.yaml:")
    mapping = next(w for w in warnings if "/components/schemas/Shape/discriminator" in w)
    assert "/mapping/page: maps to #/components/schemas/Shape/oneOf/0/" in mapping
    assert mapping.endswith("which points at nothing")


def test_a_policy_set_to_refuse_refuses_with_its_name(
    odd: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    root, _ = odd
    config = yaml.safe_load((root / "odd.generator.yaml").read_text(encoding="utf-8"))
    config["policies"] = {"invalid_schema_keyword": "refuse"}
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    code, _, err = _run(
        "--spec", root / "odd.yaml", "--config", path, "--output", tmp_path / "odd_sdk"
    )
    assert code == 1
    assert "policy invalid_schema_keyword: refuse" in err
    assert "odd.yaml:" in err and "/components/schemas/Note/properties/shape/enum" in err
    assert not (tmp_path / "odd_sdk").exists()
