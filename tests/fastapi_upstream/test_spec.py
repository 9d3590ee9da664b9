"""The committed tests/fastapi_upstream/openapi.json is what FastAPI's app.openapi() gives today."""

from __future__ import annotations

import json

from .export_spec import SPEC, render


def test_committed_spec_matches_a_fresh_export() -> None:
    assert render() == SPEC.read_text(), (
        "tests/fastapi_upstream/openapi.json is stale: run "
        ".venv/bin/python tests/fastapi_upstream/export_spec.py"
    )


def test_spec_declares_the_password_bearer() -> None:
    document = json.loads(SPEC.read_text())
    scheme = document["components"]["securitySchemes"]["OAuth2PasswordBearer"]
    assert scheme == {
        "type": "oauth2",
        "flows": {"password": {"scopes": {}, "tokenUrl": "/api/v1/login/access-token"}},
    }
    assert not any(path.startswith("/_") for path in document["paths"])
