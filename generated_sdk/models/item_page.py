# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypedDict
from typing import cast as _cast

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
        for items__value in self.items:
            items__json = items__value.to_dict()
            items.append(items__json)

        next_cursor: str | None
        next_cursor = self.next_cursor

        _field_dict: dict[str, Any] = {}
        _field_dict.update(self.additional_properties)
        _field_dict["items"] = items
        _field_dict["next_cursor"] = next_cursor
        return _field_dict

    @classmethod
    def from_dict(_cls, _src: Mapping[str, Any]) -> Self:
        """Build an instance from JSON data; raises ``errors.InvalidData`` naming the bad field."""
        from ..models.item import Item

        # Names here start with "_" and property temporaries hold "__" (see
        # property_templates/property_macros.py.jinja): neither can be a property's own name.
        if not isinstance(_src, Mapping):
            raise InvalidData(_cls.__name__, None, f"expected an object, got {type(_src).__name__}")
        _remaining = dict(_src)
        _field = ""
        try:
            _field = "items"

            def items__parse_item(items__value: Any) -> Item:
                items_item = Item.from_dict(items__value)

                return items_item

            items = [items__parse_item(items__value) for items__value in _remaining.pop("items")]

            _field = "next_cursor"

            def next_cursor__parse(next_cursor__value: object) -> str | None:
                if next_cursor__value is None:
                    return next_cursor__value
                if isinstance(next_cursor__value, str):
                    return _cast(str | None, next_cursor__value)
                raise TypeError(f"{next_cursor__value!r:.100} matches no alternative of None | str")

            next_cursor = next_cursor__parse(_remaining.pop("next_cursor"))

        except PARSE_ERRORS as _exc:
            raise InvalidData.wrap(_cls.__name__, _field, _exc) from _exc
        _instance = _cls(
            items=items,
            next_cursor=next_cursor,
        )
        _instance.additional_properties = _remaining
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
