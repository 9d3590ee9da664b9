"""The two-part replacement used by ``update``: package and spec together, or neither."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from generator.errors import GenerationError
from generator.swap import make_staging, stage_file, swap_package_and_file


def tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "generated_sdk").mkdir()
    (tmp_path / "generated_sdk" / "__init__.py").write_text("old = True\n", encoding="utf-8")
    (tmp_path / "spec").mkdir()
    spec = tmp_path / "spec" / "openapi.yaml"
    spec.write_text("old: spec\n", encoding="utf-8")
    spec.chmod(0o644)
    return tmp_path


def stage(project: Path) -> tuple[Path, Path, Path]:
    staging = make_staging(project / "generated_sdk")
    new_package = staging / "generated_sdk"
    new_package.mkdir()
    (new_package / "__init__.py").write_text("new = True\n", encoding="utf-8")
    (new_package / "added.py").write_text("", encoding="utf-8")
    new_spec = stage_file(b"new: spec\n", project / "spec" / "openapi.yaml")
    return staging, new_package, new_spec


def hidden(project: Path) -> list[str]:
    return sorted(
        path.relative_to(project).as_posix()
        for path in project.rglob(".*")
        if not path.name.startswith(".generated_sdk.staging-")
    )


def test_stage_file_is_a_hidden_sibling_with_the_target_mode(project: Path) -> None:
    target = project / "spec" / "openapi.yaml"
    staged = stage_file(b"x", target)
    assert staged.parent == target.parent and staged.name.startswith(".openapi.yaml.staging-")
    assert staged.read_bytes() == b"x"
    assert stat.S_IMODE(staged.stat().st_mode) == 0o644


def test_both_are_replaced(project: Path) -> None:
    staging, new_package, new_spec = stage(project)
    swap_package_and_file(
        new_package, project / "generated_sdk", new_spec, project / "spec" / "openapi.yaml"
    )
    assert tree(project / "generated_sdk") == {"__init__.py": b"new = True\n", "added.py": b""}
    assert (project / "spec" / "openapi.yaml").read_bytes() == b"new: spec\n"
    assert not new_spec.exists() and not new_package.exists()
    staging.rmdir()
    assert hidden(project) == []  # the old package set aside was deleted


def test_failing_spec_replacement_restores_the_package(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree(project)
    staging, new_package, new_spec = stage(project)
    staged = tree(new_package)

    def refuse(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(GenerationError, match="generated_sdk was put back as it was"):
        swap_package_and_file(
            new_package, project / "generated_sdk", new_spec, project / "spec" / "openapi.yaml"
        )
    monkeypatch.undo()
    # the old package is back, the new one is where it was staged (for the caller to delete)
    assert tree(new_package) == staged
    new_spec.unlink()
    assert {k: v for k, v in tree(project).items() if not k.startswith(".")} == before
    assert [name for name in hidden(project) if ".old-" in name] == []
    assert staging.is_dir()


def test_failing_package_move_changes_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree(project)
    _, new_package, new_spec = stage(project)
    real_rename = os.rename

    def rename(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        if Path(source) == new_package:
            raise OSError(18, "Invalid cross-device link")
        real_rename(source, target)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(GenerationError, match="could not move the new package"):
        swap_package_and_file(
            new_package, project / "generated_sdk", new_spec, project / "spec" / "openapi.yaml"
        )
    monkeypatch.undo()
    new_spec.unlink()
    assert {k: v for k, v in tree(project).items() if not k.startswith(".")} == before
    assert [name for name in hidden(project) if ".old-" in name] == []
