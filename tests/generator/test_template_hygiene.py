"""tests/generator/hygiene.yaml generates code that imports and passes mypy --strict, with enums
as classes and as literals (the run-time side is tests/oracle's).

The document names properties and parameters like the templates' own locals, has int enums
as parameters (the friendly-input path), unions of consts, binary properties in JSON and
multipart bodies, and a raw body whose schema is a plain string: each of these once made
code that failed mypy, failed at run time, or crashed the templates (literal_enums: true).
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
import yaml

from generator.cli import main

pytestmark = pytest.mark.timeout(600)

HYGIENE = Path(__file__).with_name("hygiene.yaml")
COLLISIONS = Path(__file__).with_name("collisions.yaml")


def _generate(tmp_path: Path, *, literal_enums: bool) -> tuple[int, str, Path]:
    config = tmp_path / "hygiene_sdk.generator.yaml"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(
            ["init", "--spec", str(HYGIENE), "--package", "hygiene_sdk", "--config", str(config)]
        )
        assert code == 0, err.getvalue()
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
        data["openapi_python_client"]["literal_enums"] = literal_enums
        config.write_text(yaml.safe_dump(data), encoding="utf-8")
        output = tmp_path / "hygiene_sdk"
        code = main(
            ["--spec", str(HYGIENE), "--config", str(config), "--output", str(output), "--mypy"]
        )
    return code, err.getvalue(), output


@pytest.mark.parametrize("literal_enums", [False, True], ids=["enum_classes", "literal_enums"])
def test_hygiene_document_passes_mypy_strict(tmp_path: Path, literal_enums: bool) -> None:
    code, err, output = _generate(tmp_path, literal_enums=literal_enums)

    assert code == 0, err[-4000:]
    page = (output / "models" / "page.py").read_text(encoding="utf-8")
    assert "def from_dict(_cls, _src: Mapping[str, Any]) -> Self:" in page
    assert '_remaining.pop("data")' in page
    get_page = (output / "api" / "pages" / "_get_page.py").read_text(encoding="utf-8")
    assert "_response = _runtime.send(" in get_page
    if not literal_enums:
        assert "levels = Level(levels)" in get_page


def test_models_named_like_the_modules_imports_are_renamed(tmp_path: Path) -> None:
    """``Any``, ``File``, ``Response``, ``Client``, ``Unset`` and ``UNSET`` ... as schema names:
    each model becomes ``<Name>Model`` (reported), and the SDK passes ruff and mypy --strict."""
    config = tmp_path / "collisions_sdk.generator.yaml"
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        args = ["--spec", str(COLLISIONS), "--package", "collisions_sdk", "--config", str(config)]
        assert main(["init", *args]) == 0, err.getvalue()
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        args = ["--spec", str(COLLISIONS), "--config", str(config), "--report", "json"]
        code = main([*args, "--output", str(tmp_path / "collisions_sdk"), "--mypy"])
    assert code == 0, err.getvalue()[-4000:]
    renamed = {
        a["subject"].split("'")[1]: a["detail"].rsplit("'", 2)[1]
        for a in json.loads(out.getvalue())["adaptations"]
        if a["policy"] == "model_name"
    }
    assert renamed["Any"] == "AnyModel" and renamed["Response"] == "ResponseModel"
    # Unset and UNSET would share the module models/unset_model.py
    assert {renamed["Unset"], renamed["UNSET"]} == {"UnsetModel", "UNSETModel2"}
    assert "Cast" not in renamed and "Errors" not in renamed
