# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, NotRequired, Self, TypedDict
from typing import cast as _cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from sdk_session.calls import parse_datetime as _parse_datetime
from sdk_session.errors import PARSE_ERRORS, InvalidData

from ..models.item_status import ItemStatus
from ..types import UNSET, Unset, extra_repr

if TYPE_CHECKING:
    from ..models.owner import Owner


@_attrs_define
class Item:
    """The ``Item`` schema.

    Attributes:
        id (int):
        name (str):
        price (float):
        status (ItemStatus):
        tags (list[str]):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        owner (Owner):
        description (None | str | Unset):
    """

    id: int
    name: str
    price: float
    status: ItemStatus
    tags: list[str]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    owner: Owner
    description: str | Unset | None = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict, repr=extra_repr)

    def to_dict(self) -> dict[str, Any]:
        """This object as JSON-compatible data."""
        id = self.id

        name = self.name

        price = self.price

        status = self.status.value

        tags = self.tags

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        owner = self.owner.to_dict()

        description: str | Unset | None
        description = UNSET if isinstance(self.description, Unset) else self.description

        _field_dict: dict[str, Any] = {}
        _field_dict.update(self.additional_properties)
        _field_dict["id"] = id
        _field_dict["name"] = name
        _field_dict["price"] = price
        _field_dict["status"] = status
        _field_dict["tags"] = tags
        _field_dict["created_at"] = created_at
        _field_dict["updated_at"] = updated_at
        _field_dict["owner"] = owner
        if description is not UNSET:
            _field_dict["description"] = description
        return _field_dict

    @classmethod
    def from_dict(_cls, _src: Mapping[str, Any]) -> Self:
        """Build an instance from JSON data; raises ``errors.InvalidData`` naming the bad field."""
        from ..models.owner import Owner

        # Names here start with "_" and property temporaries hold "__" (see
        # property_templates/property_macros.py.jinja): neither can be a property's own name.
        if not isinstance(_src, Mapping):
            raise InvalidData(_cls.__name__, None, f"expected an object, got {type(_src).__name__}")
        _remaining = dict(_src)
        _field = ""
        try:
            _field = "id"
            id = _remaining.pop("id")
            if not (isinstance(id, int) and not isinstance(id, bool)):
                raise TypeError(f"expected int, got {type(id).__name__}")

            _field = "name"
            name = _remaining.pop("name")
            if not isinstance(name, str):
                raise TypeError(f"expected str, got {type(name).__name__}")

            _field = "price"
            price = _remaining.pop("price")
            if not (isinstance(price, int | float) and not isinstance(price, bool)):
                raise TypeError(f"expected float, got {type(price).__name__}")

            _field = "status"
            status = ItemStatus(_remaining.pop("status"))

            _field = "tags"
            tags = _cast(list[str], _remaining.pop("tags"))
            if not isinstance(tags, list) or not all(
                isinstance(tags__item, str) for tags__item in tags
            ):
                raise TypeError("expected a list of str")

            _field = "created_at"
            created_at = _parse_datetime(_remaining.pop("created_at"))

            _field = "updated_at"
            updated_at = _parse_datetime(_remaining.pop("updated_at"))

            _field = "owner"
            owner = Owner.from_dict(_remaining.pop("owner"))

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

        except PARSE_ERRORS as _exc:
            raise InvalidData.wrap(_cls.__name__, _field, _exc) from _exc
        _instance = _cls(
            id=id,
            name=name,
            price=price,
            status=status,
            tags=tags,
            created_at=created_at,
            updated_at=updated_at,
            owner=owner,
            description=description,
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


#: ``Item`` as the plain dict an operation also accepts (JSON names and values).
class ItemDict(TypedDict):
    id: int
    name: str
    price: float
    status: ItemStatus | Literal["draft", "active", "archived"]
    tags: list[str]
    created_at: str
    updated_at: str
    owner: dict[str, Any]
    description: NotRequired[str | None]
