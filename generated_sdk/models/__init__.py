# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""The spec's schemas as attrs classes (and enums), each imported only when first used."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .error import Error
    from .field_error import FieldError
    from .item import Item
    from .item_create import ItemCreate
    from .item_page import ItemPage
    from .item_status import ItemStatus
    from .item_update import ItemUpdate
    from .login_request import LoginRequest
    from .owner import Owner
    from .refresh_request import RefreshRequest
    from .token_response import TokenResponse
    from .user import User
else:
    from sdk_session.lazy import attach

    __getattr__, __dir__ = attach(
        __name__,
        {
            "Error": ".error:Error",
            "FieldError": ".field_error:FieldError",
            "Item": ".item:Item",
            "ItemCreate": ".item_create:ItemCreate",
            "ItemPage": ".item_page:ItemPage",
            "ItemStatus": ".item_status:ItemStatus",
            "ItemUpdate": ".item_update:ItemUpdate",
            "LoginRequest": ".login_request:LoginRequest",
            "Owner": ".owner:Owner",
            "RefreshRequest": ".refresh_request:RefreshRequest",
            "TokenResponse": ".token_response:TokenResponse",
            "User": ".user:User",
        },
    )
    del attach

__all__ = [
    "Error",
    "FieldError",
    "Item",
    "ItemCreate",
    "ItemPage",
    "ItemStatus",
    "ItemUpdate",
    "LoginRequest",
    "Owner",
    "RefreshRequest",
    "TokenResponse",
    "User",
]
