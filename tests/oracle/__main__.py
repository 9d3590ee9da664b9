"""The run-time oracle over one generated SDK, every model and operation, as JSON.

    python -m tests.oracle --spec DOC --config CONFIG --output PACKAGE_DIR [--examples 4]

Prints ``{"models_passed": n, "models_failed": {name: why}, "operations_passed": n,
"operations_failed": {...}, "skipped": {...}, "seconds": s}`` and exits 1 when anything failed.
``python -m benchmarks.corpus --oracle`` (``make test-corpus``) runs it on every SDK it
generates, one interpreter per SDK.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from . import oracle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.oracle", description=__doc__)
    parser.add_argument("--spec", type=Path, required=True)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True, help="the generated package")
    parser.add_argument("--examples", type=int, default=4, help="per model and operation")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.output.resolve().parent))
    started = time.perf_counter()
    subject = oracle.subject(args.spec, args.config, args.output)
    result = oracle.run(subject, args.examples)
    print(
        json.dumps(
            {
                "models_passed": len(result.models_passed),
                "models_failed": result.models_failed,
                "operations_passed": len(result.operations_passed),
                "operations_failed": result.operations_failed,
                "skipped": result.skipped,
                "seconds": round(time.perf_counter() - started, 1),
            }
        )
    )
    return 1 if result.models_failed or result.operations_failed else 0


if __name__ == "__main__":
    sys.exit(main())
