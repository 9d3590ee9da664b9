"""A faithful, stateful reference implementation of the Items API (spec/openapi.yaml).

It exists so the SDK's demo and integration tests have a real server to talk to
over TCP: Starlette on uvicorn, HS256 JWT access tokens, rotating refresh tokens
with RFC 9700 reuse detection, in-memory data, and test controls under
``/_control/`` (see ``reference_server.controls``).

Seeded users (restored by ``Control.reset()``)::

    demo@example.com  / demo-password   40 items
    other@example.com / other-password   5 items

Start it with ``items-api-server --port 0`` (or ``python -m reference_server``),
or from Python::

    with serve(access_ttl=1.5) as url, Control(url) as control:
        ...
"""

from .client import Control, ControlError
from .config import ServerConfig
from .counters import OPERATION_IDS, Counters
from .runner import serve
from .state import DEMO_EMAIL, DEMO_PASSWORD, OTHER_EMAIL, OTHER_PASSWORD

__all__ = [
    "DEMO_EMAIL",
    "DEMO_PASSWORD",
    "OPERATION_IDS",
    "OTHER_EMAIL",
    "OTHER_PASSWORD",
    "Control",
    "ControlError",
    "Counters",
    "ServerConfig",
    "serve",
]
