"""Real public OpenAPI documents (tests/generator/corpus) generate whole SDKs with default policies.

Every document gets only the config ``python -m generator init`` writes for it. A generated SDK
has passed the pipeline's own checks (ruff, every module imported, every operation callable); one
mypy --strict run then covers all of them together, which is much cheaper than one per package.

By default the manifest's representative subset runs (``make test``); ``SDK_CORPUS=full`` runs
every document (``make test-corpus``: GitHub's 13 MB description alone takes minutes).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks.corpus_run import Outcome, full_corpus, generate_all, manifest, selected
from generator.adapt import count_operations
from generator.settings import MYPY_CONFIG
from generator.source import parse_document

#: The whole corpus takes far longer than the subset (and mypy on GitHub's SDK alone minutes).
LIMIT = 5400 if full_corpus() else 600
pytestmark = pytest.mark.timeout(LIMIT)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Outcome]]:
    root = tmp_path_factory.mktemp("corpus")
    return root, generate_all(selected(), root, workers=2)


@functools.cache
def _document(path: Path) -> Any:
    return parse_document(path.read_bytes(), path)


def _operations(outcome: Outcome) -> int:
    return count_operations(_document(outcome.entry.path))


@pytest.mark.parametrize("subset", [False, True], ids=["corpus", "representative subset"])
def test_the_corpus_is_varied(subset: bool) -> None:
    entries = [e for e in manifest() if e.representative or not subset]
    assert len(entries) >= (15 if subset else 40)
    versions = {str(_document(e.path).get("openapi", ""))[:3] for e in entries}
    assert {"3.0", "3.1"} <= versions
    origins = " ".join(e.origin for e in entries)
    for kind in ("vendor API", "FastAPI", "drf-spectacular", "springdoc", "webhooks only"):
        assert kind in origins
    assert {e.expect for e in entries} == {"generated", "refused"}


def test_every_document_generates_whole_or_is_refused_as_invalid(
    corpus: tuple[Path, list[Outcome]],
) -> None:
    root, outcomes = corpus
    for outcome in outcomes:
        entry = outcome.entry
        if entry.expect == "generated":
            assert outcome.code == 0, (entry.file, outcome.stderr[-3000:])
            assert outcome.report is not None
            counts = outcome.report["operations"]
            assert counts["lost"] == 0, entry.file
            assert counts["generated"] + counts["excluded"] == _operations(outcome), entry.file
            assert counts["in_document"] == _operations(outcome), entry.file
        else:
            # refused only because the document is invalid, located by pointer and line
            assert outcome.code == 1, entry.file
            assert "not a valid OpenAPI document" in outcome.stderr, outcome.stderr
            assert f"{entry.file}:" in outcome.stderr and str(entry.because) in outcome.stderr
            assert not (root / entry.package).exists()
    generated = [o for o in outcomes if o.code == 0]
    assert len(generated) >= 0.9 * len(outcomes)


def test_no_staging_folders_are_left(corpus: tuple[Path, list[Outcome]]) -> None:
    root, _ = corpus
    assert [p.name for p in root.iterdir() if ".staging-" in p.name or ".old-" in p.name] == []


def test_every_generated_sdk_passes_mypy_strict(corpus: tuple[Path, list[Outcome]]) -> None:
    root, outcomes = corpus
    packages = [o.entry.package for o in outcomes if o.code == 0]
    command = [sys.executable, "-m", "mypy", "--config-file", str(MYPY_CONFIG)]
    command += ["--cache-dir", str(root / ".mypy-cache"), "--no-error-summary"]
    for package in packages:
        command += ["-p", package]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)
    # An SDK whose document has login + refresh operations gets a session.py (issue 14), which
    # imports the session layer: mypy finds it in the checkout.
    env["MYPYPATH"] = str(Path(__file__).resolve().parents[2])
    result = subprocess.run(
        command, cwd=root, env=env, capture_output=True, text=True, timeout=LIMIT - 60, check=False
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
