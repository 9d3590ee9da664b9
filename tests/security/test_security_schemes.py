"""The document's security schemes drive the generated SDK: the session kind, grant, token and
refresh endpoints, scopes and fixed fields (generator/session.py), the static schemes of
``security.Security`` and the requirement each operation sends (generator/security.py).

Each synthetic document (documents.py) is generated whole, through the generator's own import
and ``mypy --strict`` gate, then driven on an httpx mock transport."""

from __future__ import annotations

import base64
import importlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import yaml

from generator import pipeline
from generator.errors import GenerationError
from generator.init import build_config
from generator.security import requirement
from generator.settings import DEFAULT_CONFIG, load_settings

from . import documents

Handler = Callable[[httpx.Request], httpx.Response]


def _write(folder: Path, name: str, document: dict[str, Any]) -> Path:
    spec = folder / f"{name}.yaml"
    spec.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return spec


def generate(
    folder: Path, name: str, document: dict[str, Any], session: Any = "init", *, mypy: bool = False
) -> tuple[ModuleType, list[str]]:
    """Generate ``document`` as package ``name`` with the config ``init`` writes (or its
    ``session:`` replaced); returns the imported package and the report's lines."""
    spec = _write(folder, name, document)
    config, _notes = build_config(spec, name)
    if session != "init":
        config.pop("session", None)
        if session is not None:
            config["session"] = session
    config_path = folder / f"{name}.generator.yaml"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    output = folder / name
    outcome = pipeline.generate(spec, output, load_settings(config_path), run_mypy=mypy)
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    assert outcome.report is not None
    return importlib.import_module(name), outcome.report.lines()


@pytest.fixture(autouse=True)
def _forget_generated() -> Iterator[None]:
    before = set(sys.modules)
    yield
    for name in set(sys.modules) - before:
        if name.endswith("_sdk") or "_sdk." in name:
            del sys.modules[name]


def _form(request: httpx.Request) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(request.content.decode()).items()}


def _token(**extra: Any) -> httpx.Response:
    return httpx.Response(
        200, json={"access_token": "A", "token_type": "Bearer", "expires_in": 3600, **extra}
    )


# -- requirements ---------------------------------------------------------------------------


def test_requirements_document_level_override_empty_and_or() -> None:
    spec = documents.static()
    operations = {op["operationId"]: op for item in spec["paths"].values() for op in item.values()}
    assert requirement(spec, operations["by_header"]) == (("ApiKeyHeader",),)
    assert requirement(spec, operations["query_or_basic"]) == (("QueryKey",), ("basicAuth",))
    assert requirement(spec, operations["open"]) == ()
    assert requirement(spec, operations["both"]) == (("ApiKeyHeader", "CookieKey"),)
    # optional credentials: the empty alternative goes last, so a key given is sent
    assert requirement(spec, operations["optional"]) == (("ApiKeyHeader",), ())
    del spec["security"]
    assert requirement(spec, operations["by_header"]) == ()


# -- static schemes -------------------------------------------------------------------------


def test_static_schemes_are_sent_only_where_the_requirement_names_them(tmp_path: Path) -> None:
    sdk, lines = generate(tmp_path, "static_sdk", documents.static(), mypy=True)
    security = importlib.import_module("static_sdk.security")
    assert dict(security.Security.schemes) == {
        "ApiKeyHeader": security.Scheme("apiKey", "header", "X-API-Key"),
        "QueryKey": security.Scheme("apiKey", "query", "api_key"),
        "CookieKey": security.Scheme("apiKey", "cookie", "session_id"),
        "basicAuth": security.Scheme("basic"),
        "oidc": security.Scheme("bearer"),
    }
    assert sdk.items.both.security == (("ApiKeyHeader", "CookieKey"),)
    assert (
        "  security QueryKey: Security(query_key=...), sent in query 'api_key' where an "
        "operation's requirement names it" in lines
    )
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": 1, "name": "x"})

    auth = sdk.Security(api_key_header="K", query_key="Q", cookie_key="C", basic_auth=("u", "p"))
    assert "=<redacted>" in repr(auth) and "'" not in repr(auth)
    client = sdk.Client(
        base_url="https://api.test",
        auth=auth,
        httpx_args={"transport": httpx.MockTransport(handler)},
    )
    with client:
        for name in ("by_header", "query_or_basic", "open", "both", "optional"):
            getattr(sdk.items, name)(client)
    sent = {
        r.url.path: (
            r.headers.get("X-API-Key"),
            r.url.params.get("api_key"),
            r.headers.get("Cookie"),
            r.headers.get("Authorization"),
        )
        for r in seen
    }
    basic = "Basic " + base64.b64encode(b"u:p").decode()
    assert sent == {
        "/header": ("K", None, None, None),
        "/query_or_basic": (None, "Q", None, None),  # the first alternative it has
        "/open": (None, None, None, None),
        "/both": ("K", None, "session_id=C", None),
        "/optional": ("K", None, None, None),
    }
    seen.clear()
    only_basic = sdk.Client(
        base_url="https://api.test",
        auth=sdk.Security(basic_auth=("u", "p")),
        httpx_args={"transport": httpx.MockTransport(handler)},
    )
    with only_basic:
        sdk.items.query_or_basic(only_basic)
        sdk.items.by_header(only_basic)  # needs a key it does not have: sent without
    assert [r.headers.get("Authorization") for r in seen] == [basic, None]


