"""``python -m generator update`` end to end, on temporary copies of the project.

Each project is a copy of spec/, generator/, generated_sdk/, sdk_session/ and pyproject.toml
(ruff and mypy read their settings from it), plus a small hand-written test module that uses the
SDK. ``python -m generator update`` runs in a subprocess with the copy as working directory, so
the copied generator resolves its default paths (spec/openapi.yaml, generated_sdk/) inside the
copy: the real project is never touched.

The hand-written code is chosen on purpose: v2 renames ``users.me`` to ``users.current_user``,
which examples/demo.py and several tests of the real project call, so those are NOT copied
(with them, even --allow-breaking is refused: that is the point of the check). sdk_session, the
runtime, imports no generated package, so only the SDK's own session.py follows the operations
it uses (regenerated with it). The breaking variant renames ``refresh``, which the hand-written
``tests/token_calls.py`` of that project calls (``sdk.auth.refresh``).

Every full run (regenerate + ruff + mypy) is done once per module and shared by the tests that
inspect it; mypy's incremental cache lives outside the copies, so only the first run is cold.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
V1 = FIXTURES / "upstream_v1.yaml"
V2 = FIXTURES / "upstream_v2.yaml"

IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache", ".ruff_cache")

#: Hand-written code of the temporary projects: plain SDK use, unaffected by the v2 changes.
HAND_WRITTEN_TEST = '''\
"""Hand-written use of the SDK (type-checked by `update`, never run here)."""

from __future__ import annotations

import generated_sdk as sdk
from generated_sdk.models import ItemCreate, LoginRequest


def names(client: sdk.AuthenticatedClient) -> list[str]:
    page = sdk.items.list(client, limit=5)
    return [item.name for item in page.items]


def test_models_round_trip() -> None:
    body = ItemCreate(name="pen", price=1.5)
    assert ItemCreate.from_dict(body.to_dict()) == body
    assert "secret" not in repr(LoginRequest(email="a@example.com", password="secret"))
'''

#: Hand-written code calling the refresh operation directly (the breaking variant renames it).
TOKEN_CALLS = '''\
"""Hand-written use of the token operations (type-checked by `update`, never run here)."""

from __future__ import annotations

import generated_sdk as sdk
from generated_sdk.models import RefreshRequest, TokenResponse


def renew(client: sdk.Client, refresh_token: str) -> TokenResponse:
    return sdk.auth.refresh(client, body=RefreshRequest(refresh_token=refresh_token))
'''

#: The exact breaking findings v1 -> v2 (kind, operation, location).
V2_BREAKING = [
    ("enum.value_removed", "items.list", "query.status"),
    ("enum.value_removed", "items.list", "response.200.items[].status"),
    ("response.field.removed", "items.list", "response.200.items[].tags"),
    ("enum.value_removed", "items.create", "body.status"),
    ("enum.value_removed", "items.create", "response.201.status"),
    ("response.field.removed", "items.create", "response.201.tags"),
    ("enum.value_removed", "items.get", "response.200.status"),
    ("response.field.removed", "items.get", "response.200.tags"),
    ("enum.value_removed", "items.update", "body.status"),
    ("enum.value_removed", "items.update", "response.200.status"),
    ("response.field.removed", "items.update", "response.200.tags"),
    ("operation.renamed", "users.me", "operationId"),
]


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def make_project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name in ("spec", "generator", "generated_sdk", "sdk_session"):
        shutil.copytree(REPO / name, root / name, ignore=IGNORE)
    shutil.copy2(REPO / "pyproject.toml", root / "pyproject.toml")
    (root / "tests").mkdir()
    (root / "tests" / "test_hand_written.py").write_text(HAND_WRITTEN_TEST, encoding="utf-8")
    return root


def update(project: Path, *args: str | Path) -> Run:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-B", "-m", "generator", "update", *map(str, args)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return Run(result.returncode, result.stdout, result.stderr)


def snapshot(project: Path) -> dict[str, bytes]:
    """Every file of spec/ and generated_sdk/ (hidden ones too: no leftovers allowed)."""
    return {
        path.relative_to(project).as_posix(): path.read_bytes()
        for folder in ("spec", "generated_sdk")
        for path in sorted((project / folder).rglob("*"))
        if path.is_file()
    }


def leftovers(project: Path) -> list[str]:
    hidden = [p.name for p in project.iterdir() if p.name.startswith(".generated_sdk.")]
    return hidden + [p.name for p in (project / "spec").iterdir() if p.name.startswith(".")]


def breaking_variant(path: Path) -> Path:
    """v2, plus the refresh operation renamed (code calling ``sdk.auth.refresh`` breaks)."""
    spec: dict[str, Any] = yaml.safe_load(V2.read_text(encoding="utf-8"))
    spec["paths"]["/refreshToken"]["post"]["operationId"] = "renew"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- (a) breaking changes without --allow-breaking: reported, nothing replaced ----------------


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project that no test in this module modifies (read-only runs only)."""
    return make_project(tmp_path_factory.mktemp("pristine"))


