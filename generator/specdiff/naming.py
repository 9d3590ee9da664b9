"""SDK-facing names: the generated SDK exposes ``sdk.<tag>.<operation_id>`` and snake_case
keyword arguments, so renames are judged on these names rather than on raw spec strings."""

from __future__ import annotations

import re

_TEMPLATE_PARAM = re.compile(r"\{([^{}/]*)\}")
_LOWER_UPPER = re.compile(r"([a-z0-9])([A-Z])")
_ACRONYM_WORD = re.compile(r"([A-Z]+)([A-Z][a-z])")
_SEPARATORS = re.compile(r"[^A-Za-z0-9]+")

DEFAULT_TAG = "default"


def snake_case(value: str) -> str:
    """``getItemByID`` -> ``get_item_by_id``; separators collapse to one underscore."""
    spaced = _ACRONYM_WORD.sub(r"\1 \2", _LOWER_UPPER.sub(r"\1 \2", value))
    return "_".join(word.lower() for word in _SEPARATORS.split(spaced) if word)


def normalise_path(path: str) -> str:
    """Erase path-parameter names: ``/items/{id}`` and ``/items/{item_id}`` are one route."""
    return _TEMPLATE_PARAM.sub("{}", path)


def path_parameter_names(path: str) -> list[str]:
    """Template parameter names in the order they appear in the path."""
    return _TEMPLATE_PARAM.findall(path)


def sdk_tag(tag: str) -> str:
    """The SDK namespace a tag becomes (``default`` for untagged operations)."""
    return snake_case(tag) or DEFAULT_TAG


def fallback_operation_id(method: str, path: str) -> str:
    """What the generator names an operation without an operationId: method plus path."""
    return f"{method.lower()}_{path}"


def sdk_operation_name(tag: str, operation_id: str) -> str:
    """``items.list`` for tag ``items`` and operationId ``list``."""
    return f"{sdk_tag(tag)}.{snake_case(operation_id) or 'operation'}"
