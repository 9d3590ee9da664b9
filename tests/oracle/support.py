"""Which generated SDKs the run-time oracle (tests/oracle/oracle.py) checks, and generating them."""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from benchmarks.corpus_run import Entry, manifest

REPO = Path(__file__).resolve().parents[2]
HYGIENE = REPO / "tests" / "generator" / "hygiene.yaml"

#: Documents checked when SDK_CORPUS is not "full": one of each kind of source and the features
#: templates get wrong most easily (polymorphism, every DRF field type, 3.1 type lists and
#: webhooks, forms), each checked in under half a minute. The large vendor documents take
#: minutes each, so they run with SDK_CORPUS=full only; tests/generator/hygiene.yaml carries
#: their known traps (Discord's unions of consts) into every run.
SUBSET = (
    "oai-petstore-expanded.yaml",
    "oai-uspto.yaml",
    "oai-webhook-example.yaml",
    "drf-fields.yaml",
    "drf-polymorphic.yaml",
    "drf-basic-3-1.yaml",
)
#: Models and operations checked per document outside the full run (an even sample).
SAMPLE = 60
#: The same with SDK_CORPUS=full: None, every model and operation of every document (Discord's
#: 573 models and 242 operations take about 2.5 minutes; ``make test-corpus`` runs the same
#: check through ``python -m benchmarks.corpus --oracle``).
FULL_SAMPLE: int | None = None


def full_corpus() -> bool:
    """``SDK_CORPUS=full`` (``make test-corpus``): every document, every model and operation."""
    return os.environ.get("SDK_CORPUS", "") == "full"


def selected() -> list[Entry]:
    entries = [e for e in manifest() if e.expect == "generated"]
    return entries if full_corpus() else [e for e in entries if e.file in SUBSET]


@dataclass(frozen=True)
class Generated:
    """A generated SDK: its document, its config and where it is (importable from its parent)."""

    spec: Path
    config: Path
    output: Path


def generate(spec: Path, package: str, root: Path) -> Generated:
    """``init`` a default config for ``spec`` and generate ``package`` under ``root`` (no mypy:
    the oracle is about what type checks cannot see)."""
    from generator.__main__ import main

    config = root / f"{package}.generator.yaml"
    output = root / package
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        code = main(["init", "--spec", str(spec), "--package", package, "--config", str(config)])
        assert code == 0, quiet.getvalue()
        args = ["--spec", str(spec), "--config", str(config), "--output", str(output)]
        code = main([*args, "--no-mypy"])
    assert code == 0, quiet.getvalue()[-3000:]
    return Generated(spec, config, output)
