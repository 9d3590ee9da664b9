"""Runs the generator over the corpus (tests/generator/corpus), for its test and its benchmark.

Each document gets the config ``python -m generator init`` writes for it and nothing else, so the
outcome is what a new user gets with default policies.

``SDK_CORPUS=full`` selects every document (``make test-corpus``); by default only those the
manifest marks ``representative: true``, a subset that keeps ``make test`` short while covering
each kind of document (3.0 and 3.1, webhooks only, vendor, framework output, refusals).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "generator" / "corpus"
DOCUMENTS = CORPUS / "documents"


@dataclass(frozen=True)
class Entry:
    file: str
    origin: str
    expect: str
    because: str | None
    representative: bool = False

    @property
    def package(self) -> str:
        return "corpus_" + self.file.rsplit(".", 1)[0].replace("-", "_")

    @property
    def path(self) -> Path:
        return DOCUMENTS / self.file


@dataclass(frozen=True)
class Outcome:
    entry: Entry
    code: int
    report: dict[str, Any] | None
    stderr: str
    seconds: float


def manifest() -> list[Entry]:
    data = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))
    return [
        Entry(d["file"], d["origin"], d["expect"], d.get("because"), bool(d.get("representative")))
        for d in data["documents"]
    ]


def full_corpus() -> bool:
    """``SDK_CORPUS=full``: every document, not only the representative subset."""
    return os.environ.get("SDK_CORPUS", "").strip().lower() == "full"


def selected() -> list[Entry]:
    """The documents a run covers: all with ``SDK_CORPUS=full``, else the representative ones."""
    entries = manifest()
    return entries if full_corpus() else [e for e in entries if e.representative]


def generate(entry: Entry, root: Path, *, run_mypy: bool = False) -> Outcome:
    """``init`` a config for ``entry``, then generate its package under ``root``."""
    from generator.__main__ import main

    config = root / f"{entry.package}.generator.yaml"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(
            [
                "init",
                "--spec",
                str(entry.path),
                "--package",
                entry.package,
                "--config",
                str(config),
                "--force",
            ]
        )
    if code != 0:
        return Outcome(entry, code, None, err.getvalue(), 0.0)
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    args = [
        "--spec",
        str(entry.path),
        "--config",
        str(config),
        "--output",
        str(root / entry.package),
        "--report",
        "json",
    ]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*args, "--mypy" if run_mypy else "--no-mypy"])
    seconds = time.perf_counter() - started
    report = json.loads(out.getvalue()) if code == 0 else None
    return Outcome(entry, code, report, err.getvalue(), seconds)


def _generate_one(job: tuple[Entry, Path]) -> Outcome:
    return generate(*job)


def generate_all(entries: list[Entry], root: Path, *, workers: int = 2) -> list[Outcome]:
    """Generate every entry (largest first, ``workers`` processes at a time)."""
    ordered = sorted(entries, key=lambda e: e.path.stat().st_size, reverse=True)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(_generate_one, [(e, root) for e in ordered]))
    by_file = {o.entry.file: o for o in outcomes}
    return [by_file[e.file] for e in entries]
