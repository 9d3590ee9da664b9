"""An interrupted run leaves no staging folder; a later run removes what a killed one left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from generator.swap import remove_stale_staging

REPO = Path(__file__).resolve().parents[2]
LARGE = REPO / "tests" / "generator" / "corpus" / "documents" / "discord.json"


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_sigterm_during_generation_leaves_nothing_behind(tmp_path: Path) -> None:
    config = tmp_path / "discord.generator.yaml"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "init",
            "--spec",
            str(LARGE),
            "--package",
            "discord_sdk",
            "--config",
            str(config),
        ],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=60,
    )
    codes = []
    for _ in range(3):  # bounded: a run that finished before the signal landed is tried again
        output = tmp_path / "discord_sdk"
        code = _generate_then_sigterm(config, output)
        codes.append(code)
        assert _hidden(tmp_path) == [], f"staging left behind (exit {code})"
        if code == 128 + signal.SIGTERM:
            assert not output.exists()
            break
        # finished first: then it finished whole, and the next try starts from no output
        assert code == 0 and (output / "__init__.py").exists(), f"exit {code}"
        for path in sorted(output.rglob("*"), reverse=True):
            path.unlink() if not path.is_dir() else path.rmdir()
        output.rmdir()
    assert codes[-1] == 128 + signal.SIGTERM, f"never interrupted: exits {codes}"


def _generate_then_sigterm(config: Path, output: Path) -> int:
    """Start a generation, SIGTERM it once its staging folder exists, return its exit code."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "--spec",
            str(LARGE),
            "--config",
            str(config),
            "--output",
            str(output),
            "--no-mypy",
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        # the staging folder appears once validation and parsing are done
        while not any(".staging-" in name for name in _hidden(output.parent)):
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "no staging folder appeared"
            time.sleep(0.02)
        process.send_signal(signal.SIGTERM)
        return process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait(timeout=30)
    return child.pid


def test_a_later_run_removes_stale_staging_and_restores_a_set_aside_package(
    tmp_path: Path,
) -> None:
    target = tmp_path / "generated_sdk"
    dead = _dead_pid()
    stale = tmp_path / f".generated_sdk.staging-{dead}-abc"
    (stale / "generated_sdk").mkdir(parents=True)
    aside = tmp_path / f".generated_sdk.old-{dead}-def"
    (aside / "generated_sdk").mkdir(parents=True)
    (aside / "generated_sdk" / "__init__.py").write_text("kept = True\n", encoding="utf-8")
    alive = tmp_path / f".generated_sdk.staging-{os.getpid()}-ghi"
    alive.mkdir()
    legacy = tmp_path / ".generated_sdk.staging-xyz"  # made before names carried a pid
    legacy.mkdir()

    removed = remove_stale_staging(target)

    assert sorted(p.name for p in removed) == sorted([stale.name, aside.name, legacy.name])
    assert _hidden(tmp_path) == [alive.name]  # a running process's folder is left alone
    # the run that set the old package aside died before moving a new one in: it is restored
    assert (target / "__init__.py").read_text(encoding="utf-8") == "kept = True\n"
