"""The API reference page, ``<package>/API.md``: every namespace and operation with its
signature, result, errors and an example call.

It is rendered from the same parse as the code, in the same run, so ``python -m generator
--check`` fails when the page and the SDK disagree. The template is ``api_reference.md.jinja``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment
from openapi_python_client.parser.properties import EnumProperty, LiteralEnumProperty, ModelProperty
from openapi_python_client.parser.properties.boolean import BooleanProperty
from openapi_python_client.parser.properties.date import DateProperty
from openapi_python_client.parser.properties.datetime import DateTimeProperty
from openapi_python_client.parser.properties.float import FloatProperty
from openapi_python_client.parser.properties.int import IntProperty
from openapi_python_client.parser.properties.list_property import ListProperty
from openapi_python_client.parser.properties.protocol import PropertyProtocol

from .plan import OperationPlan, SdkPlan, raw_text

TEMPLATE = "api_reference.md.jinja"
FILE_NAME = "API.md"

#: The ``errors`` class raised for a documented status (others: ServerError/UnexpectedStatus).
ERROR_CLASSES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
    422: "UnprocessableEntity",
    429: "TooManyRequests",
}


def _error_class(low: int, high: int) -> str:
    if low == high and low in ERROR_CLASSES:
        return ERROR_CLASSES[low]
    return "ServerError" if low >= 500 else "UnexpectedStatus"


def documented_errors(op: OperationPlan) -> list[tuple[str, str]]:
    """``(status, errors class)`` for every non-2xx response the spec documents."""
    found: list[tuple[str, str]] = []
    for response in op.endpoint.responses:
        code_range = response.status_code.range
        if code_range is None:
            continue
        low, high = code_range
        if 200 <= low <= 299:
            continue
        status = str(low) if low == high else f"{str(low)[0]}XX"
        entry = (status, _error_class(low, high))
        if entry not in found:
            found.append(entry)
    return sorted(found)


def _example(prop: PropertyProtocol) -> str:
    """A Python literal a caller could pass for ``prop`` (its JSON form)."""
    example = getattr(prop, "example", None)
    if isinstance(prop, EnumProperty):
        return json.dumps(str(next(iter(prop.values.values()))))
    if isinstance(example, str) and not isinstance(prop, ModelProperty | ListProperty):
        return example if isinstance(prop, IntProperty | FloatProperty) else json.dumps(example)
    if isinstance(prop, BooleanProperty):
        return "True"
    if isinstance(prop, IntProperty):
        return "1"
    if isinstance(prop, FloatProperty):
        return "9.5"
    if isinstance(prop, DateTimeProperty):
        return '"2024-01-31T12:00:00Z"'
    if isinstance(prop, DateProperty):
        return '"2024-01-31"'
    if isinstance(prop, ListProperty):
        return "[]"
    if isinstance(prop, ModelProperty):
        return _dict_example(prop)
    name = str(prop.python_name)
    return json.dumps("demo@example.com" if "email" in name else f"some {name}")


def _dict_example(model: ModelProperty) -> str:
    """The model's required fields, or its first field when none is required."""
    fields = list(model.required_properties or []) or list(model.optional_properties or [])[:1]
    return "{" + ", ".join(f"{json.dumps(raw_text(p.name))}: {_example(p)}" for p in fields) + "}"


def model_fields(model: ModelProperty) -> str:
    """``name: type`` of every attribute, required ones first (as on the attrs class); for a
    Markdown table cell, so ``|`` is escaped."""
    fields = [*(model.required_properties or []), *(model.optional_properties or [])]
    text = ", ".join(
        f"`{p.python_name}: {p.get_type_string().as_unembedded_code()}`" for p in fields
    )
    return text.replace("|", "\\|")


def enum_values(enum: EnumProperty | LiteralEnumProperty) -> str:
    # With literal_enums: true the values are a set (no member names).
    values = enum.values.values() if isinstance(enum.values, dict) else sorted(enum.values, key=str)
    return ", ".join(f"`{json.dumps(value)}`" for value in values)


def example_call(op: OperationPlan) -> str:
    """One line calling ``op`` with its required arguments (a plain dict for a model body)."""
    endpoint = op.endpoint
    args = ["client"]
    args += [f"{p.python_name}={_example(p)}" for p in endpoint.path_parameters]
    for body in endpoint.bodies:
        if body.prop.required:
            args.append(f"body={_example(body.prop)}")
    others = endpoint.query_parameters + endpoint.header_parameters + endpoint.cookie_parameters
    args += [f"{p.python_name}={_example(p)}" for p in others if p.required]
    call = f"sdk.{op.tag}.{op.name}({', '.join(args)})"
    if op.return_type == "None":
        return call
    return f"result = {call}  # {op.return_type}"


def write_reference(env: Environment, plan: SdkPlan, package_dir: Path, **context: Any) -> None:
    """Render the reference page into ``package_dir``."""
    text = env.get_template(TEMPLATE).render(
        documented_errors=documented_errors,
        example_call=example_call,
        model_fields=model_fields,
        enum_values=enum_values,
        raw=raw_text,
        **context,
    )
    (package_dir / FILE_NAME).write_text(text, encoding="utf-8")
