"""Loads ``generator/config.yaml`` into a typed object, failing early on a malformed config."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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


#: How iter()/aiter() find the next page (``pagination.style``).
PAGINATION_STYLES = ("cursor", "page_number", "next_url")


@dataclass(frozen=True)
class Pagination:
    """Which operations get iter()/aiter() and how they walk pages (see config.yaml)."""

    cursor_param: str
    next_cursor_field: str
    exclude: tuple[str, ...]
    expect: tuple[str, ...]
    #: ``cursor`` (cursor_param + next_cursor_field), ``page_number`` (page_param counted up
    #: while next_field is set: DRF's count/next/previous/results) or ``next_url`` (follow the
    #: absolute URL in next_field, as DRF's or any link-style API gives it).
    style: str = "cursor"
    page_param: str = "page"
    next_field: str = "next"


@dataclass(frozen=True)
class UpdateSettings:
    """What ``python -m generator update`` checks the new package against (see config.yaml)."""

    typecheck: tuple[str, ...]
    importable: tuple[str, ...]


#: What each class of problem in a document gets unless the config says otherwise (``policies:``).
#: Every policy also accepts ``refuse`` (what ``--strict`` applies to all of them).
POLICY_CHOICES: dict[str, tuple[str, ...]] = {
    # an operation without tags goes to the tag named by ``default_tag``
    "untagged": ("default_tag", "refuse"),
    # an operation with several tags is generated once, under its first tag
    "multiple_tags": ("first", "refuse"),
    # a missing, duplicate or unusable operationId is derived from method and path
    "operation_id": ("derive", "refuse"),
    # two tags that make the same Python name, or a tag named like a package attribute
    "tag_name": ("rename", "refuse"),
    # an operation documenting no 2xx response (e.g. redirects only) returns the httpx.Response
    "no_success_response": ("raw_response", "refuse"),
    # bodies in content types other than JSON/form/multipart are sent/returned as bytes
    "non_json_body": ("bytes", "refuse"),
    # a parameter whose Python name shadows an SDK argument or another parameter gets another
    # Python name (``client`` -> ``client_``); its wire name is kept
    "parameter_name": ("rename", "refuse"),
    # a parameter described by ``content`` instead of ``schema`` is sent as a string
    "parameter_without_schema": ("string", "refuse"),
    # two schemas whose model classes would get the same name
    "model_name": ("rename", "refuse"),
    # a schema keyword openapi-python-client rejects (e.g. an empty enum) is dropped
    "invalid_schema_keyword": ("drop", "refuse"),
    # a schema openapi-python-client cannot represent becomes Any / dict[str, Any] (that part only)
    "unrepresentable_schema": ("loose", "refuse"),
}
DEFAULT_POLICIES = {name: choices[0] for name, choices in POLICY_CHOICES.items()}


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
    #: Policy name -> choice (see POLICY_CHOICES); optional in the config file.
    policies: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_POLICIES))
    #: Tag given to operations without one (policy ``untagged``).
    default_tag: str = "default"
    #: Operations left out, by operationId or ``METHOD /path``.
    exclude: tuple[str, ...] = ()
    #: Property names that are never secret although they match a secret pattern.
    public_fields: frozenset[str] = frozenset()
    #: The ``session:`` section (a generated SessionClient; see generator/session.py), or None.
    session: dict[str, Any] | None = None
    #: ``--strict``: today's refusals (openapi-spec-validator, every oddity refused).
    strict_mode: bool = False

    def strict(self) -> Settings:
        """The same settings with every policy set to ``refuse`` (``--strict``)."""
        return replace(self, policies=dict.fromkeys(self.policies, "refuse"), strict_mode=True)

    def adapts(self, policy: str) -> bool:
        return self.policies[policy] != "refuse"


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


def _pagination_style(raw: dict[str, Any], where: str) -> dict[str, str]:
    """The optional ``style``, ``page_param`` and ``next_field`` keys of ``pagination``."""
    found: dict[str, str] = {}
    for key in ("style", "page_param", "next_field"):
        if key in raw:
            found[key] = _require(raw, key, str, where)
    style = found.get("style", "cursor")
    if style not in PAGINATION_STYLES:
        raise GenerationError(
            f"{where}: 'style' must be one of {', '.join(PAGINATION_STYLES)}, got {style!r}"
        )
    return found


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
        **_pagination_style(raw_pagination, f"{where}: pagination"),
    )
    raw_update = _require(data, "update", dict, where)
    update = UpdateSettings(
        typecheck=_paths(raw_update, "typecheck", f"{where}: update"),
        importable=_paths(raw_update, "importable", f"{where}: update"),
    )
    timeout = data.get("verify_timeout_seconds")
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise GenerationError(f"{where}: 'verify_timeout_seconds' must be a positive number")
    policies = dict(DEFAULT_POLICIES)
    raw_policies = data.get("policies") or {}
    if not isinstance(raw_policies, dict):
        raise GenerationError(f"{where}: 'policies' must be a mapping")
    for name, choice in raw_policies.items():
        if name not in POLICY_CHOICES:
            raise GenerationError(
                f"{where}: policies: unknown policy {name!r} (known: {', '.join(POLICY_CHOICES)})"
            )
        if choice not in POLICY_CHOICES[name]:
            raise GenerationError(
                f"{where}: policies: {name} must be one of {', '.join(POLICY_CHOICES[name])}, "
                f"got {choice!r}"
            )
        policies[name] = choice
    default_tag = data.get("default_tag", "default")
    if not isinstance(default_tag, str) or not default_tag.strip():
        raise GenerationError(f"{where}: 'default_tag' must be a non-empty string")
    optional_lists = {key: data.get(key) or [] for key in ("exclude", "public_fields")}
    for key, values in optional_lists.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise GenerationError(f"{where}: {key!r} must be a list of strings")
    session = data.get("session")
    if session is not None and not isinstance(session, dict):
        raise GenerationError(f"{where}: 'session' must be a mapping (or left out)")
    return Settings(
        path=path,
        session=session,
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
        policies=policies,
        default_tag=default_tag,
        exclude=tuple(optional_lists["exclude"]),
        public_fields=frozenset(name.lower() for name in optional_lists["public_fields"]),
    )
