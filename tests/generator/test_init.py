"""``python -m generator init`` refuses what generation would refuse, with generation's own located
messages, exits 1 and writes nothing; a valid document still gets its config."""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.settings import load_settings

VALID = """\
openapi: 3.0.3
info: {title: Shop, version: "1"}
paths:
  /things:
    get:
      operationId: list_things
      tags: [things]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: string}
"""

#: name -> (file name, text, what the refusal must say)
BAD = {
    "not_openapi": (
        "hello.json",
        '{"hello": 1}\n',
        "hello.json:1 /openapi: needs `openapi: 3.0.x` or `3.1.x`, got null",
    ),
    "swagger_2": (
        "swagger.yaml",
        'swagger: "2.0"\ninfo: {title: T, version: "1"}\npaths: {}\n',
        "swagger.yaml:1 /swagger: Swagger 2.0 documents are not supported",
    ),
    "broken_ref": (
        "badref.yaml",
        VALID.replace("schema: {type: string}", 'schema: {$ref: "#/components/schemas/Gone"}'),
        "badref.yaml:13 /paths/~1things/get/responses/200/content/application~1json/schema/$ref: "
        "$ref #/components/schemas/Gone points at nothing",
    ),
    # found by generation's parse (pydantic), not by the structural check
    "no_description": (
        "nodesc.yaml",
        VALID.replace("          description: ok\n", ""),
        "nodesc.yaml:10 /paths/~1things/get/responses/200/description: required field "
        "'description' is missing",
    ),
    "not_a_mapping": ("list.yaml", "- 1\n- 2\n", "list.yaml: the document is not a mapping"),
    "not_yaml": ("broken.yaml", "openapi: [3.0.3\n", "is not valid YAML/JSON (line 2)"),
}


def _run(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in args])
    return code, out.getvalue(), err.getvalue()


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.mark.parametrize("case", sorted(BAD))
def test_init_refuses_what_generation_refuses_and_writes_nothing(tmp_path: Path, case: str) -> None:
    name, text, expected = BAD[case]
    spec = tmp_path / "in" / name
    spec.parent.mkdir()
    spec.write_text(text, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    config = work / "shop_sdk.generator.yaml"

    code, out, err = _run("init", "--spec", spec, "--package", "shop_sdk", "--config", config)
    assert code == 1, err
    assert expected in err
    assert "next:" not in out and "wrote" not in out
    assert f"{config} was not written" in err
    assert _files(work) == []  # no config, no partial or hidden file, no package folder

    # the very lines generation prints for the same document (with a config for a valid one)
    good = tmp_path / "good.yaml"
    good.write_text(VALID, encoding="utf-8")
    good_config = tmp_path / "good.generator.yaml"
    assert _run("init", "--spec", good, "--package", "shop_sdk", "--config", good_config)[0] == 0
    gen_code, _, gen_err = _run(
        "--spec", spec, "--config", good_config, "--output", work / "shop_sdk", "--no-mypy"
    )
    assert gen_code == 1
    refusal = [line.removeprefix("generator init: ") for line in err.splitlines()[:-1]]
    assert refusal == [line.removeprefix("generator: ") for line in gen_err.splitlines()[:-1]]
    assert _files(work) == []


def test_a_refused_document_leaves_an_existing_config_as_it_was(tmp_path: Path) -> None:
    name, text, _ = BAD["swagger_2"]
    spec = tmp_path / name
    spec.write_text(text, encoding="utf-8")
    config = tmp_path / "shop_sdk.generator.yaml"
    config.write_text("# mine\n", encoding="utf-8")
    code, _, err = _run(
        "init", "--spec", spec, "--package", "shop_sdk", "--config", config, "--force"
    )
    assert code == 1, err
    assert config.read_text(encoding="utf-8") == "# mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, config.name])


def test_init_refuses_an_output_folder_generation_would_not_replace(tmp_path: Path) -> None:
    spec = tmp_path / "shop.yaml"
    spec.write_text(VALID, encoding="utf-8")
    (tmp_path / "shop_sdk").mkdir()
    (tmp_path / "shop_sdk" / "notes.txt").write_text("hand-written\n", encoding="utf-8")
    config = tmp_path / "shop_sdk.generator.yaml"
    code, _, err = _run("init", "--spec", spec, "--package", "shop_sdk", "--config", config)
    assert code == 1, err
    assert "it has no generator.lock.json, so it was not generated" in err
    assert not config.exists()


def test_bad_usage_still_exits_2_before_reading_the_document(tmp_path: Path) -> None:
    missing, config = tmp_path / "missing.yaml", tmp_path / "c"
    code, _, err = _run("init", "--spec", missing, "--package", "json", "--config", config)
    assert code == 2 and "'json'" in err
    code, _, err = _run("init", "--spec", missing, "--package", "shop_sdk", "--config", config)
    assert code == 1 and "cannot read the spec" in err
    assert _files(tmp_path) == []


def test_a_valid_document_gets_its_config_and_the_next_command(tmp_path: Path) -> None:
    spec = tmp_path / "shop.yaml"
    spec.write_text(VALID, encoding="utf-8")
    config = tmp_path / "cfg" / "shop_sdk.generator.yaml"
    code, out, err = _run("init", "--spec", spec, "--package", "shop_sdk", "--config", config)
    assert code == 0, err
    assert f"generator init: wrote {config}" in out
    assert f"--output {(config.parent / 'shop_sdk').as_posix()}" in out
    assert sorted(p.name for p in config.parent.iterdir()) == [config.name]  # nothing else
    assert os.stat(config).st_mode & 0o777 == 0o644
    settings = load_settings(config)
    assert settings.package_name == "shop_sdk"
    assert yaml.safe_load(config.read_text(encoding="utf-8"))["pagination"]["expect"] == []
