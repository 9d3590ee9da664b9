"""Import and generation time, via the existing ``benchmarks.import_time`` module."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml

from .. import import_time
from ..synthetic_spec import build_spec


def _operations(spec: dict[str, object]) -> int:
    methods = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
    paths = spec["paths"]
    assert isinstance(paths, dict)
    return sum(1 for item in paths.values() for m in methods if m in item)


def run(*, runs: int, operations: int) -> tuple[list[import_time.Row], float]:
    """Rows for our spec and a synthetic one, and the dependencies-alone import time (ms)."""
    with tempfile.TemporaryDirectory(prefix="bench-import-") as scratch:
        ours = Path(scratch) / "ours"
        spec_path = import_time.REPO / "spec" / "openapi.yaml"
        ours_s = import_time.generate(spec_path, ours / "generated_sdk")
        synthetic = Path(scratch) / "synthetic"
        synthetic.mkdir()
        synthetic_spec = synthetic / "openapi.yaml"
        synthetic_spec.write_text(yaml.safe_dump(build_spec(operations)), encoding="utf-8")
        synthetic_s = import_time.generate(
            synthetic_spec, synthetic / "generated_sdk", session=False
        )
        our_ops = _operations(yaml.safe_load(spec_path.read_text(encoding="utf-8")))
        rows = [
            import_time.measure("spec/openapi.yaml", ours, our_ops, ours_s, runs),
            import_time.measure(
                f"synthetic ({operations} ops)", synthetic, operations, synthetic_s, runs
            ),
        ]
    return rows, import_time.dependencies_ms(runs)
