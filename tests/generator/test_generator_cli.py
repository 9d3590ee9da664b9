"""The generator's contract: deterministic, checkable, refuses bad specs, atomic, verified.

Everything runs on temporary copies (never the committed generated_sdk/). One generation is
shared by the module (``baseline``); tests that need their own output copy it.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

import generator.pipeline
import generator.postprocess
import generator.run_codegen
from generator.cli import main

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "spec" / "openapi.yaml"
HEADER = "# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand."


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@dataclass(frozen=True)
class Baseline:
    spec: Path
    output: Path


def run_generator(*args: str | Path) -> Run:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in args])
    return Run(code, out.getvalue(), err.getvalue())


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (hidden ones too), by relative path."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def leftovers(parent: Path) -> list[str]:
    """Staging or set-aside folders the generator should have removed."""
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".generated_sdk."))


def load_spec() -> dict[str, Any]:
    data = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def write_spec(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    root = tmp_path_factory.mktemp("baseline")
    spec = root / "openapi.yaml"
    shutil.copyfile(SPEC, spec)
    output = root / "generated_sdk"
    result = run_generator("--spec", spec, "--output", output)
    assert result.code == 0, result.err
    return Baseline(spec, output)


@pytest.fixture
def project(tmp_path: Path, baseline: Baseline) -> Path:
    """A temp project holding a copy of the baseline package (as if committed)."""
    shutil.copytree(baseline.output, tmp_path / "generated_sdk")
    return tmp_path


# -- output shape ---------------------------------------------------------------------------


def test_output_documents_that_it_is_generated(baseline: Baseline) -> None:
    files = snapshot(baseline.output)
    python = [name for name in files if name.endswith(".py")]
    assert python and all(files[name].decode().startswith(HEADER + "\n") for name in python)
    assert "README.md" in files and "py.typed" in files
    assert b"do not edit" in files["README.md"]
    assert not [name for name in files if "__pycache__" in name or ".mypy_cache" in name]
    assert not [name for name in files if "cache" in name.lower()]


def test_lock_file_records_inputs(baseline: Baseline) -> None:
    import hashlib
    import json

    text = (baseline.output / "generator.lock.json").read_text(encoding="utf-8")
    lock = json.loads(text)
    assert list(lock) == sorted(lock)
    assert lock["openapi_python_client"] == "0.29.1"
    assert lock["spec_sha256"] == hashlib.sha256(SPEC.read_bytes()).hexdigest()
    assert {"generator_sha256", "config_sha256"} <= set(lock)
    assert str(baseline.output) not in text and str(REPO) not in text


def test_no_absolute_paths_or_timestamps(baseline: Baseline) -> None:
    for name, content in snapshot(baseline.output).items():
        text = content.decode()
        assert str(baseline.output.parent) not in text, name
        assert str(REPO) not in text, name


# -- determinism and --check ----------------------------------------------------------------


def test_two_runs_are_byte_identical(baseline: Baseline, tmp_path: Path) -> None:
    """Another process, another hash seed, another folder: the same bytes."""
    other = tmp_path / "elsewhere" / "generated_sdk"
    command = [sys.executable, "-m", "generator", "--spec", str(baseline.spec)]
    completed = subprocess.run(
        [*command, "--output", str(other), "--no-mypy"],
        cwd=REPO,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert snapshot(other) == snapshot(baseline.output)


def test_regenerating_in_place_changes_nothing(baseline: Baseline, project: Path) -> None:
    before = snapshot(project / "generated_sdk")
    result = run_generator("--spec", baseline.spec, "--output", project / "generated_sdk")
    assert result.code == 0, result.err
    assert snapshot(project / "generated_sdk") == before
    assert leftovers(project) == []


def test_check_passes_on_fresh_output(baseline: Baseline) -> None:
    result = run_generator("--spec", baseline.spec, "--output", baseline.output, "--check")
    assert result.code == 0, result.err
    assert "up to date" in result.out


def test_check_names_hand_edited_missing_and_extra_files(baseline: Baseline, project: Path) -> None:
    package = project / "generated_sdk"
    edited = package / "api" / "items" / "_get.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "# tweak\n", encoding="utf-8")
    (package / "models" / "owner.py").unlink()
    (package / "notes.txt").write_text("mine\n", encoding="utf-8")
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"ignored")
    before = snapshot(project)

    result = run_generator("--spec", baseline.spec, "--output", package, "--check")

    assert result.code == 1
    assert "changed: api/items/_get.py" in result.err
    assert "missing: models/owner.py" in result.err
    assert "extra:   notes.txt" in result.err
    assert "__pycache__" not in result.err
    assert snapshot(project) == before  # --check never writes


def test_check_catches_a_spec_change(baseline: Baseline, tmp_path: Path) -> None:
    spec = load_spec()
    spec["paths"]["/me"]["get"]["summary"] = "Who am I?"
    changed = write_spec(tmp_path / "openapi.yaml", spec)

    result = run_generator("--spec", changed, "--output", baseline.output, "--check")

    assert result.code == 1
    assert "changed: api/users/_me.py" in result.err
    assert "changed: generator.lock.json" in result.err


# -- refusals -------------------------------------------------------------------------------


def _drop_info(spec: dict[str, Any]) -> None:
    del spec["info"]


def _duplicate_operation_id(spec: dict[str, Any]) -> None:
    spec["paths"]["/me"]["get"]["operationId"] = "list"


def _colliding_names(spec: dict[str, Any]) -> None:
    spec["paths"]["/items"]["post"]["operationId"] = "getItem"
    spec["paths"]["/items/{item_id}"]["get"]["operationId"] = "get_item"


def _builtin_collision(spec: dict[str, Any]) -> None:
    # "list" and "list_" would share the module api/items/_list.py
    spec["paths"]["/items"]["post"]["operationId"] = "list_"


def _missing_tag(spec: dict[str, Any]) -> None:
    del spec["paths"]["/me"]["get"]["tags"]


def _two_tags(spec: dict[str, Any]) -> None:
    spec["paths"]["/me"]["get"]["tags"] = ["users", "auth"]


def _reserved_tag(spec: dict[str, Any]) -> None:
    spec["paths"]["/me"]["get"]["tags"] = ["models"]


def _reserved_parameter(spec: dict[str, Any]) -> None:
    spec["paths"]["/items"]["get"]["parameters"].append(
        {"name": "timeout", "in": "query", "schema": {"type": "integer"}}
    )


def _array_header_parameter(spec: dict[str, Any]) -> None:
    # openapi-python-client skips the whole endpoint (it only warns): we refuse.
    spec["paths"]["/items"]["get"]["parameters"].append(
        {"name": "X-Tags", "in": "header", "schema": {"type": "array", "items": {"type": "string"}}}
    )


def _xml_only_response(spec: dict[str, Any]) -> None:
    content = spec["paths"]["/me"]["get"]["responses"]["200"]["content"]
    content["application/xml"] = content.pop("application/json")


def _content_parameter(spec: dict[str, Any]) -> None:
    spec["paths"]["/items"]["get"]["parameters"].append(
        {
            "name": "where",
            "in": "query",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    )


def _pagination_shape_changed(spec: dict[str, Any]) -> None:
    page = spec["components"]["schemas"]["ItemPage"]
    page["properties"]["next"] = page["properties"].pop("next_cursor")
    page["required"] = ["items", "next"]


REFUSALS: dict[str, tuple[Callable[[dict[str, Any]], None], list[str]]] = {
    "invalid-openapi": (_drop_info, ["not a valid OpenAPI document", "info"]),
    "duplicate-operation-id": (_duplicate_operation_id, ["'list'", "unique"]),
    "name-collision": (_colliding_names, ["sdk.items.get_item is already taken"]),
    "module-collision": (_builtin_collision, ["sdk.items.list is already taken"]),
    "missing-tag": (_missing_tag, ["operation 'me'", "has no tag"]),
    "two-tags": (_two_tags, ["operation 'me'", "2 tags"]),
    "reserved-tag": (_reserved_tag, ["sdk.models", "reserved"]),
    "reserved-parameter": (_reserved_parameter, ["'timeout'", "collides"]),
    "unrepresentable-parameter": (
        _array_header_parameter,
        ["operation 'list'", "cannot represent"],
    ),
    "unrepresentable-response": (_xml_only_response, ["operation 'me'", "application/xml"]),
    "content-parameter": (_content_parameter, ["operation 'list'", "'where'"]),
    "pagination-not-detected": (_pagination_shape_changed, ["items.list", "pagination.expect"]),
}


#: What the default policies do instead of refusing (``--strict`` keeps the refusals above).
ADAPTED = {
    "name-collision": "operation_id",
    "module-collision": "operation_id",
    "missing-tag": "untagged",
    "two-tags": "multiple_tags",
    "reserved-tag": "tag_name",
    "reserved-parameter": "parameter_name",
    "unrepresentable-parameter": "unrepresentable_schema",
    "unrepresentable-response": "non_json_body",
    "content-parameter": "parameter_without_schema",
}


@pytest.mark.parametrize("case", sorted(ADAPTED))
def test_default_policies_adapt_what_strict_refuses(case: str, tmp_path: Path) -> None:
    mutate, _ = REFUSALS[case]
    spec = load_spec()
    mutate(spec)
    spec_path = write_spec(tmp_path / "openapi.yaml", spec)

    result = run_generator(
        "--spec", spec_path, "--output", tmp_path / "generated_sdk", "--report", "json"
    )

    assert result.code == 0, result.err
    report = json.loads(result.out)
    counts = report["operations"]
    assert (counts["in_document"], counts["generated"], counts["lost"]) == (9, 9, 0)
    assert report["adaptations_by_policy"] == {ADAPTED[case]: 1}, report["adaptations"]


def test_an_operation_id_repeated_in_another_tag_is_a_warning(tmp_path: Path) -> None:
    spec = load_spec()
    _duplicate_operation_id(spec)  # users.list beside items.list: both still generate
    spec_path = write_spec(tmp_path / "openapi.yaml", spec)

    result = run_generator(
        "--spec", spec_path, "--output", tmp_path / "generated_sdk", "--report", "json"
    )

    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["operations"]["generated"] == 9 and report["adaptations"] == []
    assert any("repeats operationId 'list'" in w for w in report["warnings"]), report["warnings"]
    assert (tmp_path / "generated_sdk" / "api" / "users" / "_list.py").is_file()


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refusals_leave_the_tree_untouched(case: str, project: Path) -> None:
    mutate, expected = REFUSALS[case]
    spec = load_spec()
    mutate(spec)
    spec_path = write_spec(project / "openapi.yaml", spec)
    before = snapshot(project)

    result = run_generator(
        "--spec", spec_path, "--output", project / "generated_sdk", "--strict", "--no-mypy"
    )

    assert result.code == 1, result.out
    assert result.err.startswith("generator: refusing to generate"), result.err
    for fragment in expected:
        assert fragment in result.err, (fragment, result.err)
    assert "was left unchanged" in result.err
    assert snapshot(project) == before
    assert leftovers(project) == []


def test_unreadable_yaml_is_refused(project: Path) -> None:
    spec_path = project / "openapi.yaml"
    spec_path.write_text("openapi: [3.1.0\n", encoding="utf-8")
    before = snapshot(project)
    result = run_generator("--spec", spec_path, "--output", project / "generated_sdk")
    assert result.code == 1
    assert "not valid YAML/JSON" in result.err
    assert snapshot(project) == before


def test_cli_exit_status_in_a_subprocess(tmp_path: Path) -> None:
    spec = load_spec()
    _missing_tag(spec)
    spec_path = write_spec(tmp_path / "openapi.yaml", spec)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "--spec",
            str(spec_path),
            "--output",
            str(tmp_path / "generated_sdk"),
            "--strict",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1
    assert "has no tag" in completed.stderr
    assert not (tmp_path / "generated_sdk").exists()


def test_wrong_openapi_python_client_version_is_refused(
    project: Path, baseline: Baseline, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generator.run_codegen, "version", lambda _name: "0.30.0")
    before = snapshot(project)
    result = run_generator("--spec", baseline.spec, "--output", project / "generated_sdk")
    assert result.code == 1
    assert "openapi-python-client 0.30.0 is installed" in result.err
    assert "0.29.1" in result.err
    assert snapshot(project) == before


def test_a_hand_written_folder_is_never_replaced(baseline: Baseline, tmp_path: Path) -> None:
    target = tmp_path / "generated_sdk"
    target.mkdir()
    (target / "__init__.py").write_text("# mine\n", encoding="utf-8")
    result = run_generator("--spec", baseline.spec, "--output", target)
    assert result.code == 1
    assert "no generator.lock.json" in result.err
    assert snapshot(target) == {"__init__.py": b"# mine\n"}


# -- verification failures ------------------------------------------------------------------


@contextlib.contextmanager
def sabotaged_format(monkeypatch: pytest.MonkeyPatch, line: str) -> Iterator[None]:
    """Let generation run for real, then append ``line`` to a module before verification."""
    original = generator.postprocess.format_package

    def format_then_break(package_dir: Path, settings: Any) -> None:
        original(package_dir, settings)
        target = package_dir / "api" / "users" / "_me.py"
        target.write_text(target.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")

    monkeypatch.setattr(generator.pipeline, "format_package", format_then_break)
    yield


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("import module_that_does_not_exist", "importing the generated package failed"),
        ('broken: int = "not an int"', "mypy --strict on the generated package failed"),
    ],
    ids=["import", "mypy"],
)
def test_verification_failure_leaves_the_tree_untouched(
    line: str, message: str, baseline: Baseline, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(project)
    with sabotaged_format(monkeypatch, line):
        result = run_generator("--spec", baseline.spec, "--output", project / "generated_sdk")
    assert result.code == 1
    assert message in result.err
    assert snapshot(project) == before
    assert leftovers(project) == []


# -- generating inside a project ------------------------------------------------------------


def test_hand_written_neighbours_are_kept(baseline: Baseline, tmp_path: Path) -> None:
    (tmp_path / "mypkg").mkdir()
    (tmp_path / "mypkg" / "__init__.py").write_text("VALUE = 1\n", encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_mine.py").write_text("def test() -> None: ...\n", encoding="utf-8")
    neighbours = snapshot(tmp_path)

    output = tmp_path / "generated_sdk"
    for _ in range(2):  # create, then replace
        result = run_generator("--spec", baseline.spec, "--output", output, "--no-mypy")
        assert result.code == 0, result.err
        assert {
            k: v for k, v in snapshot(tmp_path).items() if not k.startswith("generated_sdk/")
        } == neighbours
        assert leftovers(tmp_path) == []
    assert snapshot(output) == snapshot(baseline.output)


def test_multi_content_type_body_is_generated_as_json(tmp_path: Path) -> None:
    spec = load_spec()
    body = spec["paths"]["/items"]["post"]["requestBody"]
    schema = copy.deepcopy(body["content"]["application/json"]["schema"])
    body["content"] = {
        "multipart/form-data": {"schema": schema},
        "application/x-www-form-urlencoded": {"schema": schema},
        "application/json": {"schema": schema},
    }
    spec_path = write_spec(tmp_path / "openapi.yaml", spec)
    output = tmp_path / "generated_sdk"

    # Verification (import every module + mypy --strict) is part of a successful run.
    result = run_generator("--spec", spec_path, "--output", output)

    assert result.code == 0, result.err
    assert "using application/json" in result.out
    create = (output / "api" / "items" / "_create.py").read_text(encoding="utf-8")
    assert "body: ItemCreate | ItemCreateDict," in create
    assert '_kwargs["json"] = body.to_dict()' in create


def test_kitchen_sink_spec_generates_verified_code(tmp_path: Path) -> None:
    """Headers, cookies, dates, uuids, arrays, multipart/form/octet-stream/+json bodies, 2XX and
    default responses, typed additionalProperties, int enums, oneOf: all import and pass mypy."""
    config = yaml.safe_load((REPO / "generator" / "config.yaml").read_text(encoding="utf-8"))
    config["pagination"]["expect"] = []
    del config["session"]  # the Items API's token operations are not in this document
    config["error_model"]["name"] = "Problem"
    config_path = tmp_path / "config.yaml"
    config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
    output = tmp_path / "generated_sdk"

    result = run_generator(
        "--spec",
        Path(__file__).with_name("kitchen_sink.yaml"),
        "--output",
        output,
        "--config",
        config_path,
    )

    assert result.code == 0, result.err
    upload = (output / "api" / "files" / "_upload_file.py").read_text(encoding="utf-8")
    assert '_kwargs["files"] = body.to_multipart()' in upload
    assert '_headers["X-Dry-Run"] = "true" if x_dry_run else "false"' in upload
    assert "if 200 <= response.status_code <= 299:" in upload
    form = (output / "api" / "forms" / "_submit_form.py").read_text(encoding="utf-8")
    assert "anonymous = True" in form and "-> list[Meta] | None:" in form
    errors = (output / "errors.py").read_text(encoding="utf-8")
    assert "from .models.problem import Problem" in errors
