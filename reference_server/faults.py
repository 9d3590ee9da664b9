"""Injected faults: what a misbehaving upstream or network does to an answer.

A fault targets ``"token"`` (login and refresh), ``"api"`` (every other
operation) or one operationId. Each request of a matching operation consumes the
first matching fault in the order they were added; ``count`` says how many
requests a fault applies to (``None``: every one until the faults are cleared).
What a consumed fault does, in order:

1. ``latency``: sleep that many seconds first.
2. ``drop``: close the connection without any answer (the request is not handled).
3. ``status``: answer that status without handling the request, with the Error
   body (``Retry-After`` when given; 401 carries ``WWW-Authenticate``), shaped by
   ``body`` when given.
4. ``body`` alone: handle the request for real, then spoil its response body.
   Operations that answer 204 then answer 200 with the spoiled body.

Body kinds: ``malformed`` (non-JSON text labelled JSON), ``truncated`` (the JSON
cut in half; the HTTP message itself is complete), ``html`` (an HTML error page),
``huge`` (the JSON plus a ~5 MiB ``padding`` field), ``missing_fields`` (every
other top-level field removed, starting with the first), ``wrong_types`` (every
top-level value replaced by one of a wrong JSON type).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal, cast, get_args

from starlette.responses import Response

from .counters import OPERATION_IDS, TOKEN_OPERATIONS
from .errors import INVALID_TOKEN_CHALLENGE, FieldError, error_body, json_bytes, validation_failed

BodyKind = Literal["malformed", "truncated", "html", "huge", "missing_fields", "wrong_types"]
BODY_KINDS: tuple[str, ...] = get_args(BodyKind)
TARGETS: tuple[str, ...] = ("token", "api", *OPERATION_IDS)
HUGE_PADDING = 5 * 1024 * 1024

_STATUS_CODES = {
    400: "bad_request",
    401: "invalid_token",
    403: "forbidden",
    404: "not_found",
    408: "request_timeout",
    409: "conflict",
    422: "validation_failed",
    429: "rate_limited",
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}
_HTML = (
    "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
    "<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n"
)
_MALFORMED = b"upstream error: {this is not JSON"


@dataclass(frozen=True)
class Fault:
    target: str
    latency: float | None = None
    status: int | None = None
    count: int | None = 1
    retry_after: str | None = None
    body: BodyKind | None = None
    drop: bool = False

    def matches(self, operation_id: str) -> bool:
        if self.target == "token":
            return operation_id in TOKEN_OPERATIONS
        if self.target == "api":
            return operation_id not in TOKEN_OPERATIONS
        return self.target == operation_id

    def to_json(self) -> dict[str, object]:
        return {
            "target": self.target,
            "latency": self.latency,
            "status": self.status,
            "count": self.count,
            "retry_after": self.retry_after,
            "body": self.body,
            "drop": self.drop,
        }


def parse_fault(data: Mapping[str, Any]) -> Fault:
    """A ``Fault`` from the JSON of ``POST /_control/faults``; 422 on bad fields."""
    errors: list[FieldError] = []

    def bad(name: str, message: str) -> None:
        errors.append(FieldError(f"body.{name}", message))

    for name in sorted(set(data) - set(Fault.__dataclass_fields__)):
        bad(name, "is not a fault setting")
    target = data.get("target")
    if target not in TARGETS:
        bad("target", f"must be one of {', '.join(TARGETS)}")
    latency = data.get("latency")
    if latency is not None and (
        isinstance(latency, bool)
        or not isinstance(latency, int | float)
        or not math.isfinite(latency)
        or latency < 0
    ):
        bad("latency", "must be a number of seconds >= 0 or null")
    status = data.get("status")
    if status is not None and (
        isinstance(status, bool) or not isinstance(status, int) or not 200 <= status <= 599
    ):
        bad("status", "must be an HTTP status from 200 to 599 or null")
    count = data.get("count", 1)
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
        bad("count", "must be an integer >= 1, or null for 'until cleared'")
    retry_after = data.get("retry_after")
    if retry_after is not None and not isinstance(retry_after, str):
        bad("retry_after", "must be a string or null")
    body = data.get("body")
    if body is not None and body not in BODY_KINDS:
        bad("body", f"must be one of {', '.join(BODY_KINDS)} or null")
    drop = data.get("drop", False)
    if not isinstance(drop, bool):
        bad("drop", "must be a boolean")
    if errors:
        raise validation_failed(errors)
    return Fault(
        target=cast(str, target),
        latency=None if latency is None else float(latency),
        status=status,
        count=count,
        retry_after=retry_after,
        body=cast(BodyKind | None, body),
        drop=drop,
    )


class FaultBook:
    """The active faults, consumed first-match-first by matching requests."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        self._faults.append(fault)

    def clear(self) -> None:
        self._faults.clear()

    def active(self) -> list[Fault]:
        return list(self._faults)

    def take(self, operation_id: str) -> Fault | None:
        """Consume one application of the first fault matching this operation."""
        for index, fault in enumerate(self._faults):
            if not fault.matches(operation_id):
                continue
            if fault.count is not None:
                if fault.count <= 1:
                    del self._faults[index]
                else:
                    self._faults[index] = replace(fault, count=fault.count - 1)
            return fault
        return None


