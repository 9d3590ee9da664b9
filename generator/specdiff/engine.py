"""The two entry points: compare two documents already in memory, or two files."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .compare_operations import compare_documents
from .errors import SpecInvalidError
from .findings import DiffResult
from .load import load_spec, string_keys, validate_spec
from .resolve import as_mapping


def diff_documents(
    old: Mapping[str, Any], new: Mapping[str, Any], *, validate: bool = True
) -> DiffResult:
    """Compare two OpenAPI 3.0/3.1 documents (raises ``SpecInvalidError`` if either is invalid).

    With ``validate=False`` the comparison still never fails on malformed input: parts it
    cannot read are treated as absent.
    """
    documents: list[dict[str, Any]] = []
    for side, document in (("old", old), ("new", new)):
        if not isinstance(document, Mapping):
            raise SpecInvalidError(f"expected a mapping, got {type(document).__name__}", side)
        converted = string_keys(document)
        if validate:
            validate_spec(converted, side)
        documents.append(converted)
    old_doc, new_doc = documents
    return DiffResult.from_findings(
        compare_documents(old_doc, new_doc), _version(old_doc), _version(new_doc)
    )


def diff_files(old_path: str | Path, new_path: str | Path) -> DiffResult:
    """Load, validate and compare two spec files (YAML or JSON)."""
    old = load_spec(old_path)
    new = load_spec(new_path)
    return diff_documents(old, new, validate=False)


def _version(document: Mapping[str, Any]) -> str:
    version = as_mapping(document.get("info")).get("version")
    return version if isinstance(version, str) else ""
