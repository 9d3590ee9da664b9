"""Regenerates ``generated_sdk/`` from ``spec/openapi.yaml``.

Steps: validate, preprocess, codegen, format, verify, swap.

Run ``python -m generator`` (or ``--check`` in CI). The pipeline lives in small modules, one job
each; ``pipeline.py`` strings them together.
"""

REQUIRED_OPENAPI_PYTHON_CLIENT = "0.29.1"
