"""The session logic as a sans-IO state machine.

Each public flow is a generator that yields *operations* (send this request,
load or save the store, take or release the refresh lock, ask for credentials)
and receives their results. It never touches a socket, a file or a lock itself:
``sdk_session.drivers`` runs the same generators with blocking calls for
``httpx.Client`` and with awaits for ``httpx.AsyncClient``, and
``sdk_session.dispatcher`` runs them in the transport, at the moment a request
gets its connection. So sync and async share every decision, and token-endpoint
requests are yielded to httpx like any other request, which sends them without
re-entering the auth flow (no recursion possible).

The rules, in order, for one request:

1. Requests to origins that do not carry credentials, and login/refresh calls,
   pass through untouched.
2. Make the token usable (``renewal``): no session raises ``NotLoggedIn`` (or the
   ``SessionExpired`` that ended it) without sending anything, unless a
   credentials provider can log in. A token that is dead (expired on our
   clock, or answered 401 while current) waits for the one shared renewal. A
   token inside its leeway but still valid is renewed ahead by exactly one
   caller (a non-blocking try of the lock), or by a thread or task the dispatch
   transport starts for it (``renew_ahead``); everybody else goes on with it.
3. Sign from those tokens (``readiness``). The dispatch transport repeats step 2
   and re-signs when the request gets its connection (sign at dispatch).
4. A 401 whose challenge is ``invalid_token`` or carries no error code
   (``requests``): resend with the current token, or renew once and resend, a
   bounded number of times; then ``TokenRejected``, never a 401 handed to the
   application.

The layers, each a module: ``steps`` (the operations), ``marks`` (what the
session leaves on a request), ``readiness`` (token arithmetic, the fast path),
``token_calls`` (refresh and re-login), ``renewal`` (the single-flight renewal),
``requests`` (one request and its 401 path; ``SessionCore``).
"""

from __future__ import annotations

from .marks import (
    DISPATCH_EXTENSION,
    RENEWAL_EXTENSION,
    SENT_EXTENSION,
    SESSION_EXTENSION,
    FirstSend,
    Sent,
)
from .requests import MAX_RESENDS, SessionCore, should_renew_on
from .steps import (
    AskCredentials,
    Load,
    Lock,
    Op,
    Release,
    Save,
    Send,
    Sleep,
    Step,
    TokenCallInterrupted,
    TryLock,
    Unlock,
    interrupted_error,
)

__all__ = [
    "DISPATCH_EXTENSION",
    "MAX_RESENDS",
    "RENEWAL_EXTENSION",
    "SENT_EXTENSION",
    "SESSION_EXTENSION",
    "AskCredentials",
    "FirstSend",
    "Load",
    "Lock",
    "Op",
    "Release",
    "Save",
    "Send",
    "Sent",
    "SessionCore",
    "Sleep",
    "Step",
    "TokenCallInterrupted",
    "TryLock",
    "Unlock",
    "interrupted_error",
    "should_renew_on",
]
