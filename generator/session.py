"""The ``session:`` section: which operations log in, refresh and log out, and their fields.

From it the generator writes ``<package>/session.py``: a token binding (``sdk_session``'s
``ConfiguredBinding`` with the paths of the generated operations) and a ``SessionClient`` that is
the package's own ``Client``, so an SDK for another upstream needs no hand-written session code.

Every key may be left out: it is then inferred from the document (an operation whose request
has a password and a username/email field and whose answer has an access token logs in; one
whose request carries a refresh token and whose answer has an access token refreshes; one named
``logout`` logs out). A key given in the config wins over inference; ``null`` means "none". The
report says, per key, what was inferred and what configured. A key that names something the
document does not have is refused.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass, field
from typing import Any

from openapi_python_client.strings import snake_case

from .errors import GenerationError
from .plan import OperationPlan, SdkPlan
from .validate import iter_operations, resolve_ref

KEYS = (
    "login",
    "refresh",
    "logout",
    "username_field",
    "password_field",
    "refresh_request_field",
    "access_field",
    "refresh_field",
    "token_type_field",
    "expires_in_field",
    "body",
)
#: Keys whose value may be null (no such operation or field).
OPTIONAL = frozenset({"logout", "token_type_field", "expires_in_field"})
_USERNAMES = ("username", "email", "login", "user", "user_name", "userName")
_PASSWORDS = ("password", "passwd", "pass")
_ACCESS = ("access_token", "access", "accessToken", "token", "jwt")
_REFRESH = ("refresh_token", "refresh", "refreshToken")


@dataclass(frozen=True)
class SessionPlan:
    """What ``session.py.jinja`` renders."""

    login: OperationPlan
    refresh: OperationPlan
    logout: OperationPlan | None
    username_field: str
    password_field: str
    refresh_request_field: str
    access_field: str
    refresh_field: str
    token_type_field: str | None
    expires_in_field: str | None
    body: str
    notes: list[str] = field(default_factory=list)

    @property
    def username_arg(self) -> str:
        """The name ``SessionClient.login`` gives its first argument (the login field's)."""
        name = snake_case(self.username_field)
        usable = name.isidentifier() and not keyword.iskeyword(name)
        return name if usable and name not in ("self", "password") else "username"


def _json_properties(spec: dict[str, Any], media_holder: Any) -> tuple[dict[str, Any], str]:
    """(properties, content type) of the first JSON or form schema of a body or response."""
    holder = resolve_ref(spec, media_holder)
    content = holder.get("content") if isinstance(holder, dict) else None
    if not isinstance(content, dict):
        return {}, ""
    for content_type, media in content.items():
        if ("json" in content_type or "form-urlencoded" in content_type) and isinstance(
            media, dict
        ):
            schema = resolve_ref(spec, media.get("schema"))
            properties: dict[str, Any] = {}
            for part in [schema, *(schema.get("allOf") or [])] if isinstance(schema, dict) else []:
                part = resolve_ref(spec, part)
                if isinstance(part, dict) and isinstance(part.get("properties"), dict):
                    properties.update(part["properties"])
            return properties, str(content_type)
    return {}, ""


def _success(spec: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    for code, response in (operation.get("responses") or {}).items():
        if str(code).startswith("2"):
            return _json_properties(spec, response)[0]
    return {}


def _first(names: tuple[str, ...], properties: dict[str, Any]) -> str | None:
    return next((name for name in names if name in properties), None)


def infer(spec: dict[str, Any]) -> dict[str, Any]:
    """Every key the document lets us infer (operationIds and field names)."""
    found: dict[str, Any] = {}
    for path, method, operation in iter_operations(spec):
        request, content_type = _json_properties(spec, operation.get("requestBody"))
        answer = _success(spec, operation)
        access = _first(_ACCESS, answer)
        op_id = str(operation.get("operationId") or "")
        if "login" not in found and access and method == "post":
            password = _first(_PASSWORDS, request)
            username = _first(_USERNAMES, request)
            if password and username:
                found.update(
                    login=op_id,
                    username_field=username,
                    password_field=password,
                    access_field=access,
                    body="form" if "form" in content_type else "json",
                )
                refresh = _first(_REFRESH, answer)
                if refresh:
                    found["refresh_field"] = refresh
                found["token_type_field"] = "token_type" if "token_type" in answer else None
                found["expires_in_field"] = "expires_in" if "expires_in" in answer else None
                continue
        refresh_in = _first(_REFRESH, request)
        if "refresh" not in found and access and refresh_in and not _first(_PASSWORDS, request):
            found.update(refresh=op_id, refresh_request_field=refresh_in)
            continue
        if "logout" not in found and method == "post" and "logout" in (op_id + path).lower():
            found["logout"] = op_id
    found.setdefault("logout", None)
    return found


def _operation(plan: SdkPlan, operation_id: str, key: str) -> OperationPlan:
    for op in plan.operations:
        if operation_id in (op.operation_id, op.qualified, f"{op.method} {op.path}"):
            return op
    raise GenerationError(
        f"session.{key}: {operation_id!r} is not a generated operation (give its operationId)"
    )


def resolve(raw: dict[str, Any], spec: dict[str, Any], plan: SdkPlan) -> SessionPlan:
    """The session to generate: the config's keys over the inferred ones, checked."""
    unknown = sorted(set(raw) - set(KEYS))
    if unknown:
        raise GenerationError(f"session: unknown key(s) {', '.join(unknown)} (known: {KEYS})")
    inferred = infer(spec)
    values: dict[str, Any] = {}
    notes: list[str] = []
    problems: list[str] = []
    for key in KEYS:
        if key in raw:
            values[key], how = raw[key], "configured"
        elif key in inferred:
            values[key], how = inferred[key], "inferred"
        else:
            problems.append(f"session.{key}: not configured and not inferable from the document")
            continue
        value = values[key]
        if value is None and key not in OPTIONAL:
            problems.append(f"session.{key}: may not be null")
        elif value is not None and not isinstance(value, str):
            problems.append(f"session.{key}: must be a string")
        notes.append(f"session {key}: {value if value is not None else 'none'} ({how})")
    if values.get("body") not in (None, "json", "form"):
        problems.append(f"session.body: must be json or form, got {values.get('body')!r}")
    if problems:
        raise GenerationError("refusing to generate the session module", problems)
    login = _operation(plan, values["login"], "login")
    refresh = _operation(plan, values["refresh"], "refresh")
    logout = _operation(plan, values["logout"], "logout") if values["logout"] else None
    _check_fields(spec, login, refresh, values)
    return SessionPlan(
        login=login,
        refresh=refresh,
        logout=logout,
        username_field=values["username_field"],
        password_field=values["password_field"],
        refresh_request_field=values["refresh_request_field"],
        access_field=values["access_field"],
        refresh_field=values["refresh_field"],
        token_type_field=values["token_type_field"],
        expires_in_field=values["expires_in_field"],
        body=values["body"],
        notes=notes,
    )


def _raw_operation(spec: dict[str, Any], op: OperationPlan) -> dict[str, Any]:
    operation: dict[str, Any] = spec["paths"][op.path][op.method.lower()]
    return operation


def _check_fields(
    spec: dict[str, Any], login: OperationPlan, refresh: OperationPlan, values: dict[str, Any]
) -> None:
    """Every configured field exists where the binding will look for it."""
    problems: list[str] = []
    checks = (
        (login, "request", ("username_field", "password_field")),
        (login, "response", ("access_field", "refresh_field", "token_type_field")),
        (login, "response", ("expires_in_field",)),
        (refresh, "request", ("refresh_request_field",)),
        (refresh, "response", ("access_field",)),
    )
    for op, where, keys in checks:
        operation = _raw_operation(spec, op)
        properties = (
            _json_properties(spec, operation.get("requestBody"))[0]
            if where == "request"
            else _success(spec, operation)
        )
        for key in keys:
            name = values[key]
            if name is not None and name not in properties:
                problems.append(
                    f"session.{key}: {op.operation_id!r} ({op.method} {op.path}) has no {where} "
                    f"field {name!r} (it has: {', '.join(sorted(properties)) or 'none'})"
                )
    if problems:
        raise GenerationError("refusing to generate the session module", problems)
