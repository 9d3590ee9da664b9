"""The ``session:`` section: how the generated ``SessionClient`` obtains and renews its tokens.

From it the generator writes ``<package>/session.py``: a token binding (``sdk_session``'s
``ConfiguredBinding``, or ``sdk_session.oauth2.OAuth2Binding`` for a standard OAuth2 token
endpoint) and a ``SessionClient`` that is the package's own ``Client``, so an SDK for another
upstream needs no hand-written session code.

``kind`` decides how (inferred from the document unless configured):

* ``oauth2``: the document declares an OAuth2 scheme with a ``password`` or ``clientCredentials``
  flow (``components.securitySchemes``). Logging in is the flow's grant at its ``tokenUrl``
  (RFC 6749 §4.3 / §4.4, form bodies); refreshing the refresh_token grant (§6) at ``refreshUrl``
  or else ``tokenUrl``, which may be the same operation as the login, or no operation at all (the
  flow's URL is enough). When the token endpoint is in ``paths`` and its answer declares no
  ``refresh_token``, the upstream is login-only (``refresh_url: null``): sessions renew by logging
  in again. The client credentials grant has no refresh (RFC 6749 §4.4.3): the session obtains a
  new token with the client's credentials.
* ``operations``: non-standard token operations, recognised by their fields: an operation whose
  request has a password and a username/email field and whose answer has an access token logs
  in; one whose request carries a refresh token and whose answer has an access token refreshes;
  one named ``logout`` logs out.

Every key may be left out: it is then inferred. A key given in the config wins over inference;
``null`` means "none". The report says, per key, what was inferred (and why) and what configured.
A key that names something the document does not have is refused.
"""

from __future__ import annotations

import json
import keyword
from dataclasses import dataclass, field
from typing import Any

from openapi_python_client.strings import snake_case

from .errors import GenerationError
from .plan import OperationPlan, SdkPlan, tuple_literal
from .security import FLOW_GRANTS, Scheme, read_schemes, required_scopes
from .validate import iter_operations, resolve_ref

#: Keys of every kind (``operations`` and ``oauth2``).
COMMON_KEYS = (
    "kind",
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
    "login_fields",
    "refresh_fields",
    "revocation_url",
)
#: Keys of ``kind: oauth2`` only.
OAUTH2_KEYS = ("scheme", "grant", "token_url", "refresh_url", "scopes", "client_auth")
KEYS = COMMON_KEYS + OAUTH2_KEYS
#: Keys whose value may be null (no such operation or field).
OPTIONAL = frozenset(
    {
        "logout",
        "refresh",
        "token_type_field",
        "expires_in_field",
        "revocation_url",
        "refresh_url",
        "login",
        "scheme",
        "refresh_request_field",
        "refresh_field",
    }
)
#: Keys whose value is not a string.
_MAPPINGS = frozenset({"login_fields", "refresh_fields"})
KINDS = ("operations", "oauth2")
GRANTS = ("password", "client_credentials")
CLIENT_AUTH = ("client_secret_basic", "client_secret_post")
_USERNAMES = ("username", "email", "login", "user", "user_name", "userName")
_PASSWORDS = ("password", "passwd", "pass")
_ACCESS = ("access_token", "access", "accessToken", "token", "jwt")
_REFRESH = ("refresh_token", "refresh", "refreshToken")
#: RFC 6749's names, the defaults of ``sdk_session.oauth2.OAuth2Binding``.
RFC6749 = {
    "username_field": "username",
    "password_field": "password",
    "refresh_request_field": "refresh_token",
    "access_field": "access_token",
    "refresh_field": "refresh_token",
    "token_type_field": "token_type",
    "expires_in_field": "expires_in",
    "body": "form",
}


