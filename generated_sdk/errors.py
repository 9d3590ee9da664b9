# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""This SDK's errors: the runtime's one hierarchy (``sdk_session.errors``), and how this API's
error bodies read.

Every class here *is* the runtime's (``errors.SdkError is sdk_session.SdkError``), so one
``except`` catches the same error from this SDK, another generated SDK, or the session layer:
``errors.Unauthorized`` also catches a persistent 401 through a ``SessionClient``
(``sdk_session.TokenRejected``). ``ApiError.error`` is the parsed ``Error`` when
the body is one, else ``None``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sdk_session import errors as _runtime_errors
from sdk_session.errors import *  # noqa: F403
from sdk_session.errors import PARSE_ERRORS, ApiError

from .models.error import Error

if TYPE_CHECKING:
    import httpx


def error_body(response: httpx.Response) -> tuple[Error | None, str | None, str | None]:
    """The error document of ``response``: ``(body, code, message)``, ``None`` where absent."""
    try:
        data: Any = response.json()
        body = Error.from_dict(data) if isinstance(data, dict) else None
    except PARSE_ERRORS:
        return None, None, None
    if body is None:
        return None, None, None
    return body, body.error, body.message


def error_for_response(response: httpx.Response) -> ApiError:
    """The exception for a response whose status the operation does not treat as success."""
    return _runtime_errors.api_error(response, error_body)


__all__ = [*_runtime_errors.__all__, "error_body", "error_for_response"]  # noqa: PLE0604
