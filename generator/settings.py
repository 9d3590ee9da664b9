"""Loads ``generator/config.yaml`` into a typed object, failing early on a malformed config."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import GenerationError

GENERATOR_DIR = Path(__file__).resolve().parent
DEFAULT_CONFIG = GENERATOR_DIR / "config.yaml"
TEMPLATES_DIR = GENERATOR_DIR / "templates"
RUFF_CONFIG = GENERATOR_DIR / "codegen-ruff.toml"
MYPY_CONFIG = GENERATOR_DIR / "codegen-mypy.ini"


@dataclass(frozen=True)
class ErrorModel:
    name: str
    code_field: str
    message_field: str


@dataclass(frozen=True)
class Pagination:
    cursor_param: str
    next_cursor_field: str
    exclude: tuple[str, ...]
    expect: tuple[str, ...]


@dataclass(frozen=True)
class UpdateSettings:
    """What ``python -m generator update`` checks the new package against (see config.yaml)."""

    typecheck: tuple[str, ...]
    importable: tuple[str, ...]


@dataclass(frozen=True)
class Settings:
    path: Path
    package_name: str
    header: str
    openapi_python_client: dict[str, Any]
    preferred_request_content_types: tuple[str, ...]
    error_model: ErrorModel | None
    pagination: Pagination
    reserved_parameter_names: frozenset[str]
    reserved_tag_names: frozenset[str]
    reserved_operation_names: frozenset[str]
    secret_fields: frozenset[str]
    update: UpdateSettings
    verify_timeout_seconds: float


def _require(data: dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in data:
        raise GenerationError(f"{where}: missing key {key!r}")
    value = data[key]
    if not isinstance(value, kind):
        raise GenerationError(f"{where}: {key!r} must be a {kind.__name__}")
    return value


def _strings(data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = _require(data, key, list, where)
    if not all(isinstance(value, str) for value in values):
        raise GenerationError(f"{where}: {key!r} must be a list of strings")
    return tuple(values)


def _paths(data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    """Top-level folders or files of the project, given relative to its root."""
    values = _strings(data, key, where)
    for value in values:
        parts = Path(value).parts
        if not parts or Path(value).is_absolute() or ".." in parts or len(parts) != 1:
            raise GenerationError(
                f"{where}: {key!r} entries must be top-level names in the project, got {value!r}"
            )
    return values


def load_settings(path: Path = DEFAULT_CONFIG) -> Settings:
    """Read and check the config; every key is required so nothing depends on hidden defaults."""
    where = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GenerationError(f"cannot read generator config {where}: {exc}") from exc
    if not isinstance(data, dict):
        raise GenerationError(f"{where}: the config must be a mapping")

    error_model: ErrorModel | None = None
    raw_error = data.get("error_model")
    if raw_error is not None:
        if not isinstance(raw_error, dict):
            raise GenerationError(f"{where}: 'error_model' must be a mapping or null")
        error_model = ErrorModel(
            name=_require(raw_error, "name", str, f"{where}: error_model"),
            code_field=_require(raw_error, "code_field", str, f"{where}: error_model"),
            message_field=_require(raw_error, "message_field", str, f"{where}: error_model"),
        )
    raw_pagination = _require(data, "pagination", dict, where)
    pagination = Pagination(
        cursor_param=_require(raw_pagination, "cursor_param", str, f"{where}: pagination"),
        next_cursor_field=_require(
            raw_pagination, "next_cursor_field", str, f"{where}: pagination"
        ),
        exclude=_strings(raw_pagination, "exclude", f"{where}: pagination"),
        expect=_strings(raw_pagination, "expect", f"{where}: pagination"),
    )
    raw_update = _require(data, "update", dict, where)
    update = UpdateSettings(
        typecheck=_paths(raw_update, "typecheck", f"{where}: update"),
        importable=_paths(raw_update, "importable", f"{where}: update"),
    )
    timeout = data.get("verify_timeout_seconds")
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise GenerationError(f"{where}: 'verify_timeout_seconds' must be a positive number")
    return Settings(
        path=path,
        package_name=_require(data, "package_name", str, where),
        header=_require(data, "header", str, where),
        openapi_python_client=_require(data, "openapi_python_client", dict, where),
        preferred_request_content_types=_strings(data, "preferred_request_content_types", where),
        error_model=error_model,
        pagination=pagination,
        reserved_parameter_names=frozenset(_strings(data, "reserved_parameter_names", where)),
        reserved_tag_names=frozenset(_strings(data, "reserved_tag_names", where)),
        reserved_operation_names=frozenset(_strings(data, "reserved_operation_names", where)),
        secret_fields=frozenset(name.lower() for name in _strings(data, "secret_fields", where)),
        update=update,
        verify_timeout_seconds=float(timeout),
    )
