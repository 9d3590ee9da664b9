# Generated from examples/drf/spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NotRequired, Self, TypedDict, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from sdk_session.errors import PARSE_ERRORS, InvalidData

from ..types import UNSET, Unset, extra_repr

if TYPE_CHECKING:
    from ..models.item import Item


@_attrs_define
class PaginatedItemList:
    """The ``PaginatedItemList`` schema.

    Attributes:
        count (int):  Example: 123.
        results (list[Item]):
        next_ (None | str | Unset):  Example: http://api.example.org/accounts/?page=4.
        previous (None | str | Unset):  Example:
            http://api.example.org/accounts/?page=2.
    """

    count: int
    results: list[Item]
    next_: str | Unset | None = UNSET
    previous: str | Unset | None = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict, repr=extra_repr)

    def to_dict(self) -> dict[str, Any]:
        """This object as JSON-compatible data."""
        count = self.count

        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        next_: str | Unset | None
        next_ = UNSET if isinstance(self.next_, Unset) else self.next_

        previous: str | Unset | None
        previous = UNSET if isinstance(self.previous, Unset) else self.previous

        _field_dict: dict[str, Any] = {}
        _field_dict.update(self.additional_properties)
        _field_dict["count"] = count
        _field_dict["results"] = results
        if next_ is not UNSET:
            _field_dict["next"] = next_
        if previous is not UNSET:
            _field_dict["previous"] = previous
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
            _field = "count"
            count = _data.pop("count")

            _field = "results"
            results = []
            _results = _data.pop("results")
            for results_item_data in _results:
                results_item = Item.from_dict(results_item_data)

                results.append(results_item)

            _field = "next"

            def _parse_next_(data: object) -> str | Unset | None:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                return cast(str | Unset | None, data)

            next_ = _parse_next_(_data.pop("next", UNSET))

            _field = "previous"

            def _parse_previous(data: object) -> str | Unset | None:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                return cast(str | Unset | None, data)

            previous = _parse_previous(_data.pop("previous", UNSET))

        except PARSE_ERRORS as exc:
            raise InvalidData.wrap(cls.__name__, _field, exc) from exc
        _instance = cls(
            count=count,
            results=results,
            next_=next_,
            previous=previous,
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


#: ``PaginatedItemList`` as the plain dict an operation also accepts (JSON names and values).
class PaginatedItemListDict(TypedDict):
    count: int
    results: list[dict[str, Any]]
    next: NotRequired[str | None]
    previous: NotRequired[str | None]