def test_v2_breaking_changes_are_reported_and_block_the_update(pristine: Path) -> None:
    before = snapshot(pristine)
    run = update(pristine, V2)
    assert run.code == 1, run.err
    assert snapshot(pristine) == before
    assert leftovers(pristine) == []
    lines = run.out.splitlines()
    assert lines[0] == "update: spec/openapi.yaml -> " + str(V2) + " (1.0.0 -> 2.0.0)"
    rows = [line.split() for line in lines if line.startswith(("BREAKING", "ok "))]
    assert [(row[2], row[1], row[3]) for row in rows if row[0] == "BREAKING"] == V2_BREAKING
    assert [row[1] for row in rows if row[0] == "ok"] == [
        "categories",
        "categories.list_categories",
        "items.list",
    ]
    assert "Summary: 12 breaking, 3 non-breaking (15 changes)" in run.out
    assert lines[-1].startswith("update: not updated: 12 breaking change(s) for SDK callers;")
    assert "nothing was replaced" in lines[-1] and "--allow-breaking" in lines[-1]
    assert "Checks:" not in run.out  # stopped before generating anything


def test_v2_report_as_json(pristine: Path) -> None:
    before = snapshot(pristine)
    run = update(pristine, V2, "--format", "json")
    assert run.code == 1, run.err
    assert snapshot(pristine) == before
    report = json.loads(run.out)
    assert (report["status"], report["exit_code"], report["replaced"]) == ("breaking", 1, False)
    diff = report["diff"]
    assert (diff["old_version"], diff["new_version"]) == ("1.0.0", "2.0.0")
    assert (diff["breaking"], diff["non_breaking"]) == (12, 3)
    breaking = [
        (f["kind"], f["operation"], f["location"]) for f in diff["findings"] if f["breaking"]
    ]
    assert breaking == V2_BREAKING
    renamed = next(f for f in diff["findings"] if f["kind"] == "operation.renamed")
    assert (renamed["old"], renamed["new"]) == ("me", "current_user")
    assert report["checks"] == []


def test_v2_report_as_markdown(pristine: Path) -> None:
    run = update(pristine, V2, "--format", "markdown")
    assert run.code == 1, run.err
    assert run.out.startswith("## SDK update: `spec/openapi.yaml` (1.0.0 → 2.0.0)\n")
    assert "**Result: not updated (breaking changes).**" in run.out
    assert "### API changes 1.0.0 → 2.0.0: 12 breaking, 3 non-breaking (15 changes)" in run.out
    assert "| **breaking** | `users.me` (`GET /me`) | `operation.renamed` |" in run.out
    assert run.out.count("| **breaking** |") == 12


def test_same_spec_is_nothing_to_update(pristine: Path) -> None:
    before = snapshot(pristine)
    run = update(pristine, pristine / "spec" / "openapi.yaml")
    assert run.code == 0, run.err
    assert "No API changes." in run.out
    assert "nothing to update" in run.out.splitlines()[-1]
    assert snapshot(pristine) == before


# -- (d) invalid input: refused with the reason, nothing replaced -----------------------------