def test_sdks_without_static_schemes_pass_no_requirement(tmp_path: Path) -> None:
    sdk, _ = generate(tmp_path, "dot_sdk", documents.dot())
    assert not hasattr(sdk.items.items_list, "security")
    assert not (tmp_path / "dot_sdk" / "security.py").exists()
    assert "Security" not in sdk.__all__


# -- OAuth2 sessions ------------------------------------------------------------------------


def test_dot_style_password_flow_with_token_url_outside_paths(tmp_path: Path) -> None:
    sdk, lines = generate(tmp_path, "dot_sdk", documents.dot(), mypy=True)
    binding = importlib.import_module("dot_sdk.session").Binding
    assert (binding.login_path, binding.refresh_path, binding.revocation_path) == (
        "/o/token/",
        "/o/token/",
        None,
    )
    assert (binding.grant, binding.scopes, binding.client_auth) == (
        "password",
        ("read", "write"),
        "client_secret_basic",
    )
    assert dict(binding.login_fields) == {"grant_type": "password"}
    assert dict(binding.refresh_fields) == {"grant_type": "refresh_token"}
    assert any(
        line.startswith(
            "  session grant: password (inferred: securitySchemes.oauth2.flows.password"
        )
        for line in lines
    )
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/o/token/":
            return _token(refresh_token="R")
        return httpx.Response(200, json={"id": 1, "name": "x"})

    client = sdk.SessionClient(
        base_url="https://api.test",
        client_id="cid",
        client_secret="s3cr3t-value",
        httpx_args={"transport": httpx.MockTransport(handler)},
    )
    assert "s3cr3t" not in repr(client)
    with client:
        client.login("alice", "pw")
        sdk.items.items_list(client)
    login, call = seen
    assert _form(login) == {
        "grant_type": "password",
        "username": "alice",
        "password": "pw",
        "scope": "read write",
    }
    assert (
        login.headers["Authorization"] == "Basic " + base64.b64encode(b"cid:s3cr3t-value").decode()
    )
    assert call.headers["Authorization"] == "Bearer A"


def test_one_token_operation_in_paths_is_login_and_refresh(tmp_path: Path) -> None:
    """The token endpoint written per grant as a oneOf: its fields are read from the members."""
    _sdk, lines = generate(tmp_path, "dotp_sdk", documents.dot_in_paths())
    assert "  session login: token (inferred: the operation at tokenUrl /o/token/)" in lines
    assert "  session refresh: token (inferred: the operation at /o/token/)" in lines
    assert importlib.import_module("dotp_sdk.session").Binding.refresh_path == "/o/token/"


def test_fastapi_style_login_only(tmp_path: Path) -> None:
    sdk, lines = generate(tmp_path, "fastapi_sdk", documents.fastapi(), mypy=True)
    binding = importlib.import_module("fastapi_sdk.session").Binding
    assert binding.login_path == "api/v1/login/access-token"
    assert binding.refresh_path is None
    assert binding.scopes == ()
    assert any("login-only" in line for line in lines)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/access-token"):
            return httpx.Response(200, json={"access_token": "A", "token_type": "bearer"})
        return httpx.Response(200, json={"id": 1, "name": "x"})

    client = sdk.SessionClient(
        base_url="https://api.test", httpx_args={"transport": httpx.MockTransport(handler)}
    )
    with client:
        client.login("alice", "pw")
        sdk.items.items_read_items(client)
    assert seen[0].url == "https://api.test/api/v1/login/access-token"
    assert _form(seen[0]) == {"grant_type": "password", "username": "alice", "password": "pw"}
    assert seen[1].headers["Authorization"] == "Bearer A"


