"""Generation, type-check, import and first-call time of the SDK of corpus documents.

    python -m benchmarks.corpus [--rounds 3] [--imports 7] [--output docs/corpus.md] [--check]
        [--oracle [--oracle-skip FILE...]] [--calls] [--documents FILE...]

``make test-corpus`` is ``SDK_CORPUS=full python -m benchmarks.corpus --rounds 1 --imports 3
--oracle --check``; ``make test-corpus-ci`` the same with ``--oracle-skip`` (see the Makefile);
docs/corpus-large.md comes from ``python -m benchmarks.corpus --documents github-api.json
openai.yaml box.json discord.json --rounds 3 --calls --output docs/corpus-large.md``.

For each document of tests/generator/corpus (``--documents``: those named; else with
``SDK_CORPUS=full`` all of them, else the representative subset; plus the synthetic
500-operation document of benchmarks/synthetic_spec.py unless ``--documents`` is given), with
only the config ``python -m generator init`` writes:

* outcome, operations, adaptations by policy (from the run's ``--report json``);
* ``generate``: wall time of ``python -m generator ... --no-mypy`` (validate, adapt, parse,
  render, ruff, import check), median of ``--rounds`` rounds, documents interleaved per round,
  with min-max; and the median of each phase the run reports (its ``seconds``: ``parse`` is
  openapi-python-client's parse with the policies' adaptations, ``render`` the templates,
  ``ruff`` formatting and linting, ``import`` the check that imports every generated module);
* ``mypy``: ``mypy --strict`` on the generated package alone (the check a default run adds),
  with a cold cache of its own;
* ``lazy import``: ``import <package>`` in a fresh interpreter; ``eager import``: importing every
  module of the package; medians of ``--imports`` interpreters after one warm-up run;
* with ``--oracle``: the run-time oracle (``python -m tests.oracle``: every model round-trips
  instances of its schema, every operation's requests validate against the document and its
  answers parse), its counts per SDK, models and operations passed of all;
* with ``--calls``: ``import`` and ``first call`` as benchmarks/first_call.py measures them (a
  GET operation answered by a mock transport, until its answer is parsed), medians of
  ``--imports`` fresh interpreters.

``--check`` (``make test-corpus``) also fails, after writing the table, unless every document
has its manifest's outcome: generated whole (0 lost, mypy --strict clean, and with ``--oracle``
no model or operation failing the oracle), or refused with its ``because`` located in the
message. The figures depend on the machine (2 shared cores here).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.adapt import count_operations
from generator.settings import MYPY_CONFIG
from generator.source import parse_document

from . import first_call
from .corpus_run import Entry, full_corpus, generate, manifest, selected
from .synthetic_spec import build_spec

REPO = Path(__file__).resolve().parent.parent

_PROBE = r"""
import importlib, sys, time
root, name = sys.argv[1], sys.argv[2]
sys.path.insert(0, root)
start = time.perf_counter()
package = importlib.import_module(name)
lazy = time.perf_counter()
import pkgutil
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
    mypy_s: float | None = None
    #: Why the row does not match the manifest (``--check``), or "".
    mismatch: str = ""
    lazy_ms: float | None = None
    eager_ms: float | None = None
    #: Each round's phase times (the report's ``seconds``).
    phases: list[dict[str, float]] = field(default_factory=list)
    call: first_call.Timing | None = None
    #: Why no first call was measured ("" when it was, or --calls is off).
    call_note: str = ""
    #: ``python -m tests.oracle``'s result (--oracle), or None.
    oracle: dict[str, Any] | None = None

    def phase(self, name: str) -> list[float]:
        return [p[name] for p in self.phases if name in p]


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


