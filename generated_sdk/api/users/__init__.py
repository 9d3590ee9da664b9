# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""Operations tagged ``users``: The authenticated user.

Each attribute is an operation object: call it as ``sdk.users.<name>(client, *, ...)``, or
use its ``asyncio``, ``detailed`` and ``asyncio_detailed`` methods.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._me import operation as me
else:
    from sdk_session.lazy import attach

    __getattr__, __dir__ = attach(
        __name__,
        {
            "me": "._me:operation",
        },
    )
    del attach

__all__ = [
    "me",
]