def _wrong_type(value: object) -> object:
    if isinstance(value, bool):
        return "yes"
    if isinstance(value, str):
        return 12345
    if isinstance(value, int | float):
        return "not-a-number"
    if isinstance(value, list):
        return {"not": "an array"}
    if isinstance(value, dict):
        return ["not", "an", "object"]
    return 0  # null


def spoil(payload: object, kind: BodyKind) -> tuple[bytes, str]:
    """The spoiled body and its media type for a JSON payload."""
    if kind == "malformed":
        return _MALFORMED, "application/json"
    if kind == "html":
        return _HTML.encode(), "text/html; charset=utf-8"
    if kind == "truncated":
        text = json_bytes(payload)
        return text[: max(1, len(text) // 2)], "application/json"
    if kind == "huge":
        base = dict(payload) if isinstance(payload, dict) else {"value": payload}
        base["padding"] = "x" * HUGE_PADDING
        return json_bytes(base), "application/json"
    if not isinstance(payload, dict):
        payload = {"value": payload}
    if kind == "missing_fields":
        return json_bytes({k: v for i, (k, v) in enumerate(payload.items()) if i % 2}), (
            "application/json"
        )
    return json_bytes({k: _wrong_type(v) for k, v in payload.items()}), "application/json"


def forced_response(fault: Fault) -> Response:
    """The answer of a fault with a ``status``: an Error body, maybe spoiled."""
    assert fault.status is not None
    status = fault.status
    headers: dict[str, str] = {}
    if fault.retry_after is not None:
        headers["Retry-After"] = fault.retry_after
    if status == 401:
        headers["WWW-Authenticate"] = INVALID_TOKEN_CHALLENGE
    payload = error_body(_STATUS_CODES.get(status, f"http_{status}"), f"Injected fault: {status}.")
    if fault.body is None:
        return Response(json_bytes(payload), status, headers, media_type="application/json")
    body, media_type = spoil(payload, fault.body)
    return Response(body, status, headers, media_type=media_type)


def spoiled_response(response: Response, kind: BodyKind) -> Response:
    """A real response with its body spoiled; a 204 becomes a 200."""
    raw = bytes(response.body)
    payload: object = {}
    if raw:
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = {"value": raw.decode("utf-8", "replace")}
    body, media_type = spoil(payload, kind)
    status = 200 if response.status_code == 204 else response.status_code
    skip = {"content-length", "content-type"}
    headers = {k: v for k, v in response.headers.items() if k.lower() not in skip}
    return Response(body, status, headers, media_type=media_type)