@dataclass(frozen=True)
class SessionPlan:
    """What ``session.py.jinja`` renders."""

    login: OperationPlan | None
    refresh: OperationPlan | None
    logout: OperationPlan | None
    username_field: str
    password_field: str
    refresh_request_field: str | None
    access_field: str
    refresh_field: str | None
    token_type_field: str | None
    expires_in_field: str | None
    body: str
    notes: list[str] = field(default_factory=list)
    kind: str = "operations"
    #: The securitySchemes entry the session serves (``kind: oauth2``), else None.
    scheme: str | None = None
    grant: str = "password"
    #: Token endpoint (``kind: oauth2``): a path joined to base_url, or an absolute URL.
    token_url: str | None = None
    #: Refresh endpoint (``kind: oauth2``); None: no refresh (login-only or client credentials).
    refresh_url: str | None = None
    revocation_url: str | None = None
    scopes: tuple[str, ...] = ()
    client_auth: str = "client_secret_basic"
    login_fields: dict[str, str] = field(default_factory=dict)
    refresh_fields: dict[str, str] = field(default_factory=dict)
    #: The scheme's clientCredentials tokenUrl when the session's grant is the password grant
    #: and the scheme declares both: the SDK then also serves machine-to-machine clients.
    client_credentials_url: str | None = None

    @property
    def username_arg(self) -> str:
        """The name ``SessionClient.login`` gives its first argument (the login field's)."""
        name = snake_case(self.username_field)
        usable = name.isidentifier() and not keyword.iskeyword(name)
        return name if usable and name not in ("self", "password") else "username"

    @property
    def scopes_literal(self) -> str:
        """``scopes`` as a Python tuple literal."""
        return tuple_literal([json.dumps(scope) for scope in self.scopes])

    @property
    def oauth2(self) -> bool:
        return self.kind == "oauth2"

    @property
    def client_credentials(self) -> bool:
        return self.grant == "client_credentials"

    @property
    def renews(self) -> bool:
        """Whether the session has a refresh call (else it logs in again, or grants anew)."""
        return self.refresh_url is not None if self.oauth2 else self.refresh is not None


def _schema_properties(
    spec: dict[str, Any], schema: Any, *, writable: bool, depth: int = 0
) -> dict[str, Any]:
    """Properties of a schema and of its ``allOf``/``oneOf``/``anyOf`` parts (the union: a token
    endpoint described per grant as a ``oneOf`` has each grant's fields); ``writable`` leaves out
    ``readOnly`` ones."""
    schema = resolve_ref(spec, schema)
    if not isinstance(schema, dict) or depth > 20:
        return {}
    found: dict[str, Any] = {}
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key) or []:
            found.update(_schema_properties(spec, part, writable=writable, depth=depth + 1))
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for name, value in properties.items():
            prop = resolve_ref(spec, value)
            if writable and isinstance(prop, dict) and prop.get("readOnly") is True:
                continue
            found[name] = value
    return found


def _json_properties(
    spec: dict[str, Any], media_holder: Any, *, writable: bool = False
) -> tuple[dict[str, Any], str]:
    """(properties, content type) of the first JSON or form schema of a body or response."""
    holder = resolve_ref(spec, media_holder)
    content = holder.get("content") if isinstance(holder, dict) else None
    if not isinstance(content, dict):
        return {}, ""
    for content_type, media in content.items():
        if ("json" in content_type or "form-urlencoded" in content_type) and isinstance(
            media, dict
        ):
            return (
                _schema_properties(spec, media.get("schema"), writable=writable),
                str(content_type),
            )
    return {}, ""


def _content_types(spec: dict[str, Any], media_holder: Any) -> list[str]:
    holder = resolve_ref(spec, media_holder)
    content = holder.get("content") if isinstance(holder, dict) else None
    return [str(c) for c in content] if isinstance(content, dict) else []


def _success_response(operation: dict[str, Any]) -> Any:
    for code, response in (operation.get("responses") or {}).items():
        if str(code).startswith("2"):
            return response
    return None