def test_invalid_openapi_document_is_refused(pristine: Path, tmp_path: Path) -> None:
    spec: dict[str, Any] = yaml.safe_load(V2.read_text(encoding="utf-8"))
    del spec["info"]["version"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(spec), encoding="utf-8")
    before = snapshot(pristine)
    run = update(pristine, bad, "--allow-breaking")
    assert run.code == 3, run.err
    assert snapshot(pristine) == before and leftovers(pristine) == []
    assert "not a valid OpenAPI document" in run.out
    # (the validator's own words: jsonschema quotes the name "version" or 'version' by release)
    assert re.search(r"""at info: ["']version["'] is a required property""", run.out), run.out
    assert "FAILED at validate" in run.out.splitlines()[-1]


def test_spec_the_sdk_cannot_represent_is_refused(pristine: Path, tmp_path: Path) -> None:
    spec: dict[str, Any] = yaml.safe_load(V2.read_text(encoding="utf-8"))
    spec["paths"]["/categories"]["get"]["tags"] = ["categories", "items"]  # valid OpenAPI
    bad = tmp_path / "clash.yaml"
    bad.write_text(yaml.safe_dump(spec), encoding="utf-8")
    before = snapshot(pristine)
    run = update(pristine, bad, "--allow-breaking", "--format", "json")
    assert run.code == 3, run.err
    assert snapshot(pristine) == before
    report = json.loads(run.out)
    assert (report["status"], report["failed_step"], report["replaced"]) == (
        "failed",
        "validate",
        False,
    )
    assert report["problems"][0] == "refusing to generate: the spec cannot be represented"
    assert report["problems"][1:] == [
        "operation 'list_categories' (GET /categories): has 2 tags (categories, items); "
        "every operation needs exactly one tag"
    ]


def test_unreadable_input_is_a_usage_error(pristine: Path, tmp_path: Path) -> None:
    run = update(pristine, tmp_path / "missing.yaml")
    assert run.code == 2
    assert "missing.yaml is not a file" in run.err
    not_yaml = tmp_path / "broken.yaml"
    not_yaml.write_text("openapi: 3.1.0\ninfo: [unclosed\n", encoding="utf-8")
    run = update(pristine, not_yaml)
    assert run.code == 3
    assert "is not valid YAML/JSON" in run.out
    assert update(pristine, V2, "--format", "html").code == 2


# -- (b) --allow-breaking: regenerated, checked, spec and package replaced together -----------


@pytest.fixture(scope="module")
def updated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    project = make_project(tmp_path_factory.mktemp("updated"))
    return project, update(project, V2, "--allow-breaking", "--format", "markdown")


def test_allow_breaking_replaces_spec_and_package_together(updated: tuple[Path, Run]) -> None:
    project, run = updated
    assert run.code == 0, run.out + run.err
    assert (project / "spec" / "openapi.yaml").read_bytes() == V2.read_bytes()
    lock = json.loads((project / "generated_sdk" / "generator.lock.json").read_text())
    assert lock["spec_sha256"] == sha256(V2)
    api = project / "generated_sdk" / "api"
    assert (api / "categories" / "_list_categories.py").is_file()
    assert (api / "users" / "_current_user.py").is_file()
    assert not (api / "users" / "_me.py").exists()
    assert leftovers(project) == []


