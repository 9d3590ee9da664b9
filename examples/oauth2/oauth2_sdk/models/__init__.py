# Generated from examples/oauth2/spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""The spec's schemas as attrs classes (and enums), each imported only when first used."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .item import Item
    from .paginated_item_list import PaginatedItemList
else:
    from sdk_session.lazy import attach

    __getattr__, __dir__ = attach(
        __name__,
        {
            "Item": ".item:Item",
            "PaginatedItemList": ".paginated_item_list:PaginatedItemList",
        },
    )
    del attach

__all__ = [
    "Item",
    "PaginatedItemList",
]
