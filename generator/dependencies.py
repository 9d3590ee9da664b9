"""What a generation run needs beyond the standard library, checked before anything runs.

Without the check a missing piece surfaced as a raw ``ModuleNotFoundError`` at start, or halfway
through a run as mypy's "No module named mypy" or "Library stubs not installed". The generator's
own distribution (packages/items-sdk-generator) brings all of them.
"""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, version

#: Distributions a run imports or runs: the codegen, the spec validator, the config reader, the
#: formatter and type checker of the output, and what the generated code itself imports.
REQUIRED = (
    "openapi-python-client",
    "openapi-spec-validator",
    "PyYAML",
    "ruff",
    "mypy",
    "types-python-dateutil",
    "httpx",
    "attrs",
    "python-dateutil",
)

INSTALL_HINT = (
    "install the generator, which brings them: "
    "pip install CHECKOUT/packages/items-sdk-generator (README.md, Install, The generator)"
)


def missing() -> list[str]:
    absent = []
    for name in REQUIRED:
        try:
            version(name)
        except PackageNotFoundError:
            absent.append(name)
    return absent


def require_installed() -> None:
    """Exit with status 2 and one line naming what is missing, if anything is."""
    absent = missing()
    if absent:
        verb = "is" if len(absent) == 1 else "are"
        print(
            f"python -m generator: {', '.join(absent)} {verb} not installed for {sys.executable}; "
            + INSTALL_HINT,
            file=sys.stderr,
        )
        sys.exit(2)
