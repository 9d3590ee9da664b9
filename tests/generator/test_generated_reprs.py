"""Secrets never show in the repr() of generated models (project rule: not in logs, repr(),
exception messages or test output).

Which properties are secret is decided by the generator: names listed in ``secret_fields`` of
generator/config.yaml, and every property with ``format: password`` in the spec.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generated_sdk.models import LoginRequest, RefreshRequest, TokenResponse
from generated_sdk.types import UNSET, Response, extra_repr, secret_repr
from generator.cli import main

REPO = Path(__file__).resolve().parents[2]
ACCESS = "eyJhbGciOiJIUzI1NiJ9.ACCESS-SECRET.sig"
REFRESH = "REFRESH-SECRET-0123456789"
PASSWORD = "PASSWORD-SECRET-hunter2"


def test_token_response_repr_hides_both_tokens() -> None:
    tokens = TokenResponse(
        access_token=ACCESS, token_type="Bearer", refresh_token=REFRESH, expires_in=900.0
    )
    text = repr(tokens)
    assert ACCESS not in text and REFRESH not in text
    assert text == (
        "TokenResponse(access_token='***', token_type='Bearer', refresh_token='***', "
        "expires_in=900.0, additional_properties={})"
    )
    assert str(tokens) == text
    # masking is repr-only: the values are intact
    assert tokens.access_token == ACCESS
    assert tokens.to_dict()["refresh_token"] == REFRESH


def test_login_and_refresh_request_reprs_hide_secrets() -> None:
    login = LoginRequest(email="ada@example.com", password=PASSWORD)
    assert PASSWORD not in repr(login)
    assert "ada@example.com" in repr(login)
    assert "password='***'" in repr(login)
    refresh = RefreshRequest(refresh_token=REFRESH)
    assert REFRESH not in repr(refresh)


def test_parsed_responses_and_unknown_secret_keys_are_masked() -> None:
    payload = {
        "access_token": ACCESS,
        "token_type": "Bearer",
        "refresh_token": REFRESH,
        "expires_in": 900,
        "ID_Token": "ID-TOKEN-SECRET",
        "scope": "items",
    }
    tokens = TokenResponse.from_dict(payload)
    text = repr(tokens)
    assert ACCESS not in text and REFRESH not in text and "ID-TOKEN-SECRET" not in text
    assert "'scope': 'items'" in text
    assert tokens["ID_Token"] == "ID-TOKEN-SECRET"

    response = Response(
        status_code=200,
        content=json.dumps(payload).encode(),
        headers={"content-type": "application/json"},
        parsed=tokens,
    )
    text = repr(response)
    assert ACCESS not in text and REFRESH not in text and "ID-TOKEN-SECRET" not in text
    assert f"content=<{len(response.content)} bytes>" in text


def test_helpers_show_absent_values() -> None:
    assert secret_repr(UNSET) == "UNSET"
    assert secret_repr(None) == "None"
    assert secret_repr("x") == "'***'"
    assert extra_repr({"token": "x", "n": 1}) == "{'token': '***', 'n': 1}"


# -- the generator's rules, on a spec made for them -------------------------------------------

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Secrets", "version": "1"},
    "paths": {
        "/vault": {
            "post": {
                "operationId": "open",
                "tags": ["vault"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Unlock"}}
                    },
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Unlock"}}
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Passphrase": {"type": "string", "format": "password"},
            "Base": {
                "type": "object",
                "properties": {"pin": {"type": "string", "format": "password"}},
            },
            "Unlock": {
                "allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {
                        "type": "object",
                        "required": ["label", "passphrase"],
                        "properties": {
                            "label": {"type": "string"},
                            "passphrase": {"$ref": "#/components/schemas/Passphrase"},
                            "api_key": {
                                "anyOf": [
                                    {"type": "string", "format": "password"},
                                    {"type": "null"},
                                ]
                            },
                            "client_secret": {"type": "string"},
                            "token": {"type": "string"},
                        },
                    },
                ]
            },
        }
    },
}

PROBE = r"""
import sys
sys.path.insert(0, sys.argv[1])
from generated_sdk.models import Unlock
value = Unlock.from_dict({
    "label": "LABEL-SHOWN", "passphrase": "S1", "pin": "S2", "api_key": "S3",
    "client_secret": "S4", "token": "TOKEN-SHOWN", "Client_Secret": "S5",
})
print(repr(value))
print(repr(Unlock(label="x", passphrase="S1")))
"""


@pytest.fixture(scope="module")
def vault_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A package generated from SPEC with ``secret_fields: [client_secret]`` only."""
    root = tmp_path_factory.mktemp("secrets")
    spec = root / "openapi.yaml"
    spec.write_text(yaml.safe_dump(SPEC, sort_keys=False), encoding="utf-8")
    config = yaml.safe_load((REPO / "generator" / "config.yaml").read_text(encoding="utf-8"))
    config.update(secret_fields=["Client_Secret"], error_model=None)
    del config["session"]  # the Items API's token operations are not in this document
    config["pagination"]["expect"] = []
    config_path = root / "config.yaml"
    config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
    output = root / "out" / "generated_sdk"
    code = main(["--spec", str(spec), "--output", str(output), "--config", str(config_path)])
    assert code == 0
    return output


def test_password_format_and_configured_names_are_masked(vault_package: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-I", "-B", "-c", PROBE, str(vault_package.parent)],
        capture_output=True,
        text=True,
        check=True,
    )
    full, partial = result.stdout.splitlines()
    # format: password through a $ref, inherited through allOf, inside a nullable anyOf;
    # client_secret by name (matched case-insensitively, also among additional properties)
    for secret in ("S1", "S2", "S3", "S4", "S5"):
        assert f"'{secret}'" not in full
    assert "passphrase='***'" in full and "pin='***'" in full and "api_key='***'" in full
    assert "client_secret='***'" in full and "'Client_Secret': '***'" in full
    # not configured here and not a password: shown
    assert "LABEL-SHOWN" in full and "TOKEN-SHOWN" in full
    # an optional secret that was not given stays visibly absent
    assert "pin=UNSET" in partial and "api_key=UNSET" in partial


def test_secret_fields_keep_their_defaults_and_types(vault_package: Path) -> None:
    source = (vault_package / "models" / "unlock.py").read_text(encoding="utf-8")
    assert "passphrase: str = _attrs_field(repr=secret_repr)" in source
    assert "pin: str | Unset = _attrs_field(default=UNSET, repr=secret_repr)" in source
    assert "label: str\n" in source and "token: str | Unset = UNSET\n" in source
