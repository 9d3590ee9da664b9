"""Contract test: schemathesis checks every operation of spec/openapi.yaml against
the running reference server, with positive and negative data.

Each case logs in first and sends that session's access token, so ``logout``
(which revokes its own session) cannot break later cases. The run is bounded
and deterministic (``deterministic=True`` derandomizes Hypothesis).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from schemathesis import GenerationMode
from schemathesis.core.result import Ok
from schemathesis.generation.case import Case

from reference_server import DEMO_EMAIL, DEMO_PASSWORD, OPERATION_IDS
from reference_server.testing import Upstream

SPEC = Path(__file__).resolve().parents[2] / "spec" / "openapi.yaml"

schema = schemathesis.openapi.from_path(SPEC)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=25,
    deterministic=True,
    database="none",
    # The test sends a real token; generated Authorization headers would replace it.
    with_security_parameters=False,
)

TESTED: set[str] = set()
PUBLIC = {"login", "refresh"}


def _login(url: str) -> dict[str, str]:
    response = httpx.post(
        f"{url}/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}, timeout=10
    )
    response.raise_for_status()
    return {str(k): str(v) for k, v in response.json().items()}


def _real_cursor(url: str, access_token: str) -> str:
    response = httpx.get(
        f"{url}/items",
        params={"limit": 1},
        headers={"Authorization": f"Bearer {access_token}"},
        timeout=10,
    )
    response.raise_for_status()
    return str(response.json()["next_cursor"])


@schema.parametrize()
def test_operation_conforms(case: Case[Any], upstream_server: Upstream) -> None:
    url = upstream_server.url
    operation_id = case.operation.definition.raw["operationId"]
    TESTED.add(operation_id)
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    tokens = _login(url)
    # Passed to the call (not put in the case) so schemathesis knows the credentials
    # are real, and its ignored_auth check probes without them.
    auth = {} if operation_id in PUBLIC else {"Authorization": f"Bearer {tokens['access_token']}"}
    # Valid-shaped but unknown refresh tokens and cursors are rightly answered 400
    # (invalid_grant / invalid_cursor); positive cases use real ones so they can succeed.
    if positive and operation_id == "refresh" and isinstance(case.body, dict):
        case.body = {**case.body, "refresh_token": tokens["refresh_token"]}
    if positive and operation_id == "list" and case.query and "cursor" in case.query:
        case.query = {**case.query, "cursor": _real_cursor(url, tokens["access_token"])}
    case.call_and_validate(base_url=url, headers=auth, timeout=10)


def test_every_operation_is_covered() -> None:
    results = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in results), results
    spec_ids = {
        result.ok().definition.raw["operationId"] for result in results if isinstance(result, Ok)
    }
    assert spec_ids == set(OPERATION_IDS)
    if not TESTED:
        pytest.skip("the contract tests were deselected")
    assert spec_ids == TESTED
