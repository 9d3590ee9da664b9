# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, NotRequired, Self, TypedDict
from typing import cast as _cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from sdk_session.errors import PARSE_ERRORS, InvalidData

from ..models.item_status import ItemStatus
from ..types import UNSET, Unset, extra_repr


@_attrs_define
class ItemCreate:
    """The ``ItemCreate`` schema.

    Attributes:
        name (str):
        price (float):
        description (None | str | Unset):
        status (ItemStatus | Unset):
        tags (list[str] | Unset):
    """

    name: str
    price: float
    description: str | Unset | None = UNSET
    status: ItemStatus | Unset = UNSET
    tags: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict, repr=extra_repr)

    def to_dict(self) -> dict[str, Any]:
        """This object as JSON-compatible data."""
        name = self.name

        price = self.price

        description: str | Unset | None
        description = UNSET if isinstance(self.description, Unset) else self.description

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        _field_dict: dict[str, Any] = {}
        _field_dict.update(self.additional_properties)
        _field_dict["name"] = name
        _field_dict["price"] = price
        if description is not UNSET:
            _field_dict["description"] = description
        if status is not UNSET:
            _field_dict["status"] = status
        if tags is not UNSET:
            _field_dict["tags"] = tags
        return _field_dict

    @classmethod
    def from_dict(_cls, _src: Mapping[str, Any]) -> Self:
        """Build an instance from JSON data; raises ``errors.InvalidData`` naming the bad field."""
        # Names here start with "_" and property temporaries hold "__" (see
        # property_templates/property_macros.py.jinja): neither can be a property's own name.
        if not isinstance(_src, Mapping):
            raise InvalidData(_cls.__name__, None, f"expected an object, got {type(_src).__name__}")
        _remaining = dict(_src)
        _field = ""
        try:
            _field = "name"
            name = _remaining.pop("name")
            if not isinstance(name, str):
                raise TypeError(f"expected str, got {type(name).__name__}")

            _field = "price"
            price = _remaining.pop("price")
            if not (isinstance(price, int | float) and not isinstance(price, bool)):
                raise TypeError(f"expected float, got {type(price).__name__}")

            _field = "description"

            def description__parse(description__value: object) -> str | Unset | None:
                if description__value is None:
                    return description__value
                if isinstance(description__value, Unset):
                    return description__value
                if isinstance(description__value, str):
                    return _cast(str | Unset | None, description__value)
                raise TypeError(
                    f"{description__value!r:.100} matches no alternative of None | str | Unset"
                )

            description = description__parse(_remaining.pop("description", UNSET))

            _field = "status"
            status__raw = _remaining.pop("status", UNSET)
            status: ItemStatus | Unset
            status = UNSET if isinstance(status__raw, Unset) else ItemStatus(status__raw)

            _field = "tags"
            tags = _cast(list[str], _remaining.pop("tags", UNSET))
            if not isinstance(tags, Unset) and (
                not isinstance(tags, list)
                or not all(isinstance(tags__item, str) for tags__item in tags)
            ):
                raise TypeError("expected a list of str")

        except PARSE_ERRORS as _exc:
            raise InvalidData.wrap(_cls.__name__, _field, _exc) from _exc
        _instance = _cls(
            name=name,
            price=price,
            description=description,
            status=status,
            tags=tags,
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


#: ``ItemCreate`` as the plain dict an operation also accepts (JSON names and values).
class ItemCreateDict(TypedDict):
    name: str
    price: float
    description: NotRequired[str | None]
    status: NotRequired[ItemStatus | Literal["draft", "active", "archived"]]
    tags: NotRequired[list[str]]
