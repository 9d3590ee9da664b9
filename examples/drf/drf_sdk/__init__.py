# Generated from examples/drf/spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""DRF upstream (tests) SDK, generated from its OpenAPI document (API version 1.0.0).

Usage::

    import drf_sdk as sdk

    with sdk.SessionClient(base_url="https://api.example") as client:
        client.login(username, password)
        result = sdk.items.items_list(client, ...)

Operations are grouped by tag, one namespace each:
``sdk.items`` (items_list, items_retrieve),
``sdk.token`` (token_create, token_refresh_create).
Every operation is called as ``op(client, *, params...)`` and also offers ``op.asyncio``,
``op.detailed`` and ``op.asyncio_detailed``; error statuses raise ``sdk.errors.ApiError``
subclasses, and no answer ``sdk.errors.ApiConnectionError``; every SDK exception is an
``sdk.SdkError``. Nothing is imported until an attribute is used, so
``import drf_sdk`` is cheap.
"""

# Not typing's: importing typing (or the runtime, with logging) would cost more than the rest of
# this module; type checkers read any TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from . import api, errors, models, types
    from .api import items, token
    from .client import AuthenticatedClient, Client
    from .errors import ApiConnectionError, ApiError, ApiTimeoutError, SdkError
    from .session import SessionClient
    from .types import UNSET, Response, Unset
else:
    # sdk_session.lazy.attach, spelled out: the runtime loads with the first name used.
    _targets = {
        "api": ".api",
        "ApiConnectionError": ".errors:ApiConnectionError",
        "ApiError": ".errors:ApiError",
        "ApiTimeoutError": ".errors:ApiTimeoutError",
        "AuthenticatedClient": ".client:AuthenticatedClient",
        "Client": ".client:Client",
        "errors": ".errors",
        "models": ".models",
        "Response": ".types:Response",
        "SdkError": ".errors:SdkError",
        "SessionClient": ".session:SessionClient",
        "types": ".types",
        "UNSET": ".types:UNSET",
        "Unset": ".types:Unset",
        "items": ".api.items",
        "token": ".api.token",
    }

    def __getattr__(name: str) -> object:
        target = _targets.get(name)
        if target is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        import importlib

        module_name, _, attribute = target.partition(":")
        module = importlib.import_module(module_name, __name__)
        value = getattr(module, attribute) if attribute else module
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(globals()) | set(_targets))


__all__ = [
    "UNSET",
    "ApiConnectionError",
    "ApiError",
    "ApiTimeoutError",
    "AuthenticatedClient",
    "Client",
    "Response",
    "SdkError",
    "SessionClient",
    "Unset",
    "api",
    "errors",
    "items",
    "models",
    "token",
    "types",
]
