"""The generator as a user installs it: a new virtualenv, run from a folder outside the checkout.

The wheels of items-sdk and items-sdk-generator go into a fresh virtualenv together with the
versions uv.lock pins for the `generator` extra (uv, offline, from the cache that `make` filled
when it synced .venv), so nothing is fetched from beyond this machine. There, in an empty
folder, `python -m generator init` and a generation run on a public document (the OpenAPI
Initiative's petstore-expanded, from the corpus), and `init` refuses what generation would
refuse, writing nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
import uv

REPO = Path(__file__).resolve().parents[2]
PETSTORE = REPO / "tests" / "generator" / "corpus" / "documents" / "oai-petstore-expanded.yaml"
UV = uv.find_uv_bin()


def run(
    command: Sequence[str | Path], cwd: Path, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    # A user's shell: none of this checkout's virtualenv or import paths.
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["UV_PYTHON_DOWNLOADS"] = "never"
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def succeed(command: Sequence[str | Path], cwd: Path) -> str:
    result = run(command, cwd)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def python(built_wheels: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The interpreter of a new virtualenv holding the SDK and the generator, nothing else."""
    where = tmp_path_factory.mktemp("fresh")
    pins = where / "pylock.toml"
    as_pylock = ("--format", "pylock.toml", "-o", pins)
    succeed(
        [
            UV,
            "export",
            "--locked",
            "--extra",
            "generator",
            "--no-emit-local",
            "--quiet",
            *as_pylock,
        ],
        cwd=REPO,
    )
    venv = where / "venv"
    succeed([UV, "venv", "--quiet", "--python", sys.executable, venv], cwd=where)
    interpreter = venv / "bin" / "python"
    result = run([UV, "pip", "install", "--offline", "--python", interpreter, "-r", pins], where)
    assert result.returncode == 0, (
        "installing the generator's locked dependencies offline needs uv's cache as `make` "
        f"leaves it (run `make` first):\n{result.stderr}"
    )
    wheels = [built_wheels["items_sdk"], built_wheels["items_sdk_generator"]]
    succeed(
        [UV, "pip", "install", "--offline", "--no-deps", "--python", interpreter, *wheels], where
    )
    return interpreter


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty folder of the user's, outside the checkout."""
    assert not tmp_path.resolve().is_relative_to(REPO)
    return tmp_path


def test_the_installed_generator_is_the_one_that_runs(python: Path, project: Path) -> None:
    where = succeed([python, "-c", "import generator; print(generator.__file__)"], project)
    assert Path(where.strip()).is_relative_to(python.parent.parent)


def test_init_then_generation_from_any_folder(python: Path, project: Path) -> None:
    shutil.copyfile(PETSTORE, project / "petstore.yaml")
    said = succeed(
        [python, "-m", "generator", "init", "--spec", "petstore.yaml", "--package", "pets"],
        project,
    )
    assert (project / "pets.generator.yaml").is_file(), said
    command: list[str | Path] = [python, "-m", "generator", "--spec", "petstore.yaml"]
    command += ["--config", "pets.generator.yaml", "--output", "pets"]
    succeed(command, project)
    succeed([*command, "--check"], project)
    # The generated package works in that virtualenv: a model round-trips through its dict form.
    program = (
        "import pets, pets.models as m; "
        "pet = m.Pet.from_dict({'name': 'Rex', 'id': 7, 'tag': 'dog'}); "
        "print(pet.to_dict())"
    )
    out = succeed([python, "-c", program], project)
    assert "'name': 'Rex'" in out and "'id': 7" in out


BAD_DOCUMENTS = {
    "swagger-2.0": ({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}, "2.0"),
    "not-openapi": ({"hello": "world", "items": [1, 2]}, "openapi"),
    "broken-ref": (
        {
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/pets": {
                    "get": {
                        "operationId": "listPets",
                        "responses": {
                            "200": {
                                "description": "ok",
                                "content": {
                                    "application/json": {
                                        "schema": {"$ref": "#/components/schemas/Missing"}
                                    }
                                },
                            }
                        },
                    }
                }
            },
        },
        "Missing",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_DOCUMENTS))
def test_init_refuses_what_generation_refuses(python: Path, project: Path, name: str) -> None:
    document, named = BAD_DOCUMENTS[name]
    (project / "api.json").write_text(json.dumps(document), encoding="utf-8")
    before = sorted(project.iterdir())
    result = run(
        [python, "-m", "generator", "init", "--spec", "api.json", "--package", "x_sdk"], project
    )
    said = result.stdout + result.stderr
    assert result.returncode != 0, said
    assert named.lower() in said.lower(), said
    assert "Traceback" not in said
    assert sorted(project.iterdir()) == before, "init wrote something"
