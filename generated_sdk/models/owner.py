# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypedDict

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from sdk_session.errors import PARSE_ERRORS, InvalidData

from ..types import extra_repr


@_attrs_define
class Owner:
    """The ``Owner`` schema.

    Attributes:
        id (int):
        name (str):
    """

    id: int
    name: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict, repr=extra_repr)

    def to_dict(self) -> dict[str, Any]:
        """This object as JSON-compatible data."""
        id = self.id

        name = self.name

        _field_dict: dict[str, Any] = {}
        _field_dict.update(self.additional_properties)
        _field_dict["id"] = id
        _field_dict["name"] = name
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
            _field = "id"
            id = _remaining.pop("id")
            if not (isinstance(id, int) and not isinstance(id, bool)):
                raise TypeError(f"expected int, got {type(id).__name__}")

            _field = "name"
            name = _remaining.pop("name")
            if not isinstance(name, str):
                raise TypeError(f"expected str, got {type(name).__name__}")

        except PARSE_ERRORS as _exc:
            raise InvalidData.wrap(_cls.__name__, _field, _exc) from _exc
        _instance = _cls(
            id=id,
            name=name,
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


#: ``Owner`` as the plain dict an operation also accepts (JSON names and values).
class OwnerDict(TypedDict):
    id: int
    name: str
