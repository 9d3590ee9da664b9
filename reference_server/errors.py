"""The spec's one error body, ``{error, message, details?}``, and JSON rendering.

Handlers raise ``ApiError``; the operation wrapper turns it into a response, so
every failure path produces the documented shape and status instead of a 500.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from starlette.responses import Response

INVALID_TOKEN_CHALLENGE = 'Bearer error="invalid_token"'
"""Sent with every 401 of a bearer-protected operation, a missing token included:
one challenge for every rejection keeps clients simple (RFC 6750 also allows a
bare ``Bearer`` for a missing token; this server does not use that form)."""


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


def json_bytes(payload: object) -> bytes:
    """Compact JSON; ASCII-escaped so any string a client sent can be echoed back."""
    return json.dumps(payload, ensure_ascii=True, separators=(",", ":"), allow_nan=False).encode()


def json_response(
    payload: object, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(json_bytes(payload), status, headers, media_type="application/json")


def error_body(code: str, message: str, details: Sequence[FieldError] = ()) -> dict[str, object]:
    body: dict[str, object] = {"error": code, "message": message}
    if details:
        body["details"] = [{"field": d.field, "message": d.message} for d in details]
    return body


class ApiError(Exception):
    """A documented error answer: status, machine code, message, optional details."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        details: Sequence[FieldError] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = tuple(details)
        self.headers = dict(headers or {})

    def response(self) -> Response:
        return json_response(
            error_body(self.code, self.message, self.details), self.status, self.headers
        )


def invalid_json(message: str = "The request body is not valid JSON.") -> ApiError:
    return ApiError(400, "invalid_json", message)


def validation_failed(details: Sequence[FieldError]) -> ApiError:
    names = ", ".join(d.field for d in details)
    return ApiError(422, "validation_failed", f"Invalid fields: {names}.", details=details)


def invalid_token(message: str) -> ApiError:
    """401 for a missing, malformed, expired or revoked access token, with the challenge."""
    return ApiError(
        401, "invalid_token", message, headers={"WWW-Authenticate": INVALID_TOKEN_CHALLENGE}
    )


def invalid_grant(message: str) -> ApiError:
    return ApiError(400, "invalid_grant", message)


def not_found(message: str = "No such item.") -> ApiError:
    return ApiError(404, "not_found", message)
