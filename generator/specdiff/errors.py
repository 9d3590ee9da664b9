"""Typed errors, so callers (and the CLI's exit status 2) can tell bad input from bugs."""

from __future__ import annotations


class SpecError(Exception):
    """Base class: the input cannot be compared. ``source`` names the file or side."""

    def __init__(self, message: str, source: str = "") -> None:
        super().__init__(f"{source}: {message}" if source else message)
        self.message = message
        self.source = source


class SpecLoadError(SpecError):
    """The file is missing, unreadable, not YAML/JSON, or its top level is not a mapping."""


class SpecInvalidError(SpecError):
    """The document parsed but is not a valid OpenAPI 3.x document."""

    def __init__(self, message: str, source: str = "", pointer: str = "") -> None:
        super().__init__(f"{message} (at {pointer})" if pointer else message, source)
        self.pointer = pointer
