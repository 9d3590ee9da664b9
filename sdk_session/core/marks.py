"""What the session leaves on a request: its extensions, and the ``Sent`` record.

The auth flow, the dispatch transport and the retry transport are separate layers
that meet only on the request; these names are how they find each other there.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from ..tokens import TokenSet

__all__ = [
    "DISPATCH_EXTENSION",
    "RENEWAL_EXTENSION",
    "SENT_EXTENSION",
    "SESSION_EXTENSION",
    "FirstSend",
    "Sent",
]

SENT_EXTENSION = "sdk_session.sent"
"""Request extension: the ``Sent`` record of the tokens a request carries and since when."""

DISPATCH_EXTENSION = "sdk_session.dispatch"
"""Request extension: the ``Dispatcher`` that re-signs the request when it gets a connection."""

RENEWAL_EXTENSION = "sdk_session.renewal"
"""Request extension marking a refresh/re-login call made by a renewal."""

SESSION_EXTENSION = "sdk_session.session"
"""Request extension: ``(dispatcher, url)``, the ``Dispatcher`` that runs the whole session
request at dispatch (sign, send, renew and resend after a 401) and the URL found to carry
credentials when it was set by ``SessionClient``'s own clients (a redirect keeps the
extensions but gets a new URL, which is checked again)."""


@dataclass(slots=True)
class Sent:
    """Which tokens a request carries, since when (local clock; a resend re-signs and
    moves it), when the request started, the renewal ticket taken before it was first
    sent, and whether the dispatch transport signed it (then it also measured the
    latency)."""

    tokens: TokenSet
    at: float
    started: float
    ticket: int
    dispatched: bool = False


FirstSend = tuple[Sent, httpx.Response]
"""A send made by a driver's fast path: its ``Sent`` mark and the 401 it got."""
