"""Read and validate OpenAPI documents, turning every failure into a typed ``SpecError``.

The comparer assumes a structurally valid OpenAPI 3.x document; validating first means a
typo in the new upstream file is reported as such instead of as a pile of findings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from referencing.exceptions import Unresolvable

from .errors import SpecInvalidError, SpecLoadError

_MAX_MESSAGE = 300


def load_spec(path: str | Path, *, validate_document: bool = True) -> dict[str, Any]:
    """Parse a YAML or JSON file into a dict (keys as strings) and, by default, validate it."""
    source = str(path)
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecLoadError("file not found", source) from None
    except IsADirectoryError:
        raise SpecLoadError("is a directory, not a file", source) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecLoadError(f"cannot read file: {exc}", source) from exc
    try:
        loaded = json.loads(text) if file.suffix.lower() == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise SpecLoadError(
            f"not valid {_format_name(file)}: {_parse_problem(exc)}", source
        ) from exc
    if not isinstance(loaded, Mapping):
        name = type(loaded).__name__
        kind = "empty" if loaded is None else f"{'an' if name[0] in 'aeiou' else 'a'} {name}"
        raise SpecLoadError(f"the top level must be a mapping, got {kind}", source)
    document = string_keys(loaded)
    if validate_document:
        validate_spec(document, source)
    return document


def string_keys(document: Mapping[Any, Any]) -> dict[str, Any]:
    """Copy with every mapping key as text: YAML reads ``200:`` as an int, OpenAPI means "200"."""
    memo: dict[int, Any] = {}

    def convert(value: Any) -> Any:
        if id(value) in memo:
            return memo[id(value)]
        if isinstance(value, Mapping):
            result: dict[str, Any] = {}
            memo[id(value)] = result
            for key, child in value.items():
                result[key if isinstance(key, str) else str(key)] = convert(child)
            return result
        if isinstance(value, list):
            items: list[Any] = []
            memo[id(value)] = items
            items.extend(convert(child) for child in value)
            return items
        return value

    converted: dict[str, Any] = convert(document)
    return converted


def validate_spec(document: Mapping[str, Any], source: str = "") -> None:
    """Raise ``SpecInvalidError`` unless ``document`` is a valid OpenAPI 3.0/3.1 document."""
    version = document.get("openapi")
    if "swagger" in document and "openapi" not in document:
        raise SpecInvalidError("Swagger 2.0 is not supported; convert to OpenAPI 3", source)
    if not isinstance(version, str):
        raise SpecInvalidError("not an OpenAPI document: no 'openapi' version string", source)
    if not version.startswith("3."):
        raise SpecInvalidError(f"unsupported OpenAPI version {version!r}", source)
    try:
        validate(document)
    except OpenAPIValidationError as exc:
        pointer = "".join(f"/{p}" for p in exc.absolute_path)
        raise SpecInvalidError(_first_line(exc.message), source, pointer) from exc
    except Unresolvable as exc:
        ref = getattr(exc, "ref", "")
        raise SpecInvalidError(f"unresolvable reference {ref!r}", source) from exc
    except Exception as exc:  # the validator raises assorted types on malformed input
        raise SpecInvalidError(f"{type(exc).__name__}: {_first_line(exc)}", source) from exc


def _format_name(file: Path) -> str:
    return "JSON" if file.suffix.lower() == ".json" else "YAML"


def _parse_problem(error: Exception) -> str:
    """YAML errors carry their position separately; put it in the one-line message."""
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        mark = error.problem_mark
        problem = error.problem or error.context or "syntax error"
        return f"{problem} (line {mark.line + 1}, column {mark.column + 1})"
    return _first_line(error)


def _first_line(error: object) -> str:
    lines = str(error).strip().splitlines()
    text = lines[0] if lines else type(error).__name__
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 3] + "..."
