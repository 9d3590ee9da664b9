"""Import time of the generated SDK, for our spec and for a synthetic 500-operation spec.

    python -m benchmarks.import_time [--runs 15] [--operations 500]

The synthetic spec (benchmarks/synthetic_spec.py) is generated into a temporary folder by the
same generator (``python -m generator --spec ... --output ...``). Each figure is the median over
``--runs`` fresh interpreters (after one warm-up run that writes bytecode), timed inside the
interpreter with ``time.perf_counter``:

* ``import``: ``import generated_sdk`` (lazy: loads nothing else);
* ``+ first call ready``: then ``sdk.Client`` and the first operation (imports httpx, the
  operation's module and the models it uses);
* ``all modules``: importing every module of the package, what an eager ``__init__`` would cost;
* and, for reference, importing the third-party dependencies (httpx, attrs, dateutil) alone.

Not a test: the numbers depend on the machine. Also prints the generation time of each spec.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from .synthetic_spec import build_spec

REPO = Path(__file__).resolve().parent.parent

_DEPENDENCIES = r"""
import time
start = time.perf_counter()
import attrs, dateutil.parser, httpx
print(time.perf_counter() - start)
"""

_PROBE = r"""
import importlib, pkgutil, sys, time
root, op = sys.argv[1], sys.argv[2]
sys.path.insert(0, root)
start = time.perf_counter()
import generated_sdk as sdk
imported = time.perf_counter()
tag, name = op.split(".")
sdk.Client
getattr(getattr(sdk, tag), name)
ready = time.perf_counter()
for info in pkgutil.walk_packages(sdk.__path__, "generated_sdk."):
    importlib.import_module(info.name)
everything = time.perf_counter()
print(imported - start, ready - start, everything - start)
"""


@dataclass(frozen=True)
class Row:
    label: str
    operations: int
    modules: int
    generate_s: float | None
    import_ms: float
    ready_ms: float
    all_ms: float


def _probe(root: Path, operation: str) -> tuple[float, float, float]:
    output = subprocess.run(
        [sys.executable, "-I", "-c", _PROBE, str(root), operation],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    first, second, third = (float(value) * 1000 for value in output)
    return first, second, third


def dependencies_ms(runs: int) -> float:
    """What importing the SDK's third-party dependencies alone costs (part of "first call")."""

    def once() -> float:
        command = [sys.executable, "-I", "-c", _DEPENDENCIES]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        return float(output) * 1000

    once()
    return statistics.median(once() for _ in range(runs))


def measure(label: str, root: Path, operations: int, generate_s: float | None, runs: int) -> Row:
    _probe(root, "items.list")  # warm-up: writes bytecode
    samples = [_probe(root, "items.list") for _ in range(runs)]
    modules = sum(1 for _ in (root / "generated_sdk").rglob("*.py"))
    return Row(
        label=label,
        operations=operations,
        modules=modules,
        generate_s=generate_s,
        import_ms=statistics.median(s[0] for s in samples),
        ready_ms=statistics.median(s[1] for s in samples),
        all_ms=statistics.median(s[2] for s in samples),
    )


def generate(spec: Path, output: Path, *, session: bool = True) -> float:
    """Seconds to generate ``spec`` with the Items API's config (without its ``session:`` for a
    document that has no token operations, such as the synthetic one)."""
    config_path = REPO / "generator" / "config.yaml"
    if not session:
        config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
        config.pop("session", None)
        config_path = output.parent / "generator.yaml"
        config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
    command = [sys.executable, "-m", "generator", "--spec", str(spec), "--config", str(config_path)]
    started = time.perf_counter()
    subprocess.run(
        [*command, "--output", str(output)], cwd=REPO, check=True, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - started


def render(rows: list[Row]) -> str:
    header = (
        f"{'spec':<22} {'ops':>5} {'modules':>8} {'generate':>9} "
        f"{'import':>9} {'+ first call ready':>19} {'all modules':>12}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        generated = f"{row.generate_s:.1f} s" if row.generate_s is not None else "-"
        lines.append(
            f"{row.label:<22} {row.operations:>5} {row.modules:>8} {generated:>9} "
            f"{row.import_ms:>6.2f} ms {row.ready_ms:>16.1f} ms {row.all_ms:>9.1f} ms"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15, help="interpreters per figure")
    parser.add_argument("--operations", type=int, default=500, help="size of the synthetic spec")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="import-time-") as scratch:
        ours = Path(scratch) / "ours"
        ours_seconds = generate(REPO / "spec" / "openapi.yaml", ours / "generated_sdk")
        synthetic = Path(scratch) / "synthetic"
        synthetic.mkdir()
        spec_path = synthetic / "openapi.yaml"
        spec_path.write_text(yaml.safe_dump(build_spec(args.operations)), encoding="utf-8")
        synthetic_seconds = generate(spec_path, synthetic / "generated_sdk", session=False)
        ours_spec = yaml.safe_load((REPO / "spec" / "openapi.yaml").read_text(encoding="utf-8"))
        our_operations = sum(
            1
            for item in ours_spec["paths"].values()
            for method in ("get", "put", "post", "delete", "patch", "head", "options", "trace")
            if method in item
        )
        rows = [
            measure("spec/openapi.yaml", ours, our_operations, ours_seconds, args.runs),
            measure(
                f"synthetic ({args.operations} ops)",
                synthetic,
                args.operations,
                synthetic_seconds,
                args.runs,
            ),
        ]
    print(render(rows))
    print(f"httpx + attrs + dateutil alone: {dependencies_ms(args.runs):.1f} ms")
    print(f"(median of {args.runs} fresh interpreters each; Python {sys.version.split()[0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
