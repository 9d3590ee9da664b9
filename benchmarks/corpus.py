"""Generation and import time of the SDK of every corpus document, written to docs/corpus.md.

    python -m benchmarks.corpus [--rounds 3] [--imports 7] [--output docs/corpus.md]

For each document of tests/generator/corpus (plus the synthetic 500-operation document of
benchmarks/synthetic_spec.py), with only the config ``python -m generator init`` writes:

* outcome, operations, adaptations by policy (from the run's ``--report json``);
* ``generate``: wall time of ``python -m generator ... --no-mypy`` (validate, adapt, parse,
  render, ruff, import check), median of ``--rounds`` rounds, documents interleaved per round,
  with min-max; ``full run``: one default run, mypy --strict verification included (mypy's
  incremental cache in the system temp folder is warm by then, as on a developer's machine);
* ``lazy import``: ``import <package>`` in a fresh interpreter; ``eager import``: importing every
  module of the package; medians of ``--imports`` interpreters after one warm-up run.

Not a test: the figures depend on the machine (2 shared cores here).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.adapt import count_operations
from generator.source import parse_document

from .corpus_run import Entry, generate, manifest
from .synthetic_spec import build_spec

REPO = Path(__file__).resolve().parent.parent

_PROBE = r"""
import importlib, pkgutil, sys, time
root, name = sys.argv[1], sys.argv[2]
sys.path.insert(0, root)
start = time.perf_counter()
package = importlib.import_module(name)
lazy = time.perf_counter()
for info in pkgutil.walk_packages(package.__path__, name + "."):
    importlib.import_module(info.name)
print(lazy - start, time.perf_counter() - start)
"""


@dataclass
class Row:
    entry: Entry
    outcome: str = ""
    operations: int = 0
    adaptations: dict[str, int] = field(default_factory=dict)
    generate_s: list[float] = field(default_factory=list)
    full_s: float | None = None
    lazy_ms: float | None = None
    eager_ms: float | None = None


def _imports(root: Path, package: str, runs: int) -> tuple[float, float]:
    samples: list[tuple[float, float]] = []
    for _ in range(runs + 1):  # the first run writes bytecode
        output = subprocess.run(
            [sys.executable, "-I", "-c", _PROBE, str(root), package],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout.split()
        samples.append((float(output[0]) * 1000, float(output[1]) * 1000))
    samples = samples[1:]
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def _synthetic(folder: Path) -> Entry:
    path = folder / "synthetic-500.yaml"
    path.write_text(yaml.safe_dump(build_spec(500), sort_keys=False), encoding="utf-8")
    return _Located(
        path.name,
        "synthetic (benchmarks/synthetic_spec.py, 500 operations)",
        "generated",
        None,
        path,
    )


@dataclass(frozen=True)
class _Located(Entry):
    location: Path = Path()

    @property
    def path(self) -> Path:
        return self.location


def _refusal(stderr: str) -> str:
    """``refused: <first located problem>`` from a refused run's messages."""
    problems = [line[4:] for line in stderr.splitlines() if line.startswith("  - ")]
    return f"refused: {problems[0]}" if problems else "refused"


def _spread(values: list[float]) -> str:
    if not values:
        return "-"
    median = statistics.median(values)
    if len(values) == 1:
        return f"{median:.1f}"
    return f"{median:.1f} ({min(values):.1f}-{max(values):.1f})"


def render(rows: list[Row], rounds: int, imports: int) -> str:
    generated = [r for r in rows if r.outcome == "generated" and "synthetic" not in r.entry.file]
    real = [r for r in rows if "synthetic" not in r.entry.file]
    lines = [
        "# The generator on real OpenAPI documents",
        "",
        "Produced by `python -m benchmarks.corpus` (see its docstring for what each column "
        "measures); the documents, their provenance and licences are in "
        "`tests/generator/corpus/`. Every document is generated with only the config "
        "`python -m generator init` writes for it (default policies). "
        f"Times: median (min-max) of {rounds} rounds; imports: median of {imports} fresh "
        "interpreters. `full run`: one default run including mypy --strict (warm mypy cache). "
        "Machine: 2 cores shared with other jobs, so single figures are noisy.",
        "",
        f"**{len(generated)} of {len(real)} real documents generate** "
        f"({100 * len(generated) / max(len(real), 1):.0f}%); the others are refused as invalid, "
        "with located messages. 0 operations lost.",
        "",
        "| document | origin | operations | outcome | adaptations (by policy) | generate s "
        "| full run s | lazy import ms | eager import ms |",
        "|---|---|---:|---|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        adapted = ", ".join(f"{k} {v}" for k, v in row.adaptations.items()) or "none"
        lazy = f"{row.lazy_ms:.1f}" if row.lazy_ms is not None else "-"
        eager = f"{row.eager_ms:.0f}" if row.eager_ms is not None else "-"
        full = f"{row.full_s:.1f}" if row.full_s is not None else "-"
        lines.append(
            f"| {row.entry.file} | {row.entry.origin} | {row.operations} | {row.outcome} | "
            f"{adapted} | {_spread(row.generate_s)} | {full} | {lazy} | {eager} |"
        )
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpus", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--imports", type=int, default=7)
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "corpus.md")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="corpus-bench-"))
    try:
        entries = [*manifest(), _synthetic(scratch)]
        rows = [Row(entry) for entry in entries]
        for round_number in range(args.rounds):
            for row in rows:
                folder = scratch / f"round{round_number}"
                folder.mkdir(exist_ok=True)
                outcome = generate(row.entry, folder)
                row.outcome = "generated" if outcome.code == 0 else _refusal(outcome.stderr)
                row.operations = count_operations(
                    parse_document(row.entry.path.read_bytes(), row.entry.path)
                )
                if outcome.report is not None:
                    row.operations = outcome.report["operations"]["in_document"]
                    row.adaptations = outcome.report["adaptations_by_policy"]
                    row.generate_s.append(outcome.seconds)
                print(
                    f"round {round_number + 1}: {row.entry.file}: {row.outcome} "
                    f"[{outcome.seconds:.1f}s]",
                    file=sys.stderr,
                )
        for row in rows:
            if row.outcome != "generated":
                continue
            folder = scratch / "full"
            folder.mkdir(exist_ok=True)
            full = generate(row.entry, folder, run_mypy=True)
            row.full_s = full.seconds if full.code == 0 else None
            row.lazy_ms, row.eager_ms = _imports(folder, row.entry.package, args.imports)
            print(
                f"{row.entry.file}: +mypy {row.full_s}s, imports {row.lazy_ms:.1f}/"
                f"{row.eager_ms:.0f} ms",
                file=sys.stderr,
            )
        text = render(rows, args.rounds, args.imports)
        args.output.write_text(text, encoding="utf-8")
        print(text)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