def test_updated_package_works_and_matches_a_fresh_generation(updated: tuple[Path, Run]) -> None:
    project, _ = updated
    probe = (
        "import sys; sys.path.insert(0, '.'); import generated_sdk as sdk; "
        "assert sdk.__file__.startswith(sys.argv[1]), sdk.__file__; "
        "print(sdk.categories.list_categories, sdk.users.current_user)"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-B", "-c", probe, str(project)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "sdk.categories.list_categories: GET /categories" in result.stdout
    check = subprocess.run(
        [sys.executable, "-B", "-m", "generator", "--check"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_allow_breaking_markdown_report(updated: tuple[Path, Run]) -> None:
    _, run = updated
    assert "**Result: updated.**" in run.out
    assert "(12 breaking change(s) accepted)" in run.out
    assert "| mypy --strict | `generated_sdk`, `sdk_session`, `tests` | passed |" in run.out
    assert "| generate | `generated_sdk` | passed |" in run.out
    assert "generator update: replacing generated_sdk/ and spec/openapi.yaml ..." in run.err


def test_non_breaking_update_needs_no_flag(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    spec: dict[str, Any] = yaml.safe_load(V1.read_text(encoding="utf-8"))
    spec["info"]["version"] = "1.1.0"
    spec["paths"]["/items"]["get"]["parameters"].append(
        {"name": "sort", "in": "query", "required": False, "schema": {"type": "string"}}
    )
    new = tmp_path / "v1.1.yaml"
    new.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    run = update(project, new)
    assert run.code == 0, run.out + run.err
    assert "Summary: 0 breaking, 1 non-breaking (1 change)" in run.out
    assert run.out.splitlines()[-1].startswith("update: updated spec/openapi.yaml and")
    assert (project / "spec" / "openapi.yaml").read_bytes() == new.read_bytes()
    assert "sort: str | Unset = UNSET" in (
        project / "generated_sdk" / "api" / "items" / "_list.py"
    ).read_text(encoding="utf-8")


# -- (c) a change that breaks the hand-written code: refused with mypy's errors ---------------


@pytest.fixture(scope="module")
def refused(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], Run, Run]:
    project = make_project(tmp_path_factory.mktemp("refused"))
    (project / "tests" / "token_calls.py").write_text(TOKEN_CALLS, encoding="utf-8")
    new = breaking_variant(tmp_path_factory.mktemp("spec") / "v2-renew.yaml")
    before = snapshot(project)
    table = update(project, new, "--allow-breaking")
    as_json = update(project, new, "--allow-breaking", "--format", "json")
    return project, before, table, as_json


def test_breaking_the_hand_written_code_refuses_the_update(
    refused: tuple[Path, dict[str, bytes], Run, Run],
) -> None:
    project, before, table, _ = refused
    assert table.code == 3, table.out + table.err
    assert snapshot(project) == before
    assert leftovers(project) == []
    assert "BREAKING  auth.refresh" in table.out and "refresh -> renew" in table.out
    assert "  FAILED  mypy --strict: generated_sdk, sdk_session, tests" in table.out
    assert re.search(
        r'^ +tests/token_calls\.py:\d+: error: Module has no attribute "refresh"', table.out, re.M
    )
    last = table.out.splitlines()[-1]
    assert last.startswith("update: FAILED at verify: mypy --strict failed on the new")
    assert "(in tests/token_calls.py)" in last and "nothing was replaced" in last


def test_breaking_the_hand_written_code_as_json(
    refused: tuple[Path, dict[str, bytes], Run, Run],
) -> None:
    project, before, _, run = refused
    assert run.code == 3
    assert snapshot(project) == before
    report = json.loads(run.out)
    assert (report["status"], report["failed_step"], report["replaced"]) == (
        "failed",
        "verify",
        False,
    )
    checks = {check["name"]: check for check in report["checks"]}
    assert [name for name, check in checks.items() if check["ok"]] == [
        "generate",
        "ruff check",
        "ruff format --check",
    ]
    mypy = checks["mypy --strict"]
    assert mypy["files"] == ["tests/token_calls.py"]
    assert any('Module has no attribute "refresh"' in line for line in mypy["details"])


def test_dry_run_checks_without_replacing(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    before = snapshot(project)
    run = update(project, V2, "--dry-run")
    assert run.code == 1, run.out + run.err  # breaking, not allowed: but it checked anyway
    assert "  passed  mypy --strict: generated_sdk, sdk_session, tests" in run.out
    assert "the checks passed, nothing was replaced" in run.out
    run = update(project, V2, "--dry-run", "--allow-breaking", "--format", "json")
    assert run.code == 0, run.out + run.err
    assert json.loads(run.out)["status"] == "verified"
    assert snapshot(project) == before
    assert leftovers(project) == []
