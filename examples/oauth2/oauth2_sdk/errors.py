# Generated from examples/oauth2/spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""This SDK's errors: the runtime's one hierarchy (``sdk_session.errors``), and how this API's
error bodies read.

Every class here *is* the runtime's (``errors.SdkError is sdk_session.SdkError``), so one
``except`` catches the same error from this SDK, another generated SDK, or the session layer:
``errors.Unauthorized`` also catches a persistent 401 through a ``SessionClient``
(``sdk_session.TokenRejected``). ``ApiError.error`` is always ``None`` (the document names no error model).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sdk_session import errors as _runtime_errors
from sdk_session.errors import *  # noqa: F403
from sdk_session.errors import ApiError

if TYPE_CHECKING:
    import httpx


def error_body(response: httpx.Response) -> tuple[Any | None, str | None, str | None]:
    """The error document of ``response``: ``(body, code, message)``, ``None`` where absent."""
    return None, None, None


def error_for_response(response: httpx.Response) -> ApiError:
    """The exception for a response whose status the operation does not treat as success."""
    return _runtime_errors.api_error(response, error_body)


__all__ = [*_runtime_errors.__all__, "error_body", "error_for_response"]  # noqa: PLE0604
