# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypedDict, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from sdk_session.errors import PARSE_ERRORS, InvalidData

from ..types import extra_repr

if TYPE_CHECKING:
    from ..models.item import Item


@_attrs_define
class ItemPage:
    """The ``ItemPage`` schema.

    Attributes:
        items (list[Item]):
        next_cursor (None | str): Pass as `cursor` to get the next page; null on the
            last page.
    """

    items: list[Item]
    next_cursor: str | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict, repr=extra_repr)

    def to_dict(self) -> dict[str, Any]:
        """This object as JSON-compatible data."""
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        next_cursor: str | None
        next_cursor = self.next_cursor

        _field_dict: dict[str, Any] = {}
        _field_dict.update(self.additional_properties)
        _field_dict["items"] = items
        _field_dict["next_cursor"] = next_cursor
        return _field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        """Build an instance from JSON data; raises ``errors.InvalidData`` naming the bad field."""
        from ..models.item import Item

        if not isinstance(src_dict, Mapping):
            raise InvalidData(
                cls.__name__, None, f"expected an object, got {type(src_dict).__name__}"
            )
        _data = dict(src_dict)
        _field = ""
        try:
            _field = "items"
            items = []
            _items = _data.pop("items")
            for items_item_data in _items:
                items_item = Item.from_dict(items_item_data)

                items.append(items_item)

            _field = "next_cursor"

            def _parse_next_cursor(data: object) -> str | None:
                if data is None:
                    return data
                return cast(str | None, data)

            next_cursor = _parse_next_cursor(_data.pop("next_cursor"))

        except PARSE_ERRORS as exc:
            raise InvalidData.wrap(cls.__name__, _field, exc) from exc
        _instance = cls(
            items=items,
            next_cursor=next_cursor,
        )
        _instance.additional_properties = _data
        return _instance

    @property
    def additional_keys(self) -> list[str]:
        """Names of the properties the schema does not declare."""
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


#: ``ItemPage`` as the plain dict an operation also accepts (JSON names and values).
class ItemPageDict(TypedDict):
    items: list[dict[str, Any]]
    next_cursor: str | None
