"""Regenerates ``generated_sdk/`` from ``spec/openapi.yaml``.

Steps: validate (``structure.py``: located, all problems at once), adapt (``adapt.py``: a policy per
kind of oddity, each adaptation reported), parse (``loosen.py``: what openapi-python-client cannot
model is loosened, never dropped), codegen, format, verify, swap; then the report (``report.py``).
``python -m generator init`` (``init.py``) writes a config for another API's document.

Run ``python -m generator`` (or ``--check`` in CI). The pipeline lives in small modules, one job
each; ``pipeline.py`` strings them together.

A new upstream spec is adopted with ``python -m generator update NEW_SPEC`` (``update.py``): it
reports the changes (``specdiff/``, also ``python -m generator diff OLD NEW``), regenerates,
checks the result with the hand-written code (``crosscheck.py``) and replaces spec and package
together.
"""

REQUIRED_OPENAPI_PYTHON_CLIENT = "0.29.1"
