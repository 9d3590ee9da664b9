"""The writer killed by ``test_sigkill``: saves token set n, n+1, ... until SIGKILLed."""

from __future__ import annotations

from sdk_session.stores.file import FileTokenStore
from sdk_session.tokens import TokenSet


def save_forever(path: str, start: int) -> None:
    store = FileTokenStore(path)
    n = start
    while True:
        tokens = TokenSet(access_token=f"access-{n}", refresh_token=f"refresh-{n}", obtained_at=n)
        with store.refresh_lock(5.0):
            store.save(tokens)
        n += 1
