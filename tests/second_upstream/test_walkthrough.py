"""README "Using another upstream": its commands, run in a temporary folder, make exactly the
committed examples/drf (schema, config, SDK), and its Python works against the real server."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from drf_upstream.server import serve_drf

ROOT = Path(__file__).resolve().parents[2]
SECTION = re.compile(r"^## Using another upstream\n(?P<body>.*?)^## ", re.S | re.M)
BLOCK = re.compile(r"^```(?P<lang>sh|python)\n(?P<code>.*?)^```", re.S | re.M)


def blocks(lang: str) -> list[str]:
    match = SECTION.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert match, "README.md has no 'Using another upstream' section"
    return [m["code"] for m in BLOCK.finditer(match["body"]) if m["lang"] == lang]


def environment(*paths: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in paths)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


def test_the_walkthrough_makes_the_committed_second_sdk(tmp_path: Path) -> None:
    (tmp_path / "tests").symlink_to(ROOT / "tests")  # the Django project the schema comes from
    commands = [line for line in blocks("sh")[0].splitlines() if line.strip()]
    assert len(commands) == 5
    env = environment(ROOT)
    for line in commands:
        argv = shlex.split(line)
        if argv[0] == "python":
            argv[0] = sys.executable
        result = subprocess.run(
            argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240, check=False
        )
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
    made, committed = tmp_path / "examples" / "drf", ROOT / "examples" / "drf"
    expected = {
        name: data
        for name, data in tree(committed).items()
        if name.startswith(("spec/", "drf_sdk/", "drf_sdk.generator.yaml"))
    }
    assert tree(made) == expected

    with serve_drf(access_seconds=2) as upstream:
        code = f"BASE_URL = {upstream.url!r}\n" + blocks("python")[0]
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=tmp_path,
            env=environment(made, ROOT),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["45", "45", "Item", "7"]
