"""``python -m generator`` where its dependencies are not installed: one line naming them."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_a_plain_virtualenv_is_told_what_to_install(tmp_path: Path) -> None:
    venv.create(tmp_path / "plain", with_pip=False)
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env["PYTHONPATH"] = str(REPO)  # the checkout's generator, none of its dependencies
    result = subprocess.run(
        [str(tmp_path / "plain" / "bin" / "python"), "-m", "generator", "--check"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    for name in ("openapi-python-client", "mypy", "ruff", "types-python-dateutil"):
        assert name in result.stderr
    assert "packages/items-sdk-generator" in result.stderr
    assert not list(tmp_path.glob("generated_sdk*")), "nothing is written"


def test_the_test_environment_has_everything() -> None:
    from generator.dependencies import missing

    assert missing() == [], sys.executable
