# Generated from examples/oauth2/spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""One subpackage per tag; ``sdk.<tag>`` is the same object as ``sdk.api.<tag>``."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import items
else:
    from sdk_session.lazy import attach

    __getattr__, __dir__ = attach(
        __name__,
        {
            "items": ".items",
        },
    )
    del attach

__all__ = [
    "items",
]
