"""What the distributions built from this checkout contain (the README's Install section).

The SDK's wheel holds the SDK only (no tests, benchmarks, generator or reference server) and
declares every runtime import; the reference server is a wheel of its own. Built offline with
the dev environment's setuptools, from a copy of the checkout.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SKIP = shutil.ignore_patterns(
    ".git", ".venv", "*cache*", "build", "dist", "*.egg-info", "__pycache__", "img", ".hypothesis"
)


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, zipfile.ZipFile]:
    root = tmp_path_factory.mktemp("checkout") / "items-sdk"
    shutil.copytree(REPO, root, ignore=SKIP)
    out = root / "dist"
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"),
            *("--wheel-dir", str(out), ".", "packages/items-reference-server"),
        ],
        cwd=root,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return {path.name.split("-")[0]: zipfile.ZipFile(path) for path in out.glob("*.whl")}


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
    assert required == ["anyio", "attrs", "httpx", "python-dateutil"]
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
