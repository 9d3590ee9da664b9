# Generated from examples/drf/spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, B008, RUF001, RUF002, RUF003, RUF100
# mypy: disable-error-code="redundant-cast"
"""Types shared by models and operations; free of httpx so that models import cheaply."""

import re
from collections.abc import Mapping, MutableMapping
from typing import IO, BinaryIO, Generic, Literal, TypeVar

from attrs import define, field


class Unset:
    """The type of ``UNSET``: an optional field or argument that was not given (unlike ``None``)."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Unset = Unset()

#: Lower-cased property names whose values are secrets (``secret_fields`` in the generator config
#: and the spec's ``format: password`` properties); models never show their values in ``repr()``.
SECRET_NAMES: frozenset[str] = frozenset(
    {
        "access",
        "api_key",
        "apikey",
        "credentials",
        "passphrase",
        "password",
        "private_key",
        "refresh",
        "secret",
        "session_id",
        "token",
    }
)


#: Lower-cased names never masked although they match (``public_fields`` in the config).
PUBLIC_NAMES: frozenset[str] = frozenset(
    {
        "token_type",
    }
)


def secret_repr(value: object) -> str:
    """``repr()`` of a secret model field: ``'***'``, or UNSET/None when it holds no value."""
    if value is None or isinstance(value, Unset):
        return repr(value)
    return "'***'"


def extra_repr(value: Mapping[str, object]) -> str:
    """``repr()`` of a model's additional properties, masking values under secret names."""
    shown = {
        key: "***" if isinstance(key, str) and is_secret_key(key) else item
        for key, item in value.items()
    }
    return repr(shown)


def is_secret_key(key: str) -> bool:
    """Whether a key names a secret: some entry of ``SECRET_NAMES`` appears in it as whole words
    (``access`` matches ``access_token`` and ``accessToken``), the rule the generator applies to
    declared properties."""
    if key.lower() in PUBLIC_NAMES:
        return False
    words = [
        w for w in re.split(r"[^a-z0-9]+", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", key).lower()) if w
    ]
    for name in SECRET_NAMES:
        wanted = name.split("_")
        if any(words[i : i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1)):
            return True
    return False


def content_repr(value: bytes) -> str:
    """``repr()`` of a raw response body: its size only (a body may carry tokens)."""
    return f"<{len(value)} bytes>"


# What httpx accepts as one file of a multipart body.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    tuple[str | None, FileContent, str | None]
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """A file to upload in a multipart body."""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """The ``(name, file, content type)`` tuple httpx expects."""
        return self.file_name, self.payload, self.mime_type

    def to_text(self) -> str:
        """The contents as a JSON string (a binary property of a JSON document): UTF-8, bytes
        that are not kept as surrogates. The stream is rewound, so it can still be sent."""
        data = self.payload.read()
        if self.payload.seekable():
            self.payload.seek(0)
        try:
            return data.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            return data.decode("utf-8", "surrogateescape")


T = TypeVar("T")


@define
class Response(Generic[T]):
    """A successful response: its raw parts and the parsed result (error statuses raise)."""

    status_code: int
    content: bytes = field(repr=content_repr)
    headers: MutableMapping[str, str]
    parsed: T


__all__ = ["UNSET", "File", "FileContent", "FileTypes", "RequestFiles", "Response", "Unset"]
