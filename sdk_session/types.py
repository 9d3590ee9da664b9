"""Types shared by every generated SDK's models and operations; free of httpx, so models import
cheaply. What depends on a document (which property names are secret) stays in its package."""

import re
from collections.abc import Callable, Collection, Mapping, MutableMapping
from typing import IO, BinaryIO, Generic, Literal, TypeVar

from attrs import define, field

__all__ = [
    "UNSET",
    "File",
    "FileContent",
    "FileTypes",
    "RequestFiles",
    "Response",
    "Unset",
    "content_repr",
    "masked_repr",
    "secret_key_rule",
    "secret_repr",
]


class Unset:
    """The type of ``UNSET``: an optional field or argument that was not given (unlike ``None``)."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Unset = Unset()


def secret_repr(value: object) -> str:
    """``repr()`` of a secret model field: ``'***'``, or UNSET/None when it holds no value."""
    if value is None or isinstance(value, Unset):
        return repr(value)
    return "'***'"


def secret_key_rule(secret: Collection[str], public: Collection[str]) -> Callable[[str], bool]:
    """Whether a key names a secret: some entry of ``secret`` appears in it as whole words
    (``access`` matches ``access_token`` and ``accessToken``) and it is not in ``public``; the
    rule the generator applies to declared properties."""
    wanted = [name.split("_") for name in secret]
    exempt = frozenset(public)

    def is_secret_key(key: str) -> bool:
        if key.lower() in exempt:
            return False
        spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", key).lower()
        words = [w for w in re.split(r"[^a-z0-9]+", spaced) if w]
        return any(
            words[i : i + len(name)] == name
            for name in wanted
            for i in range(len(words) - len(name) + 1)
        )

    return is_secret_key


def masked_repr(value: Mapping[str, object], is_secret: Callable[[str], bool]) -> str:
    """``repr()`` of additional properties, with ``'***'`` for values under secret keys."""
    shown = {
        key: "***" if isinstance(key, str) and is_secret(key) else item
        for key, item in value.items()
    }
    return repr(shown)


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
