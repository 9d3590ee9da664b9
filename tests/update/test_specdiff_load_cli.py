"""Bad input gives typed errors and exit status 2; the CLI's exit status tracks breaking changes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.specdiff import (
    SpecError,
    SpecInvalidError,
    SpecLoadError,
    diff_documents,
    diff_files,
    load_spec,
    main,
)

FIXTURES = Path(__file__).parent / "fixtures"
V1 = FIXTURES / "upstream_v1.yaml"
V2 = FIXTURES / "upstream_v2.yaml"
MINIMAL = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpecLoadError, match="file not found") as info:
        load_spec(tmp_path / "nope.yaml")
    assert info.value.source.endswith("nope.yaml")


def test_directory_is_not_a_spec(tmp_path: Path) -> None:
    with pytest.raises(SpecLoadError, match="directory"):
        load_spec(tmp_path)


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", "openapi: 3.1.0\ninfo: [unclosed\n")
    with pytest.raises(SpecLoadError, match=r"not valid YAML: .*line 3"):
        load_spec(path)


def test_invalid_json(tmp_path: Path) -> None:
    with pytest.raises(SpecLoadError, match="not valid JSON"):
        load_spec(write(tmp_path, "bad.json", '{"openapi": '))


@pytest.mark.parametrize(
    ("text", "what"), [("", "empty"), ("- a\n- b\n", "a list"), ("42\n", "an int")]
)
def test_top_level_must_be_a_mapping(tmp_path: Path, text: str, what: str) -> None:
    with pytest.raises(SpecLoadError, match=f"must be a mapping, got {what}"):
        load_spec(write(tmp_path, "x.yaml", text))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: not an api\n", "not an OpenAPI document"),
        ("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n", "Swagger 2.0"),
        (
            "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "unsupported OpenAPI version",
        ),
        ("openapi: 3.1.0\ninfo: {title: t}\npaths: {}\n", "version.* is a required property"),
    ],
)
def test_non_openapi_documents(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(SpecInvalidError, match=message):
        load_spec(write(tmp_path, "x.yaml", text))


def test_validation_error_names_the_place(tmp_path: Path) -> None:
    with pytest.raises(SpecInvalidError) as info:
        load_spec(write(tmp_path, "x.yaml", "openapi: 3.1.0\ninfo: {title: t}\npaths: {}\n"))
    assert info.value.pointer == "/info"


def test_dangling_reference_is_invalid(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "paths: {}",
        "paths:\n  /x:\n    get:\n      responses:\n        '200':\n"
        "          $ref: '#/components/responses/Missing'",
    )
    with pytest.raises(SpecInvalidError, match="Missing"):
        load_spec(write(tmp_path, "x.yaml", text))


def test_unquoted_status_codes_and_json_files_load(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "paths: {}",
        "paths:\n  /x:\n    get:\n      responses:\n        200:\n          description: ok",
    )
    document = load_spec(write(tmp_path, "x.yaml", text))
    assert "200" in document["paths"]["/x"]["get"]["responses"]
    as_json = write(tmp_path, "x.json", json.dumps(document))
    assert load_spec(as_json) == document
    assert diff_files(tmp_path / "x.yaml", as_json).findings == ()


def test_diff_documents_validates_both_sides() -> None:
    valid: dict[str, Any] = yaml.safe_load(MINIMAL)
    with pytest.raises(SpecInvalidError) as info:
        diff_documents(valid, {"openapi": "3.1.0"})
    assert info.value.source == "new"
    with pytest.raises(SpecInvalidError):
        diff_documents([], valid)  # type: ignore[arg-type]


def test_errors_share_a_base_class() -> None:
    assert issubclass(SpecLoadError, SpecError)
    assert issubclass(SpecInvalidError, SpecError)


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(V1), str(V1)]) == 0
    assert "No API changes." in capsys.readouterr().out
    assert main([str(V1), str(V2)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("IMPACT")
    assert "Summary: 12 breaking, 3 non-breaking (15 changes)" in out
    assert main([str(V2), str(tmp_path / "missing.yaml")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "error:" in captured.err
    assert "file not found" in captured.err


def test_cli_invalid_document_and_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path, "bad.yaml", "openapi: 3.1.0\n")
    assert main([str(V1), str(bad)]) == 2
    assert "bad.yaml" in capsys.readouterr().err
    assert main([str(V1)]) == 2
    assert main([str(V1), str(V2), "--format", "html"]) == 2
    capsys.readouterr()


def test_cli_formats_and_leading_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(V1), str(V2), "--format", "markdown"]) == 1
    assert capsys.readouterr().out.startswith("## API changes 1.0.0 → 2.0.0")
    assert main([str(V1), str(V2), "--format=json"]) == 1
    assert json.loads(capsys.readouterr().out)["breaking"] == 12
