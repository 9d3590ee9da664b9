"""Compare two versions of an OpenAPI document and classify each change for SDK callers.

The generated SDK exposes ``sdk.<tag>.<operation_id>(...)`` with parameters as keyword
arguments and attrs models for bodies, so a change is breaking when code written against
the SDK of the old document would fail against the new one (see ``rules`` for the policy).

    result = diff_files("old.yaml", "new.yaml")
    print(render(result, "table"))
"""

from .cli import main
from .engine import diff_documents, diff_files
from .errors import SpecError, SpecInvalidError, SpecLoadError
from .findings import DiffResult, Finding, Kind
from .load import load_spec, validate_spec
from .render import FORMATS, Format, render

__all__ = [
    "FORMATS",
    "DiffResult",
    "Finding",
    "Format",
    "Kind",
    "SpecError",
    "SpecInvalidError",
    "SpecLoadError",
    "diff_documents",
    "diff_files",
    "load_spec",
    "main",
    "render",
    "validate_spec",
]
