"""The ``items-api-server`` command of the SDK distribution.

The reference server is not part of the SDK: it is the ``items-reference-server`` distribution,
installed by the SDK's ``server`` extra. This shim starts it, or says in one line what to install.
"""

from __future__ import annotations

import sys

MISSING = (
    "items-api-server: the reference server is not installed (no module {module!r}); install "
    "the SDK's 'server' extra: pip install --find-links DIR 'items-sdk[server]', DIR holding "
    "this project's wheels (README, Install)"
)


def main() -> None:
    try:
        from reference_server.cli import main as run
    except ModuleNotFoundError as exc:
        print(MISSING.format(module=exc.name or "reference_server"), file=sys.stderr)
        raise SystemExit(1) from None
    run()