def test_client_credentials_on_another_origin(tmp_path: Path) -> None:
    sdk, _lines = generate(tmp_path, "m2m_sdk", documents.client_credentials(), mypy=True)
    session = importlib.import_module("m2m_sdk.session")
    assert not hasattr(session.SessionClient, "alogin") or (
        session.SessionClient.alogin is importlib.import_module("sdk_session").SessionClient.alogin
    )
    binding = session.Binding
    assert (binding.login_path, binding.refresh_path, binding.grant, binding.scopes) == (
        "https://auth.example.com/oauth/token",
        None,
        "client_credentials",
        ("items:read",),
    )
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "auth.example.com":
            return _token()
        return httpx.Response(200, json={"id": 1, "name": "x"})

    client = sdk.SessionClient(
        base_url="https://api.test",
        client_id="cid",
        client_secret="sec",
        httpx_args={"transport": httpx.MockTransport(handler)},
    )
    with client:
        sdk.items.items_list(client)  # no login: the session obtains a token itself
    grant, call = seen
    assert str(grant.url) == "https://auth.example.com/oauth/token"
    assert _form(grant) == {"grant_type": "client_credentials", "scope": "items:read"}
    assert call.headers["Authorization"] == "Bearer A"
    assert "Basic" not in (call.headers.get("Authorization") or "")


# -- configuration --------------------------------------------------------------------------


def test_configured_keys_win_and_are_reported(tmp_path: Path) -> None:
    session = {
        "grant": "client_credentials",
        "scopes": ["write"],
        "client_auth": "client_secret_post",
        "revocation_url": "/o/revoke_token/",
        "login_fields": {"grant_type": "client_credentials", "audience": "api"},
    }
    _sdk, lines = generate(tmp_path, "dotc_sdk", documents.dot(), session)
    binding = importlib.import_module("dotc_sdk.session").Binding
    assert (binding.grant, binding.scopes, binding.client_auth, binding.revocation_path) == (
        "client_credentials",
        ("write",),
        "client_secret_post",
        "/o/revoke_token/",
    )
    assert dict(binding.login_fields) == {"grant_type": "client_credentials", "audience": "api"}
    assert "  session client_auth: client_secret_post (configured)" in lines
    assert (
        "  session token_url: /o/token/ (inferred: "
        "securitySchemes.oauth2.flows.clientCredentials.tokenUrl)" in lines
    )


def test_non_standard_login_only_session(tmp_path: Path) -> None:
    """`refresh: null` on a session of operations (the DRF document without its refresh)."""
    spec = yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "examples/drf/spec/openapi.yaml").read_text()
    )
    _sdk, lines = generate(tmp_path, "drf_once_sdk", spec, {"refresh": None})
    binding = importlib.import_module("drf_once_sdk.session").Binding
    assert (binding.login_path, binding.refresh_path) == ("/api/token/", None)
    assert "  session refresh: none (configured)" in lines


@pytest.mark.parametrize(
    ("session", "expected"),
    [
        ({"grant": "implicit"}, "session.grant: must be password or client_credentials"),
        ({"client_auth": "tls"}, "session.client_auth: must be client_secret_basic or"),
        ({"scopes": "read"}, "session.scopes: must be a list of strings"),
        ({"login_fields": ["grant_type"]}, "session.login_fields: must be a mapping"),
        ({"kind": "operations", "token_url": "/t"}, "session.token_url: only for `kind: oauth2`"),
    ],
)
def test_unusable_keys_are_refused(tmp_path: Path, session: dict[str, Any], expected: str) -> None:
    with pytest.raises(GenerationError) as refused:
        generate(tmp_path, "bad_sdk", documents.dot(), session)
    assert expected in refused.value.render()


def test_init_writes_a_config_that_generates_and_says_why(tmp_path: Path) -> None:
    config, notes = build_config(_write(tmp_path, "dot", documents.dot()), "dot_sdk")
    assert config["session"] == {}
    assert (
        "session login: password grant at /o/token/ (securitySchemes.oauth2.flows.password."
        "tokenUrl; not in paths: the flow's URL is enough)" in notes
    )
    config, notes = build_config(_write(tmp_path, "fa", documents.fastapi()), "fa_sdk")
    assert config["session"] == {}
    assert any(n.startswith("session refresh: none (login-only") for n in notes)
    config, notes = build_config(_write(tmp_path, "st", documents.static()), "st_sdk")
    assert "session" not in config
    assert any(n.startswith("security ApiKeyHeader: Security(api_key_header=...)") for n in notes)
    assert DEFAULT_CONFIG.exists()
