# Generated from examples/drf/spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""Operations tagged ``token``

Each attribute is an operation object: call it as ``sdk.token.<name>(client, *, ...)``, or
use its ``asyncio``, ``detailed`` and ``asyncio_detailed`` methods.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._token_create import operation as token_create
    from ._token_refresh_create import operation as token_refresh_create
else:
    from sdk_session.lazy import attach

    __getattr__, __dir__ = attach(
        __name__,
        {
            "token_create": "._token_create:operation",
            "token_refresh_create": "._token_refresh_create:operation",
        },
    )
    del attach

__all__ = [
    "token_create",
    "token_refresh_create",
]
