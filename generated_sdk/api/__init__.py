# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
"""One subpackage per tag; ``sdk.<tag>`` is the same object as ``sdk.api.<tag>``."""
