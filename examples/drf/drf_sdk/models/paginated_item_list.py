# Generated from examples/drf/spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NotRequired, Self, TypedDict
from typing import cast as _cast

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
        for results__value in self.results:
            results__json = results__value.to_dict()
            results.append(results__json)

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
            _field = "count"
            count = _remaining.pop("count")
            if not (isinstance(count, int) and not isinstance(count, bool)):
                raise TypeError(f"expected int, got {type(count).__name__}")

            _field = "results"

            def results__parse_item(results__value: Any) -> Item:
                results_item = Item.from_dict(results__value)

                return results_item

            results = [
                results__parse_item(results__value) for results__value in _remaining.pop("results")
            ]

            _field = "next"

            def next___parse(next___value: object) -> str | Unset | None:
                if next___value is None:
                    return next___value
                if isinstance(next___value, Unset):
                    return next___value
                if isinstance(next___value, str):
                    return _cast(str | Unset | None, next___value)
                raise TypeError(
                    f"{next___value!r:.100} matches no alternative of None | str | Unset"
                )

            next_ = next___parse(_remaining.pop("next", UNSET))

            _field = "previous"

            def previous__parse(previous__value: object) -> str | Unset | None:
                if previous__value is None:
                    return previous__value
                if isinstance(previous__value, Unset):
                    return previous__value
                if isinstance(previous__value, str):
                    return _cast(str | Unset | None, previous__value)
                raise TypeError(
                    f"{previous__value!r:.100} matches no alternative of None | str | Unset"
                )

            previous = previous__parse(_remaining.pop("previous", UNSET))

        except PARSE_ERRORS as _exc:
            raise InvalidData.wrap(_cls.__name__, _field, _exc) from _exc
        _instance = _cls(
            count=count,
            results=results,
            next_=next_,
            previous=previous,
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


#: ``PaginatedItemList`` as the plain dict an operation also accepts (JSON names and values).
class PaginatedItemListDict(TypedDict):
    count: int
    results: list[dict[str, Any]]
    next: NotRequired[str | None]
    previous: NotRequired[str | None]
