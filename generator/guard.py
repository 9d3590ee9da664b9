"""Turns an unexpected exception inside openapi-python-client (or our code) into a located report.

openapi-python-client raises plain exceptions on some documents (``ValueError: Duplicate key ...``
from an enum, a KeyError deep in a union). A traceback tells a user nothing about their document;
this names the schema, property or operation being worked on (read from the failing call stack)
and says it is a bug to report, not a problem of the document.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from .errors import GenerationError
from .plan import exclude_line

_OURS = str(Path(__file__).resolve().parent)

#: Functions of openapi-python-client 0.29.1 whose locals say what is being parsed.
_SCHEMA_LOOPS = ("_create_schemas", "_process_models")
_OPERATION_LOOPS = ("from_data",)


def _text(value: Any) -> str:
    getter = getattr(value, "get_untrusted_value", None)
    return str(getter() if getter is not None else value)


def _frames(tb: TracebackType | None) -> Iterator[tuple[str, str, dict[str, Any]]]:
    while tb is not None:
        code = tb.tb_frame.f_code
        yield code.co_filename, code.co_name, tb.tb_frame.f_locals
        tb = tb.tb_next


def where_it_failed(exc: BaseException) -> list[str]:
    """What openapi-python-client was working on when ``exc`` was raised (outermost first)."""
    found: list[str] = []
    for filename, function, local in _frames(exc.__traceback__):
        if "openapi_python_client" not in filename:
            label = local.get("label") if filename.startswith(_OURS) else None
            if isinstance(label, str) and label.startswith("operation "):
                found.append(label)  # our own code names the operation it works on ``label``
            continue
        if function in _SCHEMA_LOOPS and "name" in local:
            name = _text(local["name"])
            found.append(f"schema {name!r} (/components/schemas/{name})")
        elif (
            function in _OPERATION_LOOPS
            and "path" in local
            and "method" in local
            and "openapi.py" in filename
        ):
            found.append(f"operation {str(local['method']).upper()} {_text(local['path'])}")
        elif function == "property_from_data" and "name" in local:
            found.append(f"property {_text(local['name'])!r}")
    unique: list[str] = []
    for item in found:
        if item not in unique:
            unique.append(item)
    return unique


def _remedy(located: list[str]) -> str | None:
    """The ``exclude:`` line that leaves out the outermost operation or schema located."""
    for item in located:
        if item.startswith("schema "):
            name = item.split("'")[1] if "'" in item else item.split()[1]
            return f"{exclude_line(f'#/components/schemas/{name}')} leaves that schema out"
        if item.startswith("operation "):
            where = item.split(" (", 1)[-1].rstrip(")") if "(" in item else item[10:]
            return f"{exclude_line(where)} leaves that operation out"
    return None


@contextlib.contextmanager
def reported_as_bug(doing: str) -> Iterator[None]:
    """Within the block, an exception other than a GenerationError becomes one that locates it."""
    try:
        yield
    except GenerationError:
        raise
    except Exception as exc:
        located = where_it_failed(exc)
        message = " ".join(f"{type(exc).__name__}: {exc}".split())
        problems = [message[:500]]
        if located:
            problems.append("while working on " + " > ".join(located))
        remedy = _remedy(located)
        problems.append(
            "this is a bug of the generator or openapi-python-client, not of the document: please "
            "report it with the document; meanwhile "
            + (remedy or "`exclude:` in the config can leave out the operation or schema involved")
        )
        raise GenerationError(f"internal error while {doing}", problems) from exc
