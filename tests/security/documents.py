"""Small synthetic OpenAPI documents, one per way an API declares its authentication."""

from __future__ import annotations

import copy
from typing import Any

_ITEM = {
    "type": "object",
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
    "required": ["id", "name"],
}


def _get(operation_id: str, security: Any = None) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "tags": ["items"],
        "responses": {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
            }
        },
    }
    if security is not None:
        operation["security"] = security
    return operation


def _document(paths: dict[str, Any], schemes: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return copy.deepcopy(
        {
            "openapi": "3.0.3",
            "info": {"title": "Test API", "version": "1.0.0"},
            "paths": paths,
            "components": {"schemas": {"Item": _ITEM}, "securitySchemes": schemes},
            **extra,
        }
    )


def dot() -> dict[str, Any]:
    """django-oauth-toolkit behind drf-spectacular: one oauth2 scheme with password and
    client credentials flows, ``tokenUrl`` ``/o/token/`` not in ``paths``."""
    flow = {"tokenUrl": "/o/token/", "scopes": {"read": "Read", "write": "Write"}}
    return _document(
        {
            "/api/items/": {"get": _get("items_list", [{"oauth2": ["read"]}])},
            "/api/items/{id}/": {
                "get": {
                    **_get("items_retrieve", [{"oauth2": ["read", "write"]}]),
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                }
            },
        },
        {"oauth2": {"type": "oauth2", "flows": {"password": flow, "clientCredentials": flow}}},
    )


def dot_in_paths() -> dict[str, Any]:
    """The DOT document with its token endpoint in ``paths``, written per grant as a ``oneOf``."""
    document = dot()
    token = {
        "type": "object",
        "properties": {
            "access_token": {"type": "string"},
            "token_type": {"type": "string"},
            "expires_in": {"type": "integer"},
            "refresh_token": {"type": "string"},
            "scope": {"type": "string"},
        },
        "required": ["access_token", "token_type"],
    }
    grant = {
        "oneOf": [
            {
                "type": "object",
                "properties": {
                    "grant_type": {"type": "string", "enum": ["password"]},
                    "username": {"type": "string"},
                    "password": {"type": "string", "format": "password"},
                },
                "required": ["grant_type", "username", "password"],
            },
            {
                "type": "object",
                "properties": {
                    "grant_type": {"type": "string", "enum": ["refresh_token"]},
                    "refresh_token": {"type": "string"},
                },
                "required": ["grant_type", "refresh_token"],
            },
        ]
    }
    document["paths"]["/o/token/"] = {
        "post": {
            "operationId": "token",
            "tags": ["oauth"],
            "security": [],
            "requestBody": {
                "required": True,
                "content": {"application/x-www-form-urlencoded": {"schema": grant}},
            },
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": token}}}
            },
        }
    }
    return document


def fastapi() -> dict[str, Any]:
    """FastAPI's ``OAuth2PasswordBearer(tokenUrl="api/v1/login/access-token")`` as in its
    full-stack template: a form login answering ``access_token`` + ``token_type`` only."""
    nullable_string = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    body = {
        "type": "object",
        "title": "Body_login-login_access_token",
        "properties": {
            "grant_type": {
                "anyOf": [{"type": "string", "pattern": "^password$"}, {"type": "null"}]
            },
            "username": {"type": "string", "title": "Username"},
            "password": {"type": "string", "format": "password", "title": "Password"},
            "scope": {"type": "string", "title": "Scope", "default": ""},
            "client_id": nullable_string,
            "client_secret": {**nullable_string, "format": "password"},
        },
        "required": ["username", "password"],
    }
    document = _document(
        {
            "/api/v1/login/access-token": {
                "post": {
                    "tags": ["login"],
                    "summary": "Login Access Token",
                    "operationId": "login-login_access_token",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {
                                    "$ref": "#/components/schemas/Body_login-login_access_token"
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "Successful Response",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Token"}
                                }
                            },
                        }
                    },
                }
            },
            "/api/v1/items/": {"get": _get("items-read_items", [{"OAuth2PasswordBearer": []}])},
        },
        {
            "OAuth2PasswordBearer": {
                "type": "oauth2",
                "flows": {"password": {"scopes": {}, "tokenUrl": "api/v1/login/access-token"}},
            }
        },
    )
    document["openapi"] = "3.1.0"
    document["components"]["schemas"]["Body_login-login_access_token"] = body
    document["components"]["schemas"]["Token"] = {
        "type": "object",
        "title": "Token",
        "properties": {
            "access_token": {"type": "string"},
            "token_type": {"type": "string", "default": "bearer"},
        },
        "required": ["access_token"],
    }
    return document


def client_credentials() -> dict[str, Any]:
    """A machine-to-machine API: an oauth2 scheme with a clientCredentials flow only, its
    token endpoint on another origin."""
    return _document(
        {"/v1/items/": {"get": _get("items_list")}},
        {
            "m2m": {
                "type": "oauth2",
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": "https://auth.example.com/oauth/token",
                        "scopes": {"items:read": "Read items"},
                    }
                },
            }
        },
        security=[{"m2m": ["items:read"]}],
    )


def static() -> dict[str, Any]:
    """apiKey in header, query and cookie, and HTTP Basic; requirements of every shape."""
    return _document(
        {
            "/header": {"get": _get("by_header")},  # the document's requirement
            "/query_or_basic": {
                "get": _get("query_or_basic", [{"QueryKey": []}, {"basicAuth": []}])
            },
            "/open": {"get": _get("open", [])},
            "/both": {"get": _get("both", [{"ApiKeyHeader": [], "CookieKey": []}])},
            "/optional": {"get": _get("optional", [{}, {"ApiKeyHeader": []}])},
        },
        {
            "ApiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            "QueryKey": {"type": "apiKey", "in": "query", "name": "api_key"},
            "CookieKey": {"type": "apiKey", "in": "cookie", "name": "session_id"},
            "basicAuth": {"type": "http", "scheme": "basic"},
            "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://x/.well-known"},
        },
        security=[{"ApiKeyHeader": []}],
    )
