"""Static credentials for the schemes a document declares: API keys, HTTP bearer and basic.

Each generated operation sends its effective ``security`` requirement with the request
(``SECURITY_EXTENSION``: alternatives, any one of which suffices, each naming the schemes
it needs together). ``SchemeAuth`` applies the first alternative it has every value for,
and only the schemes that alternative names: a key meant for one operation never reaches
another. A request that names no requirement (one not made by a generated operation)
gets nothing. A generated SDK's ``security.Security`` subclasses it with one typed keyword
per scheme.
"""

from __future__ import annotations

import base64
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import ClassVar, Literal

import httpx

from .calls import SECURITY_EXTENSION, Requirement
from .redact import REDACTED

__all__ = ["SECURITY_EXTENSION", "Requirement", "Scheme", "SchemeAuth"]

Value = str | tuple[str, str]


@dataclass(frozen=True, slots=True)
class Scheme:
    """One ``securitySchemes`` entry: an API key (``name`` in ``location``), HTTP bearer
    (``Authorization: Bearer <value>``) or HTTP basic (a ``(user, password)`` value)."""

    kind: Literal["apiKey", "bearer", "basic"]
    location: Literal["header", "query", "cookie"] = "header"
    name: str = "Authorization"


class SchemeAuth(httpx.Auth):
    """An ``httpx.Auth`` holding one value per scheme (``schemes`` says which exist)."""

    schemes: ClassVar[Mapping[str, Scheme]] = {}

    def __init__(self, values: Mapping[str, Value | None]) -> None:
        kept: dict[str, Value] = {}
        for name, value in values.items():
            scheme = self.schemes.get(name)
            if scheme is None:
                known = ", ".join(sorted(self.schemes)) or "none"
                raise ValueError(f"unknown security scheme {name!r} (known: {known})")
            if value is None:
                continue
            if scheme.kind == "basic":
                if not (
                    isinstance(value, tuple)
                    and len(value) == 2
                    and all(isinstance(part, str) for part in value)
                ):
                    raise TypeError(f"security scheme {name!r} takes a (user, password) pair")
            elif not isinstance(value, str) or not value:
                raise TypeError(f"security scheme {name!r} takes a non-empty string")
            kept[name] = value
        self._values = kept

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        requirement = request.extensions.get(SECURITY_EXTENSION)
        for alternative in requirement or ():
            if all(name in self._values for name in alternative):
                for name in alternative:
                    _apply(request, self.schemes[name], self._values[name])
                break
        yield request

    def __repr__(self) -> str:
        given = ", ".join(f"{name}={REDACTED}" for name in sorted(self._values))
        return f"{type(self).__name__}({given})"


def _apply(request: httpx.Request, scheme: Scheme, value: Value) -> None:
    """Put one checked value (a pair for basic, else a string) where ``scheme`` says."""
    if isinstance(value, tuple):  # basic
        pair = base64.b64encode(f"{value[0]}:{value[1]}".encode()).decode()
        request.headers["Authorization"] = f"Basic {pair}"
    elif scheme.kind == "bearer":
        request.headers["Authorization"] = f"Bearer {value}"
    elif scheme.location == "query":
        request.url = request.url.copy_merge_params({scheme.name: value})
    elif scheme.location == "cookie":
        cookie = request.headers.get("Cookie")
        pair = f"{scheme.name}={value}"
        request.headers["Cookie"] = pair if not cookie else f"{cookie}; {pair}"
    else:
        request.headers[scheme.name] = value