def _mypy(folder: Path, package: str) -> tuple[float, str]:
    """Seconds ``mypy --strict`` takes on the package, and its complaints ("" when clean)."""
    command = [sys.executable, "-m", "mypy", "--config-file", str(MYPY_CONFIG)]
    command += ["--cache-dir", str(folder / f".mypy-{package}"), "--no-error-summary"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["MYPYPATH"] = str(REPO)  # a generated session.py imports the session layer
    started = time.perf_counter()
    result = subprocess.run(
        [*command, "-p", package],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,
    )
    seconds = time.perf_counter() - started
    return seconds, "" if result.returncode == 0 else (result.stdout + result.stderr)[-2000:]


def _synthetic(folder: Path) -> Entry:
    path = folder / "synthetic-500.yaml"
    path.write_text(yaml.safe_dump(build_spec(500), sort_keys=False), encoding="utf-8")
    return _Located(
        path.name,
        "synthetic (benchmarks/synthetic_spec.py, 500 operations)",
        "generated",
        None,
        location=path,
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


def _spread(values: list[float], *, spread: bool = True) -> str:
    if not values:
        return "-"
    median = statistics.median(values)
    if len(values) == 1 or not spread:
        return f"{median:.1f}"
    return f"{median:.1f} ({min(values):.1f}-{max(values):.1f})"


#: Phases of a run tabulated one by one (the report's ``seconds``); the rest (reading,
#: validation, the plan) is in ``generate`` only.
PHASES = ("parse", "render", "ruff", "import check")


def render(rows: list[Row], rounds: int, imports: int, scope: str) -> str:
    generated = [r for r in rows if r.outcome == "generated" and "synthetic" not in r.entry.file]
    real = [r for r in rows if "synthetic" not in r.entry.file]
    refused = [r for r in real if r.outcome.startswith("refused")]
    expected_refusals = [r for r in refused if r.entry.expect == "refused"]
    calls = any(r.call is not None or r.call_note for r in rows)
    oracle = any(r.oracle is not None for r in rows)
    checked = any(r.mypy_s is not None for r in rows)
    lines = [
        "# The generator on real OpenAPI documents",
        "",
        "Produced by `make test-corpus` (`SDK_CORPUS=full python -m benchmarks.corpus --check`; "
        "see its docstring for what each column measures); the documents, their provenance, "
        f"sizes and licences are in `tests/generator/corpus/`. This run: {scope}. Every document "
        "is generated with only the config `python -m generator init` writes for it (default "
        f"policies). Times: median (min-max) of {rounds} round(s), without mypy, and the median "
        "of each phase (`parse`, `render`, `ruff`, `import check`); `mypy s`: "
        "`mypy --strict` on the generated package alone, cold cache; imports: median of "
        f"{imports} fresh interpreters. Machine: 2 cores shared with other jobs, so single "
        "figures are noisy.",
        "",
        f"**{len(generated)} of {len(real)} real documents generate** whole and "
        + ("pass `mypy --strict`" if checked else "import (`mypy --strict` not run)")
        + f" ({100 * len(generated) / max(len(real), 1):.0f}%); "
        f"{len(refused)} refused "
        f"({len(expected_refusals)} of them invalid documents kept as refusal tests, refused with "
        "located messages). 0 operations lost.",
        "",
    ]
    header = (
        "| document | size | origin | operations | outcome | adaptations (by policy) "
        "| generate s | " + " | ".join(f"{p} s" for p in PHASES) + " | mypy s "
        "| lazy import ms | eager import ms |"
    )
    rule = "|---|---:|---|---:|---|---|---:|" + "---:|" * len(PHASES) + "---:|---:|---:|"
    if oracle:
        header += " oracle: models | oracle: operations | oracle s |"
        rule += "---:|---:|---:|"
    if calls:
        header += " first call | first call ms |"
        rule += "---|---:|"
    if oracle:
        lines += _oracle_summary(rows)
    lines += [header, rule]
    for row in rows:
        adapted = ", ".join(f"{k} {v}" for k, v in row.adaptations.items()) or "none"
        lazy = f"{row.lazy_ms:.1f}" if row.lazy_ms is not None else "-"
        eager = f"{row.eager_ms:.0f}" if row.eager_ms is not None else "-"
        mypy = f"{row.mypy_s:.1f}" if row.mypy_s is not None else "-"
        phases = " | ".join(_spread(row.phase(p), spread=False) for p in PHASES)
        size = row.entry.path.stat().st_size
        shown = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"
        line = (
            f"| {row.entry.file} | {shown} | {row.entry.origin} | {row.operations} | "
            f"{row.outcome} | {adapted} | {_spread(row.generate_s)} | {phases} | {mypy} | "
            f"{lazy} | {eager} |"
        )
        if oracle:
            line += _oracle_cells(row.oracle)
        if calls:
            if row.call is not None:
                line += f" `{row.call.call}` -> {row.call.result} | {row.call.first_call_ms:.0f} |"
            else:
                line += f" {row.call_note or '-'} | - |"
        lines.append(line)
    lines.append("")
    return "\n".join(lines)


def _counts(result: dict[str, Any], kind: str) -> tuple[int, int]:
    passed, failed = result[f"{kind}_passed"], len(result[f"{kind}_failed"])
    return passed, passed + failed


def _oracle_cells(result: dict[str, Any] | None) -> str:
    if result is None:
        return " - | - | - |"
    if "error" in result:
        return f" {result['error']} | - | - |"
    models, operations = _counts(result, "models"), _counts(result, "operations")
    return f" {models[0]}/{models[1]} | {operations[0]}/{operations[1]} | {result['seconds']} |"


def _oracle_summary(rows: list[Row]) -> list[str]:
    results = [r.oracle for r in rows if r.oracle is not None and "error" not in r.oracle]
    models = [_counts(r, "models") for r in results]
    operations = [_counts(r, "operations") for r in results]
    skipped = sum(len(r["skipped"]) for r in results)
    return [
        f"**Run-time oracle** (`python -m tests.oracle`, every model and operation of each "
        f"generated SDK): models {sum(p for p, _ in models)} of {sum(t for _, t in models)} "
        f"pass, operations {sum(p for p, _ in operations)} of {sum(t for _, t in operations)}; "
        f"{skipped} skipped (no instance could be drawn); over {len(results)} SDKs.",
        "",
    ]


def _oracle(row: Row, folder: Path, examples: int) -> None:
    """``python -m tests.oracle`` on the row's SDK, in an interpreter of its own."""
    package = row.entry.package
    command = [sys.executable, "-m", "tests.oracle", "--examples", str(examples)]
    config = folder / f"{package}.generator.yaml"
    command += ["--spec", str(row.entry.path), "--config", str(config)]
    command += ["--output", str(folder / package)]
    try:
        result = subprocess.run(
            command, cwd=REPO, capture_output=True, text=True, timeout=3600, check=False
        )
    except subprocess.TimeoutExpired:
        row.oracle = {"error": "timed out after 3600 s"}
        row.mismatch = row.mismatch or "the oracle timed out"
        return
    try:
        row.oracle = json.loads(result.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        row.oracle = {"error": "crashed"}
        row.mismatch = row.mismatch or f"the oracle crashed: {result.stderr[-2000:]}"
        return
    failures = [f"model {name}: {why}" for name, why in row.oracle["models_failed"].items()] + [
        f"operation {name}: {why}" for name, why in row.oracle["operations_failed"].items()
    ]
    if failures:
        row.mismatch = row.mismatch or "the oracle fails: " + "\n  ".join(
            f[:1500] for f in failures
        )


def _first_call(row: Row, folder: Path, runs: int) -> None:
    package = row.entry.package
    config = folder / f"{package}.generator.yaml"
    try:
        call = first_call.pick(row.entry.path, config, folder / package)
        if call is None:
            row.call_note = "no GET operation with a model answer and only path arguments"
            return
        row.call = first_call.measure(folder, package, call, runs)
    except Exception as exc:  # a benchmark row, not a test: say why and go on
        row.call_note = f"not measured: {type(exc).__name__}: {exc}"[:200]


def _mismatch(row: Row, stderr: str) -> str:
    """Why ``row`` is not what the manifest expects ("" when it is)."""
    entry = row.entry
    if entry.expect == "generated":
        return "" if row.outcome == "generated" else f"expected generated, got {row.outcome}"
    if row.outcome == "generated":
        return "expected a refusal, but it generated"
    if f"{entry.file}:" not in stderr or str(entry.because) not in stderr:
        return f"refused, but the message does not locate {entry.because!r}"
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpus", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--imports", type=int, default=7)
    parser.add_argument(
        "--output",
        type=Path,
        default=REPO / "docs" / "corpus.md",
        help="where the table goes (also printed); '-': printed only",
    )
    parser.add_argument(
        "--check", action="store_true", help="fail unless every document has its expected outcome"
    )
    parser.add_argument(
        "--documents",
        nargs="+",
        metavar="FILE",
        help="only these corpus documents (file names of the manifest), no synthetic one",
    )
    parser.add_argument(
        "--oracle",
        action="store_true",
        help="also run the run-time oracle over every model and operation (python -m tests.oracle)",
    )
    parser.add_argument(
        "--examples", type=int, default=4, help="oracle examples per model and operation"
    )
    parser.add_argument(
        "--no-mypy",
        action="store_true",
        help="skip mypy --strict on each SDK (make test runs it on the representative subset)",
    )
    parser.add_argument(
        "--oracle-skip",
        nargs="+",
        metavar="FILE",
        default=[],
        help="with --oracle: not on the SDKs of these documents (file names of the manifest)",
    )
    parser.add_argument(
        "--calls",
        action="store_true",
        help="also time import and the first call of one operation (benchmarks/first_call.py)",
    )
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="corpus-bench-"))
    try:
        if args.documents:
            known = {entry.file: entry for entry in manifest()}
            unknown = [name for name in args.documents if name not in known]
            if unknown:
                parser.error(f"not in the corpus manifest: {', '.join(unknown)}")
            entries: list[Entry] = [known[name] for name in args.documents]
            scope = "the documents " + ", ".join(args.documents)
        else:
            entries = [*selected(), _synthetic(scratch)]
            scope = "every document of the corpus" if full_corpus() else "the representative subset"
        names = {entry.file for entry in entries} | {entry.file for entry in manifest()}
        unknown = sorted(set(args.oracle_skip) - names)
        if unknown:
            parser.error(f"not in the corpus manifest: {', '.join(unknown)}")
        if args.oracle and args.oracle_skip:
            scope += " (the oracle on all but " + ", ".join(args.oracle_skip) + ")"
        rows = [Row(entry) for entry in entries]
        for round_number in range(args.rounds):
            folder = scratch / f"round{round_number}"
            folder.mkdir(exist_ok=True)
            for row in rows:  # one document at a time: large ones need the whole machine
                outcome = generate(row.entry, folder)
                row.outcome = "generated" if outcome.code == 0 else _refusal(outcome.stderr)
                row.operations = count_operations(
                    parse_document(row.entry.path.read_bytes(), row.entry.path)
                )
                if outcome.report is not None:
                    row.operations = outcome.report["operations"]["in_document"]
                    row.adaptations = outcome.report["adaptations_by_policy"]
                    row.generate_s.append(outcome.seconds)
                    row.phases.append(outcome.report.get("seconds", {}))
                row.mismatch = _mismatch(row, outcome.stderr)
                print(
                    f"round {round_number + 1}: {row.entry.file}: {row.outcome} "
                    f"[{outcome.seconds:.1f}s]",
                    file=sys.stderr,
                )
        folder = scratch / f"round{args.rounds - 1}"
        for row in rows:
            if row.outcome != "generated":
                continue
            complaints = ""
            if not args.no_mypy:
                row.mypy_s, complaints = _mypy(folder, row.entry.package)
            if complaints:
                row.outcome = "generated, but mypy --strict fails"
                row.mismatch = row.mismatch or f"mypy --strict fails: {complaints}"
            row.lazy_ms, row.eager_ms = _imports(folder, row.entry.package, args.imports)
            if args.oracle and row.entry.file not in args.oracle_skip:
                _oracle(row, folder, args.examples)
                print(f"{row.entry.file}: oracle {_oracle_cells(row.oracle)}", file=sys.stderr)
            if args.calls:
                _first_call(row, folder, args.imports)
            print(
                f"{row.entry.file}: mypy {row.mypy_s or 0:.1f}s, imports {row.lazy_ms:.1f}/"
                f"{row.eager_ms:.0f} ms"
                + (f", first call {row.call.first_call_ms:.0f} ms" if row.call else ""),
                file=sys.stderr,
            )
        text = render(rows, args.rounds, args.imports, scope)
        if str(args.output) != "-":
            args.output.write_text(text, encoding="utf-8")
        print(text)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    mismatches = [f"{row.entry.file}: {row.mismatch}" for row in rows if row.mismatch]
    for line in mismatches:
        print(f"corpus: {line}", file=sys.stderr)
    return 1 if args.check and mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
