"""Friendly input, still typed: dict bodies, enum values as strings, from_dict naming the field;
and what a new user meets first (dir(), logging, the server command).

Calls go through the public API to the reference server over TCP (``upstream`` fixture).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

import generated_sdk as sdk
from generated_sdk import SessionClient
from generated_sdk.errors import InvalidArgument, InvalidData
from generated_sdk.models import Item, ItemStatus
from generated_sdk.models.item_create import ItemCreateDict
from reference_server import DEMO_EMAIL, DEMO_PASSWORD
from reference_server.testing import Upstream

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def client(upstream: Upstream) -> Iterator[SessionClient]:
    with SessionClient(base_url=upstream.url) as session:
        session.login(DEMO_EMAIL, DEMO_PASSWORD)
        yield session


def test_body_as_typed_dict(client: SessionClient, upstream: Upstream) -> None:
    body: ItemCreateDict = {"name": "Lamp", "price": 25.0, "status": "active", "tags": ["home"]}
    item = sdk.items.create(client, body=body)
    assert (item.name, item.price, item.status, item.tags) == (
        "Lamp",
        25.0,
        ItemStatus.ACTIVE,
        ["home"],
    )
    updated = sdk.items.update(client, item_id=item.id, body={"price": 30.0})
    assert updated.price == 30.0 and updated.name == "Lamp"
    assert sdk.items.get(client, item_id=item.id) == updated


def test_bad_dict_body_is_refused_before_sending(client: SessionClient, upstream: Upstream) -> None:
    with pytest.raises(InvalidArgument) as caught:
        sdk.items.create(client, body={"name": "Lamp"})  # type: ignore[arg-type]
    assert str(caught.value) == "body: ItemCreate.price: required field is missing"
    assert caught.value.argument == "body"
    with pytest.raises(InvalidArgument, match=r"body: ItemCreate\.status: 'sold' is not a valid"):
        sdk.items.create(client, body={"name": "x", "price": 1.0, "status": "sold"})  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match="expected a ItemCreate or a dict, got list"):
        sdk.items.create(client, body=[("name", "x")])  # type: ignore[arg-type]
    assert upstream.control.counters().requests["create"] == 0


def test_enum_parameter_takes_its_values_as_strings(client: SessionClient) -> None:
    by_string = sdk.items.list(client, status="archived", limit=100)
    by_enum = sdk.items.list(client, status=ItemStatus.ARCHIVED, limit=100)
    assert by_string.items and by_string == by_enum
    assert {item.status for item in by_string.items} == {ItemStatus.ARCHIVED}
    assert [item.id for item in sdk.items.list.iter(client, status="draft", limit=3)] == [
        item.id for item in sdk.items.list(client, status=ItemStatus.DRAFT, limit=100).items
    ]


def test_unknown_enum_string_is_refused(client: SessionClient, upstream: Upstream) -> None:
    with pytest.raises(InvalidArgument) as caught:
        sdk.items.list(client, status="actve")  # type: ignore[arg-type]
    assert str(caught.value) == "status: 'actve' is not one of 'active', 'archived', 'draft'"
    assert upstream.control.counters().requests["list"] == 0


def test_from_dict_names_the_bad_field(client: SessionClient) -> None:
    good = sdk.items.get(client, item_id=1).to_dict()
    assert Item.from_dict(good).id == 1
    missing = {key: value for key, value in good.items() if key != "price"}
    with pytest.raises(InvalidData) as caught:
        Item.from_dict(missing)
    assert (caught.value.model, caught.value.field) == ("Item", "price")
    assert str(caught.value) == "Item.price: required field is missing"
    with pytest.raises(InvalidData, match=r"^Item.status: 'sold' is not a valid ItemStatus$"):
        Item.from_dict({**good, "status": "sold"})
    with pytest.raises(InvalidData, match=r"^Item.created_at: "):
        Item.from_dict({**good, "created_at": "yesterday"})
    with pytest.raises(InvalidData, match=r"^Item.owner: Owner.name: required field is missing$"):
        Item.from_dict({**good, "owner": {"id": 1}})
    with pytest.raises(InvalidData, match=r"^Item: expected an object, got list$"):
        Item.from_dict([good])  # type: ignore[arg-type]
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, sdk.SdkError)


TYPED_SNIPPET = textwrap.dedent(
    """
    import generated_sdk as sdk
    from generated_sdk.models import ItemCreate, ItemStatus

    client = sdk.Client(base_url="http://127.0.0.1:8000")
    sdk.items.list(client, status="active")
    sdk.items.list(client, status=ItemStatus.DRAFT)
    sdk.items.create(client, body={"name": "Lamp", "price": 25.0})
    sdk.items.create(client, body=ItemCreate(name="Lamp", price=25.0))
    sdk.items.update(client, item_id=1, body={"status": "archived"})
    sdk.items.list(client, status="actve")
    sdk.items.create(client, body={"name": "Lamp"})
    sdk.items.create(client, body={"name": "Lamp", "price": "25"})
    sdk.items.create(client, body={"name": "Lamp", "price": 1.0, "colour": "red"})
    sdk.items.update(client, item_id=1, body={"status": "sold"})
    """
)


def test_mypy_still_catches_mistakes_in_friendly_input(tmp_path: Path) -> None:
    snippet = tmp_path / "app.py"
    snippet.write_text(TYPED_SNIPPET, encoding="utf-8")
    completed = subprocess.run(
        [
            *(sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--no-error-summary"),
            *("--cache-dir", str(tmp_path / "cache"), "--hide-error-context", str(snippet)),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    errors = [line for line in completed.stdout.splitlines() if ": error: " in line]
    lines = sorted({int(line.split(":")[1]) for line in errors})
    assert lines == [11, 12, 13, 14, 15], completed.stdout  # the five mistakes, nothing else


def run_fresh(code: str) -> subprocess.CompletedProcess[str]:
    """``code`` in a new interpreter (nothing imported yet), from the repository root."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_dir_of_namespaces_and_null_handler_in_a_fresh_interpreter() -> None:
    completed = run_fresh(
        "import logging, generated_sdk as sdk, sdk_session\n"
        "public = lambda names: sorted(n for n in names if n.islower() and n[0] != '_')\n"
        "print(public(dir(sdk.api)))\n"
        "print(public(dir(sdk.items)))\n"
        "print([type(h).__name__ for h in logging.getLogger('sdk_session').handlers])\n"
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines() == [
        "['auth', 'items', 'users']",
        "['create', 'delete', 'get', 'list', 'update']",
        "['NullHandler']",
    ]


def test_server_command_without_the_server_extra_prints_one_line() -> None:
    completed = run_fresh(
        "import sys\n"
        "sys.modules['reference_server'] = None  # as in an install without the extra\n"
        "import _items_api_server\n"
        "_items_api_server.main()\n"
    )
    assert completed.returncode == 1 and completed.stdout == ""
    lines = completed.stderr.splitlines()
    assert len(lines) == 1 and "'server' extra" in lines[0] and "items-sdk[server]" in lines[0]
