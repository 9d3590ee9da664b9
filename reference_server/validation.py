"""Hand-written request validation against the spec's schemas.

Every check records a ``FieldError`` named after where the value came from
(``body.price``, ``query.limit``, ``path.item_id``) and all problems of a request
are reported together in one 422, so a client sees the full picture at once.
Unknown body fields and query parameters are ignored, as the schemas allow them.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from starlette.datastructures import QueryParams
from starlette.requests import Request

from .errors import FieldError, invalid_json, validation_failed
from .state import ITEM_STATUSES, ItemChanges, ItemStatus

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_INTEGER = re.compile(r"-?[0-9]+")
_MISSING: Any = object()
_CLAMP = 10**18

NAME_MAX = 200
DESCRIPTION_MAX = 2000
TAGS_MAX = 20
TAG_MAX = 50
LIMIT_DEFAULT = 20
LIMIT_MAX = 100


def _reject_constant(token: str) -> Any:
    raise ValueError(f"{token} is not valid JSON")


async def read_json_object(request: Request) -> dict[str, Any]:
    """The body as a JSON object: 400 if it is not JSON at all, 422 if not an object."""
    raw = await request.body()
    if not raw.strip():
        raise invalid_json("A JSON request body is required.")
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise invalid_json() from None
    if not isinstance(data, dict):
        raise validation_failed([FieldError("body", "must be a JSON object")])
    return cast(dict[str, Any], data)


class _Checker:
    """Collects field errors while pulling typed values out of a JSON object."""

    def __init__(self, data: Mapping[str, Any], prefix: str = "body") -> None:
        self.data = data
        self.prefix = prefix
        self.errors: list[FieldError] = []

    def fail(self, name: str, message: str) -> Any:
        self.errors.append(FieldError(f"{self.prefix}.{name}", message))
        return _MISSING

    def raw(self, name: str, required: bool) -> Any:
        if name not in self.data:
            return self.fail(name, "is required") if required else _MISSING
        return self.data[name]

    def string(
        self,
        name: str,
        *,
        required: bool = False,
        nullable: bool = False,
        min_length: int = 0,
        max_length: int | None = None,
    ) -> Any:
        value = self.raw(name, required)
        if value is _MISSING or (value is None and nullable):
            return value
        if not isinstance(value, str):
            return self.fail(name, "must be a string" + (" or null" if nullable else ""))
        if len(value) < min_length:
            return self.fail(name, f"must be at least {min_length} character(s) long")
        if max_length is not None and len(value) > max_length:
            return self.fail(name, f"must be at most {max_length} characters long")
        return value

    def number(self, name: str, *, required: bool = False, minimum: float | None = None) -> Any:
        value = self.raw(name, required)
        if value is _MISSING:
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            return self.fail(name, "must be a number")
        if isinstance(value, float) and not math.isfinite(value):
            return self.fail(name, "must be a finite number")
        if minimum is not None and value < minimum:
            return self.fail(name, f"must be at least {minimum:g}")
        return value

    def status(self, name: str) -> Any:
        value = self.raw(name, False)
        if value is _MISSING:
            return value
        if value not in ITEM_STATUSES or not isinstance(value, str):
            return self.fail(name, f"must be one of {', '.join(ITEM_STATUSES)}")
        return value

    def tags(self, name: str) -> Any:
        value = self.raw(name, False)
        if value is _MISSING:
            return value
        if not isinstance(value, list):
            return self.fail(name, "must be an array of strings")
        if len(value) > TAGS_MAX:
            return self.fail(name, f"must have at most {TAGS_MAX} entries")
        bad = False
        for index, tag in enumerate(value):
            problem = None
            if not isinstance(tag, str):
                problem = "must be a string"
            elif not 1 <= len(tag) <= TAG_MAX:
                problem = f"must be 1 to {TAG_MAX} characters long"
            if problem is not None:
                self.fail(f"{name}[{index}]", problem)
                bad = True
        return _MISSING if bad else list(value)

    def done(self) -> None:
        if self.errors:
            raise validation_failed(self.errors)


def parse_login(data: Mapping[str, Any]) -> tuple[str, str]:
    check = _Checker(data)
    email = check.string("email", required=True)
    password = check.string("password", required=True)
    if isinstance(email, str) and _EMAIL.fullmatch(email) is None:
        check.fail("email", "must be an email address")
    check.done()
    return cast(str, email), cast(str, password)


def parse_refresh(data: Mapping[str, Any]) -> str:
    check = _Checker(data)
    token = check.string("refresh_token", required=True)
    check.done()
    return cast(str, token)


def _item_fields(data: Mapping[str, Any], *, creating: bool) -> ItemChanges:
    check = _Checker(data)
    values = {
        "name": check.string("name", required=creating, min_length=1, max_length=NAME_MAX),
        "description": check.string("description", nullable=True, max_length=DESCRIPTION_MAX),
        "price": check.number("price", required=creating, minimum=0),
        "status": check.status("status"),
        "tags": check.tags("tags"),
    }
    if not creating and not data:
        check.errors.append(FieldError("body", "must contain at least one field"))
    check.done()
    changes = ItemChanges()
    for name, value in values.items():
        if value is not _MISSING:
            setattr(changes, name, value)
            changes.fields.add(name)
    return changes


def parse_item_create(data: Mapping[str, Any]) -> ItemChanges:
    return _item_fields(data, creating=True)


def parse_item_update(data: Mapping[str, Any]) -> ItemChanges:
    return _item_fields(data, creating=False)


def _parse_int(raw: str) -> int | None:
    """The integer spelled by ``raw`` (ASCII digits, optional minus), else None.

    Magnitudes beyond 10**18 are clamped there: no limit or id is that large, and
    it avoids Python's int-from-string length limit on absurd inputs.
    """
    if _INTEGER.fullmatch(raw) is None:
        return None
    sign = -1 if raw.startswith("-") else 1
    digits = raw.lstrip("-").lstrip("0") or "0"
    return sign * (int(digits) if len(digits) <= 18 else _CLAMP)


def parse_item_id(raw: str) -> int:
    item_id = _parse_int(raw)
    if item_id is None or item_id < 1:
        raise validation_failed([FieldError("path.item_id", "must be an integer >= 1")])
    return item_id


@dataclass(frozen=True)
class ListQuery:
    limit: int
    cursor: str | None
    status: ItemStatus | None
    q: str | None


def parse_list_query(params: QueryParams) -> ListQuery:
    errors: list[FieldError] = []

    def single(name: str) -> str | None:
        values = params.getlist(name)
        if len(values) > 1:
            errors.append(FieldError(f"query.{name}", "must be given at most once"))
            return None
        return values[0] if values else None

    limit = LIMIT_DEFAULT
    raw_limit = single("limit")
    if raw_limit is not None:
        parsed = _parse_int(raw_limit)
        if parsed is None:
            errors.append(FieldError("query.limit", "must be an integer"))
        elif not 1 <= parsed <= LIMIT_MAX:
            errors.append(FieldError("query.limit", f"must be between 1 and {LIMIT_MAX}"))
        else:
            limit = parsed
    cursor = single("cursor")
    if cursor is not None and not cursor:
        errors.append(FieldError("query.cursor", "must not be empty"))
    status = single("status")
    if status is not None and status not in ITEM_STATUSES:
        errors.append(FieldError("query.status", f"must be one of {', '.join(ITEM_STATUSES)}"))
    q = single("q")
    if errors:
        raise validation_failed(errors)
    return ListQuery(limit=limit, cursor=cursor, status=cast(ItemStatus | None, status), q=q)
