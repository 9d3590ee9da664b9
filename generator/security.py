"""The document's ``components.securitySchemes`` and ``security`` requirements, read and classified.

A requirement is what one operation needs: OR across the alternatives of ``security``, AND within
one (a requirement object naming several schemes needs them all). ``security: []`` (or no
requirement anywhere) sends no credentials. An operation's own ``security`` replaces the
document's.

Each scheme is classified for the SDK:

* ``oauth2`` with a ``password`` or ``clientCredentials`` flow: a session can serve it (see
  generator/session.py); ``authorizationCode``/``implicit`` are noted as not supported;
* ``http`` ``bearer``: served by the SDK's session when it has one, else a static token;
* ``http`` ``basic`` and ``apiKey`` (header, query or cookie): static credentials, sent by the
  generated ``security.Security`` (the runtime's ``sdk_session.schemes.SchemeAuth``);
* ``openIdConnect`` and other ``http`` schemes: noted as not supported (an OAuth2 or OpenID
  Connect scheme the session cannot serve is sent as a bearer token the application obtains).

Flow URLs (``tokenUrl``, ``refreshUrl``) may be relative: OpenAPI resolves them against the server
URL, so a relative one is kept as a path joined to the client's ``base_url`` (as operation paths
are) and an absolute one is used as it is.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass, field
from typing import Any

from openapi_python_client.strings import snake_case

from .validate import iter_operations, resolve_ref

#: One requirement: OR across the outer tuple, AND within; ``()`` sends nothing.
Requirement = tuple[tuple[str, ...], ...]

#: OpenAPI flow names and the grant each stands for (RFC 6749).
FLOW_GRANTS = {"password": "password", "clientCredentials": "client_credentials"}
UNSUPPORTED_FLOWS = ("authorizationCode", "implicit")


@dataclass(frozen=True)
class Flow:
    """One OAuth2 flow of a scheme (``flows.<name>``)."""

    name: str
    token_url: str | None
    refresh_url: str | None
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class Scheme:
    """One entry of ``components.securitySchemes``."""

    name: str
    #: ``oauth2``, ``bearer``, ``basic``, ``apiKey``, or ``unsupported``.
    kind: str
    #: ``header``, ``query`` or ``cookie`` (apiKey); ``header`` otherwise.
    location: str = "header"
    #: The header, query parameter or cookie name (apiKey); ``Authorization`` otherwise.
    parameter: str = "Authorization"
    flows: tuple[Flow, ...] = ()
    #: Why it is not supported, or what is not (flows), for the report.
    note: str = ""

    def flow(self, name: str) -> Flow | None:
        return next((flow for flow in self.flows if flow.name == name), None)

    @property
    def where(self) -> str:
        """Where the credential is sent, for docstrings and the report."""
        if self.kind == "apiKey":
            return f"{self.location} {self.parameter!r}"
        if self.kind == "basic":
            return "header 'Authorization: Basic ...'"
        return "header 'Authorization: Bearer ...'"


@dataclass(frozen=True)
class StaticScheme:
    """A scheme the generated ``Security`` class sends: its keyword and runtime description."""

    scheme: Scheme
    #: The keyword argument of ``Security(...)``.
    argument: str
    #: The runtime's ``Scheme`` kind: ``apiKey``, ``bearer`` or ``basic``.
    runtime_kind: str

    @property
    def value_type(self) -> str:
        return "tuple[str, str]" if self.runtime_kind == "basic" else "str"


@dataclass
class SecurityPlan:
    """What ``security.py.jinja`` renders: the static schemes (at least one)."""

    schemes: list[StaticScheme]
    notes: list[str] = field(default_factory=list)


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def read_schemes(spec: dict[str, Any]) -> dict[str, Scheme]:
    """Every scheme of ``components.securitySchemes``, by name, classified."""
    components = spec.get("components")
    raw = components.get("securitySchemes") if isinstance(components, dict) else None
    found: dict[str, Scheme] = {}
    for name, value in (raw or {}).items() if isinstance(raw, dict) else ():
        scheme = resolve_ref(spec, value)
        if not isinstance(scheme, dict):
            continue
        found[str(name)] = _classify(str(name), scheme)
    return found


def _classify(name: str, scheme: dict[str, Any]) -> Scheme:
    kind = scheme.get("type")
    if kind == "http":
        http = str(scheme.get("scheme") or "").lower()
        if http in ("bearer", "basic"):
            return Scheme(name, http)
        return Scheme(name, "unsupported", note=f"http scheme {http!r} is not supported")
    if kind == "apiKey":
        location = scheme.get("in")
        parameter = _string(scheme.get("name"))
        if location not in ("header", "query", "cookie") or parameter is None:
            return Scheme(name, "unsupported", note="apiKey without a usable `in` and `name`")
        return Scheme(name, "apiKey", location=str(location), parameter=parameter)
    if kind == "oauth2":
        flows: list[Flow] = []
        raw_flows = scheme.get("flows")
        for flow_name, flow in (raw_flows or {}).items() if isinstance(raw_flows, dict) else ():
            if not isinstance(flow, dict):
                continue
            scopes = flow.get("scopes")
            flows.append(
                Flow(
                    name=str(flow_name),
                    token_url=_string(flow.get("tokenUrl")),
                    refresh_url=_string(flow.get("refreshUrl")),
                    scopes=tuple(str(s) for s in scopes) if isinstance(scopes, dict) else (),
                )
            )
        unsupported = [f.name for f in flows if f.name not in FLOW_GRANTS]
        note = (
            f"flows {', '.join(unsupported)} not supported (password and clientCredentials are)"
            if unsupported
            else ""
        )
        return Scheme(name, "oauth2", flows=tuple(flows), note=note)
    if kind == "openIdConnect":
        return Scheme(name, "unsupported", note="openIdConnect is not supported")
    return Scheme(name, "unsupported", note=f"type {kind!r} is not supported")


def _alternatives(raw: Any) -> Requirement:
    """A ``security`` list as a requirement: empty alternatives last (optional credentials:
    send them when the client has them), duplicates dropped."""
    if not isinstance(raw, list):
        return ()
    named: list[tuple[str, ...]] = []
    empty = False
    for alternative in raw:
        if not isinstance(alternative, dict) or not alternative:
            empty = True
            continue
        names = tuple(str(name) for name in alternative)
        if names not in named:
            named.append(names)
    if named and empty:
        named.append(())
    return tuple(named)


def requirement(spec: dict[str, Any], operation: dict[str, Any]) -> Requirement:
    """The operation's effective requirement (its own ``security``, else the document's)."""
    return _alternatives(operation["security"] if "security" in operation else spec.get("security"))


def required_scopes(spec: dict[str, Any], scheme: str) -> tuple[str, ...]:
    """The scopes operations ask of ``scheme``, in first-seen order."""
    raw: list[Any] = []
    if isinstance(spec.get("security"), list):
        raw += spec["security"]
    for _path, _method, operation in iter_operations(spec):
        if isinstance(operation.get("security"), list):
            raw += operation["security"]
    scopes: list[str] = []
    for alternative in raw:
        if isinstance(alternative, dict) and isinstance(alternative.get(scheme), list):
            scopes += [str(s) for s in alternative[scheme] if str(s) not in scopes]
    return tuple(scopes)


def used_schemes(spec: dict[str, Any]) -> set[str]:
    """Names of every scheme some operation's effective requirement names."""
    names: set[str] = set()
    for _path, _method, operation in iter_operations(spec):
        for alternative in requirement(spec, operation):
            names.update(alternative)
    return names


