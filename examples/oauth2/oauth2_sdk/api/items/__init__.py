# Generated from examples/oauth2/spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""Operations tagged ``items``

Each attribute is an operation object: call it as ``sdk.items.<name>(client, *, ...)``, or
use its ``asyncio``, ``detailed`` and ``asyncio_detailed`` methods (and ``iter``/``aiter``
on paginated lists).
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._items_create import operation as items_create
    from ._items_list import operation as items_list
    from ._items_retrieve import operation as items_retrieve
else:
    from sdk_session.lazy import attach

    __getattr__, __dir__ = attach(
        __name__,
        {
            "items_create": "._items_create:operation",
            "items_list": "._items_list:operation",
            "items_retrieve": "._items_retrieve:operation",
        },
    )
    del attach

__all__ = [
    "items_create",
    "items_list",
    "items_retrieve",
]
