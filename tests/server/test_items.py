"""Items: listing with cursors and filters, create, get, update, delete, ownership."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from reference_server import OTHER_EMAIL, OTHER_PASSWORD
from reference_server.testing import Upstream, expect_error

ITEM_FIELDS = {"id", "name", "description", "price", "status", "tags", "created_at", "updated_at"}


@pytest.fixture
def http(upstream: Upstream) -> Iterator[httpx.Client]:
    """A client logged in as the demo user."""
    with upstream.client() as client:
        client.headers.update(upstream.login().headers)
        yield client


def all_pages(http: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(100):
        query = dict(params) if cursor is None else {**params, "cursor": cursor}
        page = http.get("/items", params=query).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("pagination did not end")


def field_errors(response: httpx.Response) -> set[str]:
    body = expect_error(response, 422, "validation_failed")
    details = body["details"]
    assert isinstance(details, list)
    return {detail["field"] for detail in details}


def test_first_page_is_the_20_newest(http: httpx.Client) -> None:
    page = http.get("/items").json()
    assert [item["id"] for item in page["items"]] == list(range(40, 20, -1))
    assert isinstance(page["next_cursor"], str)
    item = page["items"][0]
    assert set(item) == ITEM_FIELDS | {"owner"}
    assert item["owner"] == {"id": 1, "name": "Demo User"}
    assert item["created_at"].endswith("Z")


def test_seed_is_deterministic(http: httpx.Client, upstream: Upstream) -> None:
    first = all_pages(http)
    upstream.control.reset()
    http.headers.update(upstream.login().headers)
    assert all_pages(http) == first


def test_cursor_pagination_walks_all_40_items_once(http: httpx.Client) -> None:
    items = all_pages(http, limit=7)
    assert [item["id"] for item in items] == list(range(40, 0, -1))


def test_last_page_has_null_cursor(http: httpx.Client) -> None:
    page = http.get("/items", params={"limit": 100}).json()
    assert len(page["items"]) == 40
    assert page["next_cursor"] is None


def test_status_filter(http: httpx.Client) -> None:
    for status in ("draft", "active", "archived"):
        items = all_pages(http, status=status, limit=5)
        assert items
        assert all(item["status"] == status for item in items)


def test_text_search_is_case_insensitive_over_name_and_description(http: httpx.Client) -> None:
    by_name = all_pages(http, q="WALNUT")
    assert by_name
    assert all("walnut" in item["name"].lower() for item in by_name)
    by_description = all_pages(http, q="food-safe")
    assert by_description
    assert all("food-safe" in (item["description"] or "") for item in by_description)
    assert http.get("/items", params={"q": "no such thing"}).json() == {
        "items": [],
        "next_cursor": None,
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "0"}, "query.limit"),
        ({"limit": "101"}, "query.limit"),
        ({"limit": "ten"}, "query.limit"),
        ({"limit": "1" + "0" * 5000}, "query.limit"),
        ({"status": "deleted"}, "query.status"),
        ({"cursor": ""}, "query.cursor"),
        ([("limit", "1"), ("limit", "2")], "query.limit"),
    ],
)
def test_invalid_query_is_422(http: httpx.Client, params: Any, field: str) -> None:
    assert field_errors(http.get("/items", params=params)) == {field}


@pytest.mark.parametrize("cursor", ["garbage", "aXRlbXM6MA", "!!!", "x" * 1000])
def test_foreign_cursor_is_400(http: httpx.Client, cursor: str) -> None:
    expect_error(http.get("/items", params={"cursor": cursor}), 400, "invalid_cursor")


def test_create_get_update_delete(http: httpx.Client) -> None:
    created = http.post("/items", json={"name": "Teak tray", "price": 12.5, "tags": ["home"]})
    assert created.status_code == 201
    item = created.json()
    assert item["id"] == 46
    assert item["status"] == "active"
    assert item["description"] is None
    assert item["created_at"] == item["updated_at"]
    assert http.get("/items", params={"limit": 1}).json()["items"][0] == item
    assert http.get(f"/items/{item['id']}").json() == item

    updated = http.patch(f"/items/{item['id']}", json={"price": 0, "description": "Oiled."})
    assert updated.status_code == 200
    changed = updated.json()
    assert (changed["price"], changed["description"], changed["name"]) == (0, "Oiled.", "Teak tray")
    assert changed["updated_at"] >= item["updated_at"]
    cleared = http.patch(f"/items/{item['id']}", json={"description": None}).json()
    assert cleared["description"] is None

    deleted = http.delete(f"/items/{item['id']}")
    assert deleted.status_code == 204
    assert deleted.content == b""
    expect_error(http.get(f"/items/{item['id']}"), 404, "not_found")
    expect_error(http.delete(f"/items/{item['id']}"), 404, "not_found")


def test_another_users_items_are_not_found(http: httpx.Client, upstream: Upstream) -> None:
    other = upstream.login(OTHER_EMAIL, OTHER_PASSWORD)
    other_items = http.get("/items", headers=other.headers).json()["items"]
    assert [item["id"] for item in other_items] == [45, 44, 43, 42, 41]
    expect_error(http.get("/items/41"), 404, "not_found")
    expect_error(http.patch("/items/41", json={"name": "Mine now"}), 404, "not_found")
    expect_error(http.delete("/items/41"), 404, "not_found")
    expect_error(http.get("/items/3", headers=other.headers), 404, "not_found")


@pytest.mark.parametrize("item_id", ["0", "-1", "abc", "1.5", "%20"])
def test_invalid_item_id_is_422(http: httpx.Client, item_id: str) -> None:
    assert field_errors(http.get(f"/items/{item_id}")) == {"path.item_id"}


def test_huge_item_id_is_just_not_found(http: httpx.Client) -> None:
    expect_error(http.get("/items/" + "9" * 5000), 404, "not_found")


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({}, {"body.name", "body.price"}),
        ({"name": "", "price": -1}, {"body.name", "body.price"}),
        ({"name": "x" * 201, "price": "12"}, {"body.name", "body.price"}),
        ({"name": "ok", "price": True}, {"body.price"}),
        ({"name": "ok", "price": 1, "status": "sold"}, {"body.status"}),
        ({"name": "ok", "price": 1, "description": 5}, {"body.description"}),
        ({"name": "ok", "price": 1, "description": "d" * 2001}, {"body.description"}),
        ({"name": "ok", "price": 1, "tags": "home"}, {"body.tags"}),
        ({"name": "ok", "price": 1, "tags": ["t"] * 21}, {"body.tags"}),
        (
            {"name": "ok", "price": 1, "tags": ["", 3, "y" * 51]},
            {f"body.tags[{i}]" for i in range(3)},
        ),
        ([], {"body"}),
    ],
)
def test_invalid_create_is_422_with_every_field(
    http: httpx.Client, payload: Any, fields: set[str]
) -> None:
    assert field_errors(http.post("/items", json=payload)) == fields


def test_overflowing_number_is_422(http: httpx.Client) -> None:
    # 1e999 is valid JSON but no finite number; httpx cannot even encode it.
    response = http.post("/items", content=b'{"name": "ok", "price": 1e999}')
    assert field_errors(response) == {"body.price"}


def test_unknown_fields_are_ignored(http: httpx.Client) -> None:
    response = http.post("/items", json={"name": "ok", "price": 1, "colour": "red"})
    assert response.status_code == 201
    assert "colour" not in response.json()


@pytest.mark.parametrize("content", [b"", b"{", b'{"name": "x", "price": Infinity}'])
def test_malformed_create_is_400(http: httpx.Client, content: bytes) -> None:
    expect_error(http.post("/items", content=content), 400, "invalid_json")


def test_update_validation(http: httpx.Client) -> None:
    assert field_errors(http.patch("/items/1", json={})) == {"body"}
    assert field_errors(http.patch("/items/1", json={"name": None})) == {"body.name"}
    assert field_errors(http.patch("/items/1", json={"price": -0.01})) == {"body.price"}
    expect_error(http.patch("/items/1", content=b"nope"), 400, "invalid_json")
    expect_error(http.patch("/items/999", json={"name": "x"}), 404, "not_found")


def test_item_routes_need_a_token(upstream: Upstream) -> None:
    with upstream.client() as anonymous:
        for method, path in [
            ("GET", "/items"),
            ("POST", "/items"),
            ("GET", "/items/1"),
            ("PATCH", "/items/1"),
            ("DELETE", "/items/1"),
            ("GET", "/me"),
        ]:
            response = anonymous.request(method, path, json={"name": "x", "price": 1})
            expect_error(response, 401, "invalid_token")
            assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


def test_unknown_paths_and_methods_get_error_bodies(http: httpx.Client) -> None:
    expect_error(http.get("/nope"), 404, "not_found")
    expect_error(http.get("/items/"), 404, "not_found")
    response = http.put("/items/1")
    expect_error(response, 405, "method_not_allowed")
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "PATCH", "DELETE"}


def test_reset_restores_the_seed(http: httpx.Client, upstream: Upstream) -> None:
    http.delete("/items/40")
    http.post("/items", json={"name": "New", "price": 1})
    upstream.control.reset()
    http.headers.update(upstream.login().headers)
    ids = [item["id"] for item in all_pages(http, limit=100)]
    assert ids == list(range(40, 0, -1))
    assert http.post("/items", json={"name": "New", "price": 1}).json()["id"] == 46