def _success(spec: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    response = _success_response(operation)
    return _json_properties(spec, response)[0] if response is not None else {}


def _first(names: tuple[str, ...], properties: dict[str, Any]) -> str | None:
    return next((name for name in names if name in properties), None)


class Inference:
    """Values the document lets us infer, each with the reason the report gives."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.reasons: dict[str, str] = {}

    def set(self, key: str, value: Any, why: str = "") -> None:
        self.values[key] = value
        if why:
            self.reasons[key] = why


def infer(spec: dict[str, Any], raw: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every key the document lets us infer (with the keys configured in ``raw`` taken as given)."""
    return infer_with_reasons(spec, raw or {}).values


def infer_with_reasons(spec: dict[str, Any], raw: dict[str, Any]) -> Inference:
    found = Inference()
    schemes = read_schemes(spec)
    served = [s for s in schemes.values() if s.kind == "oauth2" and _grants(s)]
    kind = raw.get("kind")
    if kind is None:
        if served or "scheme" in raw or "grant" in raw or "token_url" in raw:
            first = served[0].name if served else "the config"
            found.set(
                "kind",
                "oauth2",
                f"securitySchemes.{first} has an OAuth2 password or clientCredentials flow"
                if served
                else "OAuth2 keys are configured",
            )
            kind = "oauth2"
        else:
            found.set("kind", "operations")
            kind = "operations"
    if kind == "oauth2":
        _infer_oauth2(spec, raw, schemes, served, found)
    else:
        _infer_operations(spec, found)
    return found


def _grants(scheme: Scheme) -> list[str]:
    return [FLOW_GRANTS[f.name] for f in scheme.flows if f.name in FLOW_GRANTS]


def _infer_operations(spec: dict[str, Any], found: Inference) -> None:
    values = found.values
    for path, method, operation in iter_operations(spec):
        request, content_type = _json_properties(spec, operation.get("requestBody"))
        answer = _success(spec, operation)
        access = _first(_ACCESS, answer)
        op_id = str(operation.get("operationId") or "")
        if "login" not in values and access and method == "post":
            password = _first(_PASSWORDS, request)
            username = _first(_USERNAMES, request)
            if password and username:
                values.update(
                    login=op_id,
                    username_field=username,
                    password_field=password,
                    access_field=access,
                    body="form" if "form" in content_type else "json",
                )
                refresh = _first(_REFRESH, answer)
                if refresh:
                    values["refresh_field"] = refresh
                values["token_type_field"] = "token_type" if "token_type" in answer else None
                values["expires_in_field"] = "expires_in" if "expires_in" in answer else None
                writable = _json_properties(spec, operation.get("requestBody"), writable=True)[0]
                refresh_in = _first(_REFRESH, writable)
                if refresh_in and "grant_type" in writable and "refresh" not in values:
                    # One token endpoint for both grants, told apart by grant_type (RFC 6749 §6).
                    found.set(
                        "refresh",
                        op_id,
                        f"{op_id} also takes {refresh_in!r} with grant_type (one endpoint for "
                        "both grants, RFC 6749 §6)",
                    )
                    values["refresh_request_field"] = refresh_in
                    found.set(
                        "login_fields",
                        {"grant_type": "password"},
                        "the login request has a grant_type field",
                    )
                    found.set("refresh_fields", {"grant_type": "refresh_token"}, "idem")
                continue
        refresh_in = _first(_REFRESH, request)
        if "refresh" not in values and access and refresh_in and not _first(_PASSWORDS, request):
            values.update(refresh=op_id, refresh_request_field=refresh_in)
            continue
        if "logout" not in values and method == "post" and "logout" in (op_id + path).lower():
            values["logout"] = op_id
    values.setdefault("logout", None)


def _normal(path: str) -> str:
    return "/" + path.lstrip("/")


def _operation_at(spec: dict[str, Any], url: str | None) -> tuple[str, dict[str, Any]] | None:
    """(operationId, operation) of the POST operation at ``url`` (a path, or an absolute URL
    whose path is one of the document's), if any."""
    if not url:
        return None
    target = _normal(url.split("://", 1)[1].split("/", 1)[1] if "://" in url else url)
    target = target.split("?", 1)[0]
    for path, method, operation in iter_operations(spec):
        if method == "post" and (_normal(path) == target or target.endswith(_normal(path))):
            if "://" not in url and _normal(path) != target:
                continue
            return str(operation.get("operationId") or ""), operation
    return None


def _operation_by_id(spec: dict[str, Any], op_id: Any) -> tuple[str, dict[str, Any]] | None:
    for path, method, operation in iter_operations(spec):
        if op_id in (operation.get("operationId"), f"{method.upper()} {path}"):
            return path, operation
    return None


def _infer_oauth2(
    spec: dict[str, Any],
    raw: dict[str, Any],
    schemes: dict[str, Scheme],
    served: list[Scheme],
    found: Inference,
) -> None:
    wanted_grant = raw.get("grant")
    scheme: Scheme | None = schemes.get(str(raw["scheme"])) if raw.get("scheme") else None
    if scheme is None and "scheme" not in raw:
        fitting = [s for s in served if wanted_grant is None or wanted_grant in _grants(s)]
        fitting.sort(key=lambda s: "password" not in _grants(s))
        scheme = fitting[0] if fitting else None
        if scheme is not None:
            found.set("scheme", scheme.name, f"securitySchemes.{scheme.name}")
        else:
            found.set("scheme", None, "no OAuth2 scheme with a supported flow")
    grants = _grants(scheme) if scheme is not None else []
    grant = wanted_grant
    if grant is None:
        grant = "password" if "password" in grants or not grants else grants[0]
        flow_key = "password" if grant == "password" else "clientCredentials"
        also = (
            "; flows.clientCredentials also declared: `grant: client_credentials` for "
            "machine-to-machine"
            if grant == "password" and "client_credentials" in grants
            else ""
        )
        where = (
            f"securitySchemes.{scheme.name}.flows.{flow_key}"
            if scheme is not None and grants
            else "the default"
        )
        found.set("grant", grant, where + also)
    flow_name = "password" if grant == "password" else "clientCredentials"
    flow = scheme.flow(flow_name) if scheme is not None else None
    prefix = f"securitySchemes.{scheme.name}.flows.{flow_name}" if scheme else "flows"

    token_url = raw.get("token_url")
    if token_url is None and raw.get("login"):
        located = _operation_by_id(spec, raw["login"])
        if located is not None:
            token_url = located[0]
            found.set("token_url", token_url, f"the path of the configured login {raw['login']}")
    if token_url is None and flow is not None and flow.token_url:
        token_url = flow.token_url
        found.set("token_url", token_url, f"{prefix}.tokenUrl")
    login = _operation_at(spec, token_url)
    if "login" not in raw:
        if login is not None:
            found.set("login", login[0], f"the operation at tokenUrl {token_url}")
        else:
            found.set(
                "login",
                None,
                f"tokenUrl {token_url} is not in paths; the flow's URL is enough"
                if token_url
                else "",
            )
    login_op = login[1] if login is not None else None
    if raw.get("login"):
        located = _operation_by_id(spec, raw["login"])
        login_op = located[1] if located is not None else None

    request: dict[str, Any] = {}
    answer: dict[str, Any] = {}
    if login_op is not None:
        request = _json_properties(spec, login_op.get("requestBody"), writable=True)[0]
        answer = _success(spec, login_op)
        types = _content_types(spec, login_op.get("requestBody"))
        if types and not any("form" in t for t in types) and any("json" in t for t in types):
            found.set("body", "json", "the token operation takes JSON only")
    found.values.setdefault("body", "form")
    found.reasons.setdefault("body", "RFC 6749 §4.3: form")
    for key in ("username_field", "password_field"):
        names = _USERNAMES if key == "username_field" else _PASSWORDS
        name = RFC6749[key] if RFC6749[key] in request else (_first(names, request) or RFC6749[key])
        found.set(key, name, "RFC 6749" if name == RFC6749[key] else "the token operation's field")
    for key in (
        "access_field",
        "refresh_field",
        "token_type_field",
        "expires_in_field",
        "refresh_request_field",
    ):
        found.set(key, RFC6749[key], "RFC 6749 §5.1" if key != "refresh_request_field" else "")
    found.set("logout", None)

    if grant == "client_credentials":
        refresh_url, why = (
            None,
            "client credentials: no refresh token (RFC 6749 §4.4.3), a new grant each time",
        )
    elif raw.get("refresh"):
        located = _operation_by_id(spec, raw["refresh"])
        refresh_url = located[0] if located is not None else None
        why = f"the path of the configured refresh {raw['refresh']}"
    elif "refresh" in raw:
        refresh_url, why = None, "refresh: null (login-only)"
    elif flow is not None and flow.refresh_url:
        refresh_url, why = flow.refresh_url, f"{prefix}.refreshUrl"
    elif answer and "refresh_token" not in answer:
        refresh_url = None
        why = (
            f"login-only: the token answer of {login[0] if login else raw.get('login')} declares "
            "no refresh_token; sessions renew by logging in again"
        )
    else:
        refresh_url = token_url
        why = f"the tokenUrl: {prefix} has no refreshUrl"
    if "refresh_url" not in raw:
        found.set("refresh_url", refresh_url, why)
    else:
        refresh_url = raw["refresh_url"]
    if "refresh" not in raw:
        at = _operation_at(spec, refresh_url)
        found.set(
            "refresh",
            at[0] if at else None,
            f"the operation at {refresh_url}"
            if at
            else (
                f"no operation at {refresh_url} in paths; refresh_url is enough"
                if refresh_url
                else "no refresh_url"
            ),
        )

    found.set(
        "login_fields",
        {"grant_type": grant},
        f"RFC 6749 §{'4.3.2' if grant == 'password' else '4.4.2'}",
    )
    found.set(
        "refresh_fields",
        {"grant_type": "refresh_token"} if refresh_url else {},
        "RFC 6749 §6" if refresh_url else "",
    )
    scopes = required_scopes(spec, scheme.name) if scheme is not None else ()
    found.set(
        "scopes",
        list(scopes),
        f"what operations require of {scheme.name}"
        if scopes and scheme is not None
        else "no operation requires one",
    )
    found.set("client_auth", "client_secret_basic", "RFC 6749 §2.3.1, when a secret is given")
    revoke = next(
        (
            path
            for path, method, _operation in iter_operations(spec)
            if method == "post" and "revoke" in path.lower()
        ),
        None,
    )
    found.set(
        "revocation_url",
        revoke,
        f"POST {revoke} (RFC 7009)" if revoke else "none in paths; set revocation_url for logout",
    )


def _operation(plan: SdkPlan, operation_id: str, key: str) -> OperationPlan:
    for op in plan.operations:
        if operation_id in (op.operation_id, op.qualified, f"{op.method} {op.path}"):
            return op
    raise GenerationError(
        f"session.{key}: {operation_id!r} is not a generated operation (give its operationId)"
    )


def _check_types(key: str, value: Any, problems: list[str]) -> None:
    if value is None:
        if key not in OPTIONAL:
            problems.append(f"session.{key}: may not be null")
    elif key in _MAPPINGS:
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            problems.append(f"session.{key}: must be a mapping of field names to strings")
    elif key == "scopes":
        if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
            problems.append("session.scopes: must be a list of strings")
    elif not isinstance(value, str):
        problems.append(f"session.{key}: must be a string")
    choices = {
        "body": ("json", "form"),
        "kind": KINDS,
        "grant": GRANTS,
        "client_auth": CLIENT_AUTH,
    }.get(key)
    if choices and value is not None and value not in choices:
        problems.append(f"session.{key}: must be {' or '.join(choices)}, got {value!r}")


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items()) or "none"
    if isinstance(value, list):
        return " ".join(value) or "none"
    return str(value)


