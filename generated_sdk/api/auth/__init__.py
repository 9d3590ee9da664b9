# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""Operations tagged ``auth``: Log in, renew and end a session.

Each attribute is an operation object: call it as ``sdk.auth.<name>(client, *, ...)``, or
use its ``asyncio``, ``detailed`` and ``asyncio_detailed`` methods.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._login import operation as login
    from ._logout import operation as logout
    from ._refresh import operation as refresh
else:
    from sdk_session.lazy import attach

    __getattr__, __dir__ = attach(
        __name__,
        {
            "login": "._login:operation",
            "logout": "._logout:operation",
            "refresh": "._refresh:operation",
        },
    )
    del attach

__all__ = [
    "login",
    "logout",
    "refresh",
]
