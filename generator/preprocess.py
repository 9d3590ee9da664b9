"""In-memory rewrites of the spec that keep openapi-python-client on the paths it handles well.

The committed spec is never modified; generation sees a deep copy.

* A request body offered in several content types (say JSON + form + multipart) makes
  openapi-python-client 0.29.1 write a module that fails to import (``NameError: Unset``) and a
  union-typed ``body`` argument. We keep exactly one content type per body, the first of
  ``preferred_request_content_types`` that it offers (JSON first), so ``body=`` has one model type.
* An ``allOf`` that constrains no object becomes the schema it is equivalent to (``allof.py``).
* References into a part of a component are copied in (``normalize.py``).
* Nullable object components are split into a model and ``| None`` at their uses
  (generator/nullable.py), as in the default (adapting) mode.
"""

from __future__ import annotations

import copy
from typing import Any

from .allof import lower_allof
from .errors import GenerationError
from .normalize import inline_deep_refs
from .nullable import split_nullable_components
from .settings import Settings
from .validate import iter_operations, operation_label


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _matches(content_type: str, preference: str) -> bool:
    media = _media_type(content_type)
    if preference.startswith("*"):
        return media.endswith(preference[1:].lower())
    return media == preference.lower()


def choose_content_type(offered: list[str], settings: Settings) -> str | None:
    """The preferred content type among ``offered``, or None when none is supported."""
    for preference in settings.preferred_request_content_types:
        for content_type in offered:
            if _matches(content_type, preference):
                return content_type
    return None


def _reduce_body(body: Any, where: str, settings: Settings, notes: list[str]) -> None:
    if not isinstance(body, dict) or not isinstance(body.get("content"), dict):
        return
    content: dict[str, Any] = body["content"]
    if len(content) <= 1:
        return
    offered = list(content)
    chosen = choose_content_type(offered, settings)
    if chosen is None:
        raise GenerationError(
            f"refusing to generate: {where}: request body content types {', '.join(offered)} "
            f"include none of {', '.join(settings.preferred_request_content_types)}"
        )
    body["content"] = {chosen: content[chosen]}
    notes.append(f"{where}: request body offered {', '.join(offered)}; using {chosen}")


def preprocess_spec(spec: dict[str, Any], settings: Settings) -> tuple[dict[str, Any], list[str]]:
    """Return the rewritten copy and one note per rewrite (printed by the CLI)."""
    rewritten = copy.deepcopy(spec)
    lower_allof(rewritten)  # equivalent schemas openapi-python-client can model (allof.py)
    notes: list[str] = []
    inline_deep_refs(rewritten)  # references into a component, copied in (normalize.py)
    split_nullable_components(rewritten)
    components = rewritten.get("components") or {}
    for name, body in (components.get("requestBodies") or {}).items():
        _reduce_body(body, f"components/requestBodies/{name}", settings, notes)
    for path, method, operation in iter_operations(rewritten):
        _reduce_body(
            operation.get("requestBody"), operation_label(path, method, operation), settings, notes
        )
    return rewritten, notes
