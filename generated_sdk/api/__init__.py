# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, B008, RUF001, RUF002, RUF003, RUF100
# mypy: disable-error-code="redundant-cast"
"""One subpackage per tag; ``sdk.<tag>`` is the same object as ``sdk.api.<tag>``."""
