"""Export the FastAPI upstream's OpenAPI document with FastAPI's own ``app.openapi()``.

Re-export the committed copy (from the checkout's root)::

    .venv/bin/python tests/fastapi_upstream/export_spec.py

test_spec.py renders it again and checks the committed tests/fastapi_upstream/openapi.json is
identical.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPEC = HERE / "openapi.json"


def render() -> str:
    """The document as FastAPI builds it, as indented JSON with a final newline."""
    if str(HERE.parent) not in sys.path:
        sys.path.insert(0, str(HERE.parent))
    from fastapi_upstream.app import app

    return json.dumps(app.openapi(), indent=2) + "\n"


if __name__ == "__main__":
    SPEC.write_text(render())
    print(SPEC)