def resolve(raw: dict[str, Any], spec: dict[str, Any], plan: SdkPlan) -> SessionPlan:
    """The session to generate: the config's keys over the inferred ones, checked."""
    unknown = sorted(set(raw) - set(KEYS))
    if unknown:
        raise GenerationError(f"session: unknown key(s) {', '.join(unknown)} (known: {KEYS})")
    inference = infer_with_reasons(spec, raw)
    inferred = inference.values
    kind = raw.get("kind", inferred.get("kind"))
    if kind not in KINDS:
        raise GenerationError(
            "refusing to generate the session module",
            [f"session.kind: must be {' or '.join(KINDS)}, got {kind!r}"],
        )
    if kind == "operations":
        misplaced = sorted(set(raw) & set(OAUTH2_KEYS))
        if misplaced:
            raise GenerationError(
                "refusing to generate the session module",
                [
                    f"session.{key}: only for `kind: oauth2` (this session is kind operations: "
                    "its login and refresh are operations of the document, named by `login` "
                    "and `refresh`)"
                    for key in misplaced
                ],
            )
    keys = ("kind", *OAUTH2_KEYS, *COMMON_KEYS[1:]) if kind == "oauth2" else COMMON_KEYS
    defaults: dict[str, Any] = {"login_fields": {}, "refresh_fields": {}, "revocation_url": None}
    if kind == "oauth2":
        defaults.update(token_url=None, refresh_url=None, login=None, refresh=None)
    values: dict[str, Any] = {}
    notes: list[str] = []
    problems: list[str] = []
    for key in keys:
        if key in raw:
            values[key], how = raw[key], "configured"
        elif key in inferred:
            values[key] = inferred[key]
            why = inference.reasons.get(key)
            how = f"inferred: {why}" if why else "inferred"
        elif key in defaults:
            values[key] = defaults[key]
            continue  # nothing to say: not used
        elif key in ("refresh_request_field", "refresh_field") and values.get("refresh") is None:
            # Login-only: no refresh call to fill in, no refresh token to expect.
            values[key] = None if key == "refresh_request_field" else "refresh_token"
            continue
        else:
            problems.append(f"session.{key}: not configured and not inferable from the document")
            continue
        value = values[key]
        _check_types(key, value, problems)
        if key in ("login_fields", "refresh_fields") and not value and how == "inferred":
            continue  # no fixed fields: the report stays as it was
        if key == "kind" and how == "inferred" and value == "operations":
            how = (
                "inferred: no OAuth2 password or clientCredentials flow in securitySchemes; "
                "login and refresh operations recognised by their fields"
            )
        notes.append(f"session {key}: {_shown(value)} ({how})")
    if kind == "oauth2" and values.get("token_url") is None:
        problems.append(
            "session.token_url: not configured and not inferable (no OAuth2 flow with a "
            "tokenUrl for this grant: set token_url, or login to the token operation)"
        )
    if kind == "operations" and "login" in values and values["login"] is None:
        problems.append("session.login: may not be null (kind operations logs in by an operation)")
    if problems:
        raise GenerationError("refusing to generate the session module", problems)
    login = _operation(plan, values["login"], "login") if values["login"] else None
    refresh = _operation(plan, values["refresh"], "refresh") if values["refresh"] else None
    logout = _operation(plan, values["logout"], "logout") if values["logout"] else None
    if kind == "operations":
        if refresh is None:
            values["refresh_request_field"] = values["refresh_request_field"] or "refresh_token"
            notes.append(
                "session: login-only (no refresh): sessions renew by logging in again with the "
                "credentials given to login() (or a credentials= provider)"
            )
        _check_fields(spec, login, refresh, values)
    else:
        if login is not None and values["grant"] == "password":
            _check_fields(spec, login, None, values, response=False)
        if values["grant"] == "client_credentials":
            notes.append(
                "session: client credentials: no login(); the session obtains a token with "
                "the client's credentials on first use, and a new one ahead of expiry and on 401"
            )
        elif values["refresh_url"] is None:
            notes.append(
                "session: login-only (no refresh): sessions renew by logging in again with the "
                "credentials given to login() (or a credentials= provider)"
            )
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
        kind=kind,
        scheme=values.get("scheme"),
        grant=values.get("grant") or "password",
        token_url=values.get("token_url"),
        refresh_url=values.get("refresh_url"),
        revocation_url=values.get("revocation_url"),
        scopes=tuple(values.get("scopes") or ()),
        client_auth=values.get("client_auth") or "client_secret_basic",
        login_fields=dict(values.get("login_fields") or {}),
        refresh_fields=dict(values.get("refresh_fields") or {}),
        client_credentials_url=_client_credentials_url(spec, values, notes),
    )


