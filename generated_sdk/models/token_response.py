# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypedDict

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from sdk_session.errors import PARSE_ERRORS, InvalidData

from ..types import extra_repr, secret_repr


@_attrs_define
class TokenResponse:
    """The ``TokenResponse`` schema.

    Attributes:
        access_token (str): A JWT (HS256) with an `exp` claim.
        token_type (str): The scheme to send the access token with; always `Bearer`
            here. Example: Bearer.
        refresh_token (str): Opaque; single use.
        expires_in (float): Seconds until the access token expires (may be fractional).
    """

    access_token: str = _attrs_field(repr=secret_repr)
    token_type: str
    refresh_token: str = _attrs_field(repr=secret_repr)
    expires_in: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict, repr=extra_repr)

    def to_dict(self) -> dict[str, Any]:
        """This object as JSON-compatible data."""
        access_token = self.access_token

        token_type = self.token_type

        refresh_token = self.refresh_token

        expires_in = self.expires_in

        _field_dict: dict[str, Any] = {}
        _field_dict.update(self.additional_properties)
        _field_dict["access_token"] = access_token
        _field_dict["token_type"] = token_type
        _field_dict["refresh_token"] = refresh_token
        _field_dict["expires_in"] = expires_in
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
            _field = "access_token"
            access_token = _remaining.pop("access_token")
            if not isinstance(access_token, str):
                raise TypeError(f"expected str, got {type(access_token).__name__}")

            _field = "token_type"
            token_type = _remaining.pop("token_type")
            if not isinstance(token_type, str):
                raise TypeError(f"expected str, got {type(token_type).__name__}")

            _field = "refresh_token"
            refresh_token = _remaining.pop("refresh_token")
            if not isinstance(refresh_token, str):
                raise TypeError(f"expected str, got {type(refresh_token).__name__}")

            _field = "expires_in"
            expires_in = _remaining.pop("expires_in")
            if not (isinstance(expires_in, int | float) and not isinstance(expires_in, bool)):
                raise TypeError(f"expected float, got {type(expires_in).__name__}")

        except PARSE_ERRORS as _exc:
            raise InvalidData.wrap(_cls.__name__, _field, _exc) from _exc
        _instance = _cls(
            access_token=access_token,
            token_type=token_type,
            refresh_token=refresh_token,
            expires_in=expires_in,
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


#: ``TokenResponse`` as the plain dict an operation also accepts (JSON names and values).
class TokenResponseDict(TypedDict):
    access_token: str
    token_type: str
    refresh_token: str
    expires_in: float
