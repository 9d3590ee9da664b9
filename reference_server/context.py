"""Everything one server instance knows, in one object handed to every route."""

from __future__ import annotations

from .config import ServerConfig
from .counters import CounterSet
from .faults import FaultBook
from .state import Store
from .tokens import TokenService


class AppContext:
    """Live configuration, data, sessions, counters and faults of one server."""

    def __init__(self, config: ServerConfig) -> None:
        self.startup_config = config
        self.config = config
        self.store = Store()
        self.tokens = TokenService()
        self.counters = CounterSet()
        self.faults = FaultBook()

    def reset(self) -> None:
        """Back to the startup state: config, seed data, no sessions, counters or faults."""
        self.config = self.startup_config
        self.store.reset()
        self.tokens.forget_all()
        self.counters.reset()
        self.faults.clear()
