"""``me`` and the item operations: ``list``, ``create``, ``get``, ``update``, ``delete``.

Items are private to their owner: another user's item answers 404 exactly like
a missing one, so ids reveal nothing.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response

from .context import AppContext
from .errors import ApiError, json_response, not_found
from .routes_auth import require_session
from .validation import (
    parse_item_create,
    parse_item_id,
    parse_item_update,
    parse_list_query,
    read_json_object,
)

_CURSOR = re.compile(r"items:([1-9][0-9]{0,18})")


def encode_cursor(last_id: int) -> str:
    """Opaque to clients: the id the next page starts below, base64url-encoded."""
    return base64.urlsafe_b64encode(f"items:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    match = _CURSOR.fullmatch(text)
    if match is None:
        raise ApiError(400, "invalid_cursor", "The cursor is not one this server issued.")
    return int(match.group(1))


def _now() -> datetime:
    return datetime.now(UTC)


async def me(request: Request, context: AppContext) -> Response:
    user, _ = require_session(request, context)
    return json_response(user.to_json())


async def list_items(request: Request, context: AppContext) -> Response:
    user, _ = require_session(request, context)
    query = parse_list_query(request.query_params)
    before_id = None if query.cursor is None else decode_cursor(query.cursor)
    items, more = context.store.page(
        user.id, limit=query.limit, before_id=before_id, status=query.status, q=query.q
    )
    next_cursor = encode_cursor(items[-1].id) if more and items else None
    page = {"items": [context.store.item_json(item) for item in items], "next_cursor": next_cursor}
    return json_response(page)


async def create_item(request: Request, context: AppContext) -> Response:
    user, _ = require_session(request, context)
    changes = parse_item_create(await read_json_object(request))
    item = context.store.create_item(user.id, changes, _now())
    return json_response(context.store.item_json(item), 201)


async def get_item(request: Request, context: AppContext) -> Response:
    user, _ = require_session(request, context)
    item = context.store.get_item(user.id, parse_item_id(request.path_params["item_id"]))
    if item is None:
        raise not_found()
    return json_response(context.store.item_json(item))


async def update_item(request: Request, context: AppContext) -> Response:
    user, _ = require_session(request, context)
    item_id = parse_item_id(request.path_params["item_id"])
    changes = parse_item_update(await read_json_object(request))
    item = context.store.get_item(user.id, item_id)
    if item is None:
        raise not_found()
    context.store.update_item(item, changes, _now())
    return json_response(context.store.item_json(item))


async def delete_item(request: Request, context: AppContext) -> Response:
    user, _ = require_session(request, context)
    if not context.store.delete_item(user.id, parse_item_id(request.path_params["item_id"])):
        raise not_found()
    return Response(status_code=204)
