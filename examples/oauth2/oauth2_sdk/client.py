# Generated from examples/oauth2/spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""The client every operation takes: the runtime's (``sdk_session.client``), shared by every SDK.

``Client`` is an attrs class meant to be subclassed (the session layer adds its auth flow that
way); operations accept any ``Client``. ``AuthenticatedClient`` covers the simple static-token case.
"""

from sdk_session.client import AuthenticatedClient, Client, StaticTokenAuth, default_timeout

__all__ = ["AuthenticatedClient", "Client", "StaticTokenAuth", "default_timeout"]
