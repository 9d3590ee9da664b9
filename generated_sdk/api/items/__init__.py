# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""Operations tagged ``items``: The user's catalogue of items.

Each attribute is an operation object: call it as ``sdk.items.<name>(client, *, ...)``, or
use its ``asyncio``, ``detailed`` and ``asyncio_detailed`` methods (and ``iter``/``aiter``
on cursor-paginated lists).
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._create import operation as create
    from ._delete import operation as delete
    from ._get import operation as get
    from ._list import operation as list
    from ._update import operation as update
else:
    from sdk_session.lazy import attach

    __getattr__, __dir__ = attach(
        __name__,
        {
            "create": "._create:operation",
            "delete": "._delete:operation",
            "get": "._get:operation",
            "list": "._list:operation",
            "update": "._update:operation",
        },
    )
    del attach

__all__ = [
    "create",
    "delete",
    "get",
    "list",
    "update",
]
