"""The committed examples/oauth2/spec/openapi.yaml is what drf-spectacular exports today."""

from __future__ import annotations

from pathlib import Path

import yaml

from .export_spec import SPEC, export


def test_committed_spec_matches_a_fresh_export(tmp_path: Path) -> None:
    fresh = tmp_path / "openapi.yaml"
    export(fresh)
    assert fresh.read_bytes() == SPEC.read_bytes(), (
        "examples/oauth2/spec/openapi.yaml is stale: run "
        ".venv/bin/python tests/oauth2_upstream/export_spec.py"
    )


def test_spec_declares_the_oauth2_scheme() -> None:
    document = yaml.safe_load(SPEC.read_text())
    flows = document["components"]["securitySchemes"]["oauth2"]["flows"]
    assert set(flows) == {"password", "clientCredentials"}
    for flow in flows.values():
        assert flow["tokenUrl"] == "/o/token/"
        assert set(flow["scopes"]) == {"read", "write"}
    # DOT's token endpoint is a Django view, not a DRF one: not among the paths.
    assert set(document["paths"]) == {"/api/items/", "/api/items/{id}/"}
    assert document["paths"]["/api/items/"]["post"]["security"] == [{"oauth2": ["write"]}]
