# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NotRequired, Self, TypedDict

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from sdk_session.errors import PARSE_ERRORS, InvalidData

from ..types import UNSET, Unset, extra_repr

if TYPE_CHECKING:
    from ..models.field_error import FieldError


@_attrs_define
class Error:
    """The one error body of every 4xx and 5xx response.

    Attributes:
        error (str): A stable machine-readable code, e.g. `invalid_token`,
            `invalid_grant`, `not_found`, `validation_failed`.
        message (str): A human-readable explanation.
        details (list[FieldError] | Unset): Per-field problems, for `validation_failed`.
    """

    error: str
    message: str
    details: list[FieldError] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict, repr=extra_repr)

    def to_dict(self) -> dict[str, Any]:
        """This object as JSON-compatible data."""
        error = self.error

        message = self.message

        details: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.details, Unset):
            details = []
            for details__value in self.details:
                details__json = details__value.to_dict()
                details.append(details__json)

        _field_dict: dict[str, Any] = {}
        _field_dict.update(self.additional_properties)
        _field_dict["error"] = error
        _field_dict["message"] = message
        if details is not UNSET:
            _field_dict["details"] = details
        return _field_dict

    @classmethod
    def from_dict(_cls, _src: Mapping[str, Any]) -> Self:
        """Build an instance from JSON data; raises ``errors.InvalidData`` naming the bad field."""
        from ..models.field_error import FieldError

        # Names here start with "_" and property temporaries hold "__" (see
        # property_templates/property_macros.py.jinja): neither can be a property's own name.
        if not isinstance(_src, Mapping):
            raise InvalidData(_cls.__name__, None, f"expected an object, got {type(_src).__name__}")
        _remaining = dict(_src)
        _field = ""
        try:
            _field = "error"
            error = _remaining.pop("error")
            if not isinstance(error, str):
                raise TypeError(f"expected str, got {type(error).__name__}")

            _field = "message"
            message = _remaining.pop("message")
            if not isinstance(message, str):
                raise TypeError(f"expected str, got {type(message).__name__}")

            _field = "details"

            def details__parse_item(details__value: Any) -> FieldError:
                details_item = FieldError.from_dict(details__value)

                return details_item

            details__raw = _remaining.pop("details", UNSET)
            details: list[FieldError] | Unset = UNSET
            if not isinstance(details__raw, Unset):
                details = [details__parse_item(details__value) for details__value in details__raw]

        except PARSE_ERRORS as _exc:
            raise InvalidData.wrap(_cls.__name__, _field, _exc) from _exc
        _instance = _cls(
            error=error,
            message=message,
            details=details,
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


#: ``Error`` as the plain dict an operation also accepts (JSON names and values).
class ErrorDict(TypedDict):
    error: str
    message: str
    details: NotRequired[list[dict[str, Any]]]
