"""What the distributions built from this checkout contain (the README's Install section).

The SDK's wheel holds the SDK only (no tests, benchmarks, generator or reference server) and
declares every runtime import; the reference server is a wheel of its own. Built offline with
the dev environment's setuptools, from a copy of the checkout (conftest.py).
"""

from __future__ import annotations

import re
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def wheels(built_wheels: dict[str, Path]) -> dict[str, zipfile.ZipFile]:
    return {name: zipfile.ZipFile(path) for name, path in built_wheels.items()}


def top_level(wheel: zipfile.ZipFile) -> set[str]:
    return {name.split("/")[0] for name in wheel.namelist() if ".dist-info/" not in name}


def metadata(wheel: zipfile.ZipFile) -> list[tuple[str, str]]:
    name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    return list(Parser().parsestr(wheel.read(name).decode()).items())


def test_sdk_wheel_holds_the_sdk_only(wheels: dict[str, zipfile.ZipFile]) -> None:
    sdk = wheels["items_sdk"]
    assert top_level(sdk) == {"generated_sdk", "sdk_session", "_items_api_server.py"}
    names = sdk.namelist()
    assert "generated_sdk/py.typed" in names and "sdk_session/py.typed" in names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "items-api-server = _items_api_server:main" in sdk.read(entry_points).decode()


def test_sdk_wheel_declares_its_imports_and_extras(wheels: dict[str, zipfile.ZipFile]) -> None:
    fields = metadata(wheels["items_sdk"])
    required = sorted(
        v.split("<")[0].split(">")[0] for k, v in fields if k == "Requires-Dist" and ";" not in v
    )
    assert required == ["anyio", "attrs", "httpx", "python-dateutil", "sniffio"]
    extras = {v for k, v in fields if k == "Provides-Extra"}
    assert {"file", "redis", "server"} <= extras
    assert ("Requires-Dist", 'items-reference-server==0.1.0; extra == "server"') in fields
    assert ("License-Expression", "MIT") in fields


def test_reference_server_is_its_own_wheel(wheels: dict[str, zipfile.ZipFile]) -> None:
    server = wheels["items_reference_server"]
    assert top_level(server) == {"reference_server"}
    assert "reference_server/cli.py" in server.namelist()
    required = {v.split(">")[0].split("<")[0] for k, v in metadata(server) if k == "Requires-Dist"}
    assert required == {"httpx", "starlette", "uvicorn", "pyjwt"}


def test_generator_is_its_own_wheel(wheels: dict[str, zipfile.ZipFile]) -> None:
    generator = wheels["items_sdk_generator"]
    assert top_level(generator) == {"generator"}
    names = generator.namelist()
    for data in (
        "config.yaml",
        "codegen-ruff.toml",
        "codegen-mypy.ini",
        "templates/model.py.jinja",
    ):
        assert f"generator/{data}" in names
    assert "generator/specdiff/cli.py" in names
    required = {re.split("[=<>!~ ;]", v)[0] for k, v in metadata(generator) if k == "Requires-Dist"}
    assert {
        "items-sdk",
        "openapi-python-client",
        "ruff",
        "mypy",
        "types-python-dateutil",
    } <= required
