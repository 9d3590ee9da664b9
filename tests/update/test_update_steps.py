"""``update``'s orchestration in-process, with the slow steps replaced by stand-ins: every way it
can fail leaves spec and package untouched and removes what it staged. (The real steps run in
test_update_e2e.py.)"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

import generator.pipeline
import generator.update
from generator.__main__ import main
from generator.crosscheck import MAX_LINES, CheckResult, _shorten
from generator.errors import GenerationError
from generator.settings import Settings, load_settings
from generator.update import EXIT_BREAKING, EXIT_FAILED, EXIT_OK, render_report, run_update

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
V1 = FIXTURES / "upstream_v1.yaml"
V2 = FIXTURES / "upstream_v2.yaml"


def tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "spec").mkdir()
    shutil.copyfile(V1, tmp_path / "spec" / "openapi.yaml")
    shutil.copytree(
        REPO / "generated_sdk",
        tmp_path / "generated_sdk",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    return tmp_path


@pytest.fixture
def settings() -> Settings:
    return load_settings()


def update(project: Path, settings: Settings, new: Path = V2, **options: Any) -> Any:
    return run_update(
        new,
        current_spec=project / "spec" / "openapi.yaml",
        output=project / "generated_sdk",
        project_root=project,
        settings=settings,
        **options,
    )


def fake_build(spec_path: Path, package_dir: Path, settings: Settings, *, run_mypy: bool) -> Any:
    """Stands in for pipeline.build_package: a package made from the staged spec's bytes."""
    package_dir.mkdir()
    (package_dir / "generator.lock.json").write_bytes(spec_path.read_bytes())

    plan = SimpleNamespace(tags=[], operations=[], models=[])
    return SimpleNamespace(notes=[], plan=plan)


def passing_checks(package_dir: Path, project_root: Path, settings: Settings) -> list[CheckResult]:
    return [CheckResult("mypy --strict", ["generated_sdk"], True)]


def test_replaces_both_when_every_step_passes(
    project: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generator.pipeline, "build_package", fake_build)
    monkeypatch.setattr(generator.update, "crosscheck", passing_checks)
    report = update(project, settings, allow_breaking=True)
    assert (report.status, report.exit_code, report.replaced) == ("updated", EXIT_OK, True)
    assert tree(project / "generated_sdk") == {"generator.lock.json": V2.read_bytes()}
    assert (project / "spec" / "openapi.yaml").read_bytes() == V2.read_bytes()
    assert sorted(p.name for p in project.rglob(".*")) == []