def _client_credentials_url(
    spec: dict[str, Any], values: dict[str, Any], notes: list[str]
) -> str | None:
    """The clientCredentials flow's tokenUrl beside a password-grant session, if declared."""
    if values.get("kind") != "oauth2" or values.get("grant") != "password":
        return None
    scheme = read_schemes(spec).get(str(values.get("scheme")))
    flow = scheme.flow("clientCredentials") if scheme is not None else None
    if flow is None or not flow.token_url:
        return None
    notes.append(
        f'session: SessionClient(grant="client_credentials", ...) uses flows.clientCredentials '
        f"(tokenUrl {flow.token_url}) for machine-to-machine clients"
    )
    return flow.token_url


def _raw_operation(spec: dict[str, Any], op: OperationPlan) -> dict[str, Any]:
    operation: dict[str, Any] = spec["paths"][op.path][op.method.lower()]
    return operation


def _check_fields(
    spec: dict[str, Any],
    login: OperationPlan | None,
    refresh: OperationPlan | None,
    values: dict[str, Any],
    *,
    response: bool = True,
) -> None:
    """Every configured field exists where the binding will look for it."""
    problems: list[str] = []
    checks: list[tuple[OperationPlan | None, str, tuple[str, ...]]] = [
        (login, "request", ("username_field", "password_field")),
    ]
    if response:
        checks += [
            (login, "response", ("access_field", "refresh_field", "token_type_field")),
            (login, "response", ("expires_in_field",)),
            (refresh, "request", ("refresh_request_field",)),
            (refresh, "response", ("access_field",)),
        ]
    for op, where, keys in checks:
        if op is None:
            continue
        operation = _raw_operation(spec, op)
        properties = (
            _json_properties(spec, operation.get("requestBody"))[0]
            if where == "request"
            else _success(spec, operation)
        )
        if not response and not properties:
            continue  # an OAuth2 token operation described without fields: RFC 6749's
        for key in keys:
            name = values[key]
            if key == "refresh_field" and refresh is None and name not in properties:
                continue  # login-only: the answer need not have one
            if name is not None and name not in properties:
                problems.append(
                    f"session.{key}: {op.operation_id!r} ({op.method} {op.path}) has no {where} "
                    f"field {name!r} (it has: {', '.join(sorted(properties)) or 'none'})"
                )
    if problems:
        raise GenerationError("refusing to generate the session module", problems)
