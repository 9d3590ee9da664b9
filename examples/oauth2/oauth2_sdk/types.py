# Generated from examples/oauth2/spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""Types shared by models and operations: the runtime's (``sdk_session.types``), and which
property names this SDK treats as secret. Free of httpx, so models import cheaply."""

from collections.abc import Mapping

from sdk_session import types as _runtime_types
from sdk_session.types import *  # noqa: F403
from sdk_session.types import masked_repr, secret_key_rule

#: Lower-cased property names whose values are secrets (``secret_fields`` in the generator config
#: and the spec's ``format: password`` properties); models never show their values in ``repr()``.
SECRET_NAMES: frozenset[str] = frozenset(
    {
        "access",
        "api_key",
        "apikey",
        "credentials",
        "passphrase",
        "password",
        "private_key",
        "refresh",
        "secret",
        "session_id",
        "token",
    }
)


#: Lower-cased names never masked although they match (``public_fields`` in the config).
PUBLIC_NAMES: frozenset[str] = frozenset(
    {
        "token_type",
    }
)


#: Whether a key names a secret (whole words of ``SECRET_NAMES``, unless in ``PUBLIC_NAMES``).
is_secret_key = secret_key_rule(SECRET_NAMES, PUBLIC_NAMES)


def extra_repr(value: Mapping[str, object]) -> str:
    """``repr()`` of a model's additional properties, masking values under secret names."""
    return masked_repr(value, is_secret_key)


__all__ = [*_runtime_types.__all__, "PUBLIC_NAMES", "SECRET_NAMES", "extra_repr", "is_secret_key"]  # noqa: PLE0604
