"""Makes openapi-python-client's parse of a large document several times faster, same result.

``Endpoint.add_parameters`` and ``Endpoint.sort_parameters`` start with ``deepcopy(endpoint)``,
which copies every parsed model and pydantic schema object the endpoint refers to; on a
240-operation document that is most of a 20 s parse. The copied endpoint only gets new list and
set contents (and renamed properties, which belong to it alone), so while parsing we give
``Endpoint`` a ``__deepcopy__`` that copies its containers and shares the items.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator
from typing import Any

from openapi_python_client.parser.openapi import Endpoint
from openapi_python_client.parser.responses import Responses


def _copy_endpoint(self: Endpoint, memo: dict[int, Any]) -> Endpoint:
    new = copy.copy(self)
    new.tags = list(self.tags)
    new.relative_imports = set(self.relative_imports)
    new.query_parameters = list(self.query_parameters)
    new.path_parameters = list(self.path_parameters)
    new.header_parameters = list(self.header_parameters)
    new.cookie_parameters = list(self.cookie_parameters)
    new.responses = Responses(
        patterns=list(self.responses.patterns), default=self.responses.default
    )
    new.bodies = list(self.bodies)
    new.errors = list(self.errors)
    return new


@contextlib.contextmanager
def cheap_endpoint_copies() -> Iterator[None]:
    """Within the block, ``deepcopy(endpoint)`` copies containers only (see module docstring)."""
    previous = Endpoint.__dict__.get("__deepcopy__")
    Endpoint.__deepcopy__ = _copy_endpoint  # type: ignore[attr-defined]
    try:
        yield
    finally:
        if previous is None:
            del Endpoint.__deepcopy__  # type: ignore[attr-defined]
        else:  # pragma: no cover - openapi-python-client 0.29.1 defines none
            Endpoint.__deepcopy__ = previous  # type: ignore[attr-defined]
