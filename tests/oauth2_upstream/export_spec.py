"""Export the OAuth2 upstream's OpenAPI document with drf-spectacular's own command.

Re-export the committed copy (from the checkout's root)::

    .venv/bin/python tests/oauth2_upstream/export_spec.py

which runs, in tests/oauth2_upstream/::

    DJANGO_SETTINGS_MODULE=oauth2project.settings python -m django spectacular \\
        --validate --fail-on-warn --file ../../examples/oauth2/spec/openapi.yaml

test_spec.py exports it again into a temporary file and checks the committed copy is identical.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPEC = HERE.parent.parent / "examples" / "oauth2" / "spec" / "openapi.yaml"


def export(path: Path) -> None:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="oauth2project.settings", PYTHONPATH=str(HERE))
    command = [sys.executable, "-m", "django", "spectacular", "--validate", "--fail-on-warn"]
    subprocess.run([*command, "--file", str(path)], cwd=HERE, env=env, check=True, timeout=120)


if __name__ == "__main__":
    export(SPEC)
    print(SPEC)
