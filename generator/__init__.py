"""Regenerates ``generated_sdk/`` from ``spec/openapi.yaml``.

Steps: validate, preprocess, codegen, format, verify, swap.

Run ``python -m generator`` (or ``--check`` in CI). The pipeline lives in small modules, one job
each; ``pipeline.py`` strings them together.

A new upstream spec is adopted with ``python -m generator update NEW_SPEC`` (``update.py``): it
reports the changes (``specdiff/``, also ``python -m generator diff OLD NEW``), regenerates,
checks the result with the hand-written code (``crosscheck.py``) and replaces spec and package
together.
"""

REQUIRED_OPENAPI_PYTHON_CLIENT = "0.29.1"
