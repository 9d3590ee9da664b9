"""``python -m generator``: regenerate generated_sdk/, or ``--check`` that it is up to date.

Exit status: 0 success; 1 refusal, failed verification or (with --check) drift; 2 bad usage.

Two subcommands (the first argument) work with a new version of the upstream spec:

* ``python -m generator diff OLD NEW [--format table|markdown|json]`` reports what changed and
  which changes break SDK callers (exit 0 none breaking, 1 breaking, 2 invalid input);
* ``python -m generator update NEW_SPEC [--allow-breaking] [--dry-run] [--format ...]`` reports
  the same, then regenerates, checks the result with the hand-written code and replaces the spec
  and the package together, or nothing (exit statuses in ``generator/update.py``).
"""

from __future__ import annotations

import sys

from .dependencies import require_installed

# Before the command line is imported: it imports openapi-python-client and the rest.
require_installed()

from .cli import main as main  # noqa: E402  (re-exported: tests and benchmarks call it)

if __name__ == "__main__":
    sys.exit(main())