@pytest.mark.parametrize("step", ["generate", "verify", "replace"])
def test_a_failing_step_replaces_nothing_and_cleans_up(
    project: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    before = tree(project)

    def failing_build(*args: Any, **kwargs: Any) -> Any:
        raise GenerationError("refusing to generate: boom", ["operation x: broken"])

    def failing_checks(*args: Any) -> list[CheckResult]:
        return [
            CheckResult("ruff check", ["generated_sdk"], True),
            CheckResult(
                "mypy --strict",
                ["generated_sdk", "sdk_session"],
                False,
                ['sdk_session/a.py:1: error: Module has no attribute "x"  [attr-defined]'],
                files=["sdk_session/a.py"],
            ),
        ]

    def failing_swap(*args: Any) -> None:
        raise GenerationError("could not replace spec/openapi.yaml: disk full")

    monkeypatch.setattr(
        generator.pipeline,
        "build_package",
        failing_build if step == "generate" else fake_build,
    )
    monkeypatch.setattr(
        generator.update, "crosscheck", failing_checks if step == "verify" else passing_checks
    )
    if step == "replace":
        monkeypatch.setattr(generator.update, "swap_package_and_file", failing_swap)
    report = update(project, settings, allow_breaking=True)
    assert (report.status, report.failed_step, report.exit_code) == ("failed", step, EXIT_FAILED)
    assert not report.replaced
    assert tree(project) == before  # also: no staged spec or package left behind
    text = render_report(report, "table")
    assert text.splitlines()[-1].startswith(f"update: FAILED at {step}: ")
    assert text.splitlines()[-1].endswith("; nothing was replaced")
    if step == "generate":
        assert "  FAILED  generate: generated_sdk" in text
        assert "operation x: broken" in text
    if step == "verify":
        assert "(in sdk_session/a.py)" in report.message
        payload = json.loads(render_report(report, "json"))
        assert [check["name"] for check in payload["checks"]] == [
            "generate",
            "ruff check",
            "mypy --strict",
        ]
        assert payload["checks"][2]["details"] == [
            'sdk_session/a.py:1: error: Module has no attribute "x"  [attr-defined]'
        ]
        markdown = render_report(report, "markdown")
        assert "| mypy --strict | `generated_sdk`, `sdk_session` | **failed** |" in markdown
        assert "<details><summary>mypy --strict</summary>" in markdown


def test_breaking_changes_stop_before_generating(
    project: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unexpected(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("must not generate")

    monkeypatch.setattr(generator.pipeline, "build_package", unexpected)
    before = tree(project)
    report = update(project, settings)
    assert (report.status, report.exit_code) == ("breaking", EXIT_BREAKING)
    assert report.diff is not None and report.diff.breaking_count == 12
    assert tree(project) == before


def test_dry_run_stages_nothing_next_to_the_committed_files(
    project: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Path] = []

    def build(spec_path: Path, package_dir: Path, settings: Settings, *, run_mypy: bool) -> Any:
        seen.append(spec_path)
        return fake_build(spec_path, package_dir, settings, run_mypy=run_mypy)

    monkeypatch.setattr(generator.pipeline, "build_package", build)
    monkeypatch.setattr(generator.update, "crosscheck", passing_checks)
    before = tree(project)
    report = update(project, settings, dry_run=True, allow_breaking=True)
    assert (report.status, report.exit_code, report.replaced) == ("verified", EXIT_OK, False)
    assert seen[0].parent.name.startswith(".generated_sdk.staging-")
    assert tree(project) == before


def test_update_typecheck_entries_must_be_top_level_names(tmp_path: Path) -> None:
    config = yaml.safe_load((REPO / "generator" / "config.yaml").read_text(encoding="utf-8"))
    config["update"]["typecheck"] = ["sdk_session", "../elsewhere"]
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    with pytest.raises(
        GenerationError, match=re.escape("top-level names in the project, got '../elsewhere'")
    ):
        load_settings(path)


def test_long_tool_output_is_shortened_across_files() -> None:
    lines = [f"a.py:{n}: error: x" for n in range(30)]
    lines += [f"b.py:{n}: error: y" for n in range(3)]
    lines.append("Found 33 errors in 2 files (checked 9 source files)")
    shown, omitted = _shorten(lines)
    assert omitted == 33 - MAX_LINES
    assert shown[-1] == "Found 33 errors in 2 files (checked 9 source files)"
    assert shown[-2] == f"... and {omitted} more line(s)"
    assert [line for line in shown if line.startswith("b.py")] == lines[30:33]


def run_cli(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in args])
    return code, out.getvalue(), err.getvalue()


def test_diff_subcommand() -> None:
    code, out, _ = run_cli("diff", V1, V2)
    assert code == 1
    assert out.startswith("IMPACT")
    assert out.rstrip().endswith("Summary: 12 breaking, 3 non-breaking (15 changes)")
    code, out, _ = run_cli("diff", V1, V1, "--format", "json")
    assert (code, json.loads(out)["findings"]) == (0, [])
    code, _, err = run_cli("diff", V1, FIXTURES / "missing.yaml")
    assert code == 2 and "file not found" in err


def test_subcommand_usage_errors_exit_2() -> None:
    for args in (["diff", str(V1)], ["update"], ["update", str(V2), "--format", "xml"]):
        with pytest.raises(SystemExit) as info, contextlib.redirect_stderr(io.StringIO()):
            main(args)
        assert info.value.code == 2


def test_project_root_option_points_every_default_at_that_project(project: Path) -> None:
    before = tree(project)
    code, out, err = run_cli("update", V2, "--project-root", project, "--format", "json")
    assert code == EXIT_BREAKING, err
    report = json.loads(out)
    assert Path(report["current"]).resolve() == (project / "spec" / "openapi.yaml").resolve()
    assert Path(report["package"]).resolve() == (project / "generated_sdk").resolve()
    assert report["diff"]["breaking"] == 12
    assert tree(project) == before