def describe(scheme: Scheme) -> str:
    """One line for the report and ``init``."""
    if scheme.kind == "oauth2":
        parts = []
        for flow in scheme.flows:
            urls = ", ".join(
                f"{key} {url}"
                for key, url in (("tokenUrl", flow.token_url), ("refreshUrl", flow.refresh_url))
                if url
            )
            parts.append(f"{flow.name}" + (f" ({urls})" if urls else ""))
        text = f"oauth2, flows: {'; '.join(parts) or 'none'}"
    elif scheme.kind == "apiKey":
        text = f"apiKey in {scheme.location} {scheme.parameter!r}"
    elif scheme.kind in ("bearer", "basic"):
        text = f"http {scheme.kind}"
    else:
        return scheme.note or "not supported"
    return f"{text}; {scheme.note}" if scheme.note else text


def _argument(name: str, taken: set[str]) -> str:
    candidate = snake_case(name) or "scheme"
    if not candidate.isidentifier() or keyword.iskeyword(candidate) or candidate == "self":
        candidate = f"scheme_{candidate}" if candidate.isidentifier() else "scheme"
    base, number = candidate, 2
    while candidate in taken:
        candidate, number = f"{base}_{number}", number + 1
    taken.add(candidate)
    return candidate


def static_plan(spec: dict[str, Any], *, session_scheme: str | None) -> SecurityPlan | None:
    """The static schemes the generated ``Security`` sends, or None when there are none.

    With a session (``session_scheme`` is the scheme it serves, or ``""`` for a session over
    non-standard operations), the session serves its OAuth2 scheme and every http bearer scheme;
    the others are static. Without one, bearer, OAuth2 and OpenID Connect schemes are static
    bearer tokens the application obtains itself.
    """
    schemes = read_schemes(spec)
    if not schemes:
        return None
    session = session_scheme is not None
    raw = (spec.get("components") or {}).get("securitySchemes") or {}
    static: list[StaticScheme] = []
    notes: list[str] = []
    taken: set[str] = set()
    for name, scheme in schemes.items():
        if scheme.kind in ("apiKey", "basic"):
            static.append(StaticScheme(scheme, _argument(name, taken), scheme.kind))
        elif scheme.kind == "bearer" or (scheme.kind == "oauth2" and name != session_scheme):
            if session:
                notes.append(f"security {name}: sent by the session (SessionClient)")
                continue
            static.append(StaticScheme(scheme, _argument(name, taken), "bearer"))
        elif scheme.kind == "oauth2":
            notes.append(f"security {name}: sent by the session (SessionClient)")
        else:
            kind = resolve_ref(spec, raw.get(name)) if isinstance(raw, dict) else None
            if not session and isinstance(kind, dict) and kind.get("type") == "openIdConnect":
                bearer = Scheme(name, "bearer", note="openIdConnect: a token you obtain")
                static.append(StaticScheme(bearer, _argument(name, taken), "bearer"))
            else:
                notes.append(f"security {name}: {scheme.note} (never sent)")
    if not static:
        return None
    for item in static:
        notes.append(
            f"security {item.scheme.name}: Security({item.argument}=...), sent in "
            f"{_where(item)} where an operation's requirement names it"
        )
    if session:
        notes.append(
            "security: SessionClient signs with the session only; static schemes "
            "(Security) go with sdk.Client(auth=sdk.Security(...)) (combining both on one "
            "client is not supported yet)"
        )
    return SecurityPlan(static, notes)


def _where(item: StaticScheme) -> str:
    if item.runtime_kind == "apiKey":
        return f"{item.scheme.location} {item.scheme.parameter!r}"
    if item.runtime_kind == "basic":
        return "the Authorization header (Basic)"
    return "the Authorization header (Bearer)"
