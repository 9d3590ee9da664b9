"""Local ``$ref`` lookup. References are followed lazily, where they are used, so one change
in a shared component shows up at every place (and operation) that uses it, and recursive
schemas never need to be expanded into an infinite tree."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

_MAX_CHAIN = 64


def as_mapping(value: object) -> Mapping[str, Any]:
    """Malformed parts of an unvalidated document read as empty rather than crashing."""
    return value if isinstance(value, Mapping) else {}


def as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def ref_name(ref: str) -> str:
    """``#/components/schemas/Item`` -> ``Item``: a short label for reports."""
    return unquote(ref.rsplit("/", 1)[-1]).replace("~1", "/").replace("~0", "~")


class Resolver:
    """Resolves ``#/...`` JSON pointers inside one document; anything else is unresolvable."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._document = document

    def lookup(self, ref: str) -> object | None:
        """The value a local reference points at, or None if it does not resolve."""
        if not ref.startswith("#"):
            return None
        pointer = unquote(ref[1:])
        if pointer == "":
            return self._document
        if not pointer.startswith("/"):
            return None
        node: object = self._document
        for raw_token in pointer[1:].split("/"):
            token = raw_token.replace("~1", "/").replace("~0", "~")
            if isinstance(node, Mapping):
                if token not in node:
                    return None
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return None
        return node

    def deref(self, value: object) -> Mapping[str, Any]:
        """Follow a chain of ``$ref`` objects (parameters, bodies, responses, path items).

        Sibling keys of a reference object are ignored here; schemas handle their own
        references (see ``schema_walk``) because sibling keywords matter there.
        A dangling or cyclic chain yields an empty mapping.
        """
        seen: set[str] = set()
        current = value
        while isinstance(current, Mapping) and isinstance(current.get("$ref"), str):
            ref = current["$ref"]
            if ref in seen or len(seen) >= _MAX_CHAIN:
                return {}
            seen.add(ref)
            current = self.lookup(ref)
        return as_mapping(current)
