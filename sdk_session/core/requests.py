"""One API request through the session, and the 401 path: reject, give up or resend.

A 401 whose challenge is ``invalid_token`` or carries no error code: if the
token it carried has been replaced since, resend with the current one (no
refresh); else mark it dead, renew (once, shared) and resend. At most
``MAX_RESENDS`` resends within ``lock_timeout`` seconds, at most one renewal
caused by one request; a 401 for the current token after that renewal ends in
``TokenRejected``, never in a 401 handed to the application.
"""

from __future__ import annotations

import logging
import re

import httpx

from ..errors import TokenRejected, no_error_body
from ..tokens import TokenSet
from .marks import FirstSend, Sent
from .renewal import Renewal
from .steps import Release, Step, load, send

__all__ = ["MAX_RESENDS", "SessionCore", "should_renew_on"]

_log = logging.getLogger("sdk_session.flow")

MAX_RESENDS = 3
"""Resends of one request after 401s (with the current token, or after its one renewal)."""

# -- 401 challenges ----------------------------------------------------------------

_ERROR_PARAM = re.compile(r"""(?:^|[\s,])error\s*=\s*(?:"([^"]*)"|([^\s,]+))""", re.IGNORECASE)


def should_renew_on(response: httpx.Response) -> bool:
    """A 401 whose Bearer challenge says ``invalid_token`` or gives no error code.

    RFC 6750 3.1: ``invalid_token`` means a new token may help; any other code
    (``insufficient_scope``, ``invalid_request``) means it will not.
    """
    if response.status_code != 401:
        return False
    codes: list[str] = []
    for value in response.headers.get_list("www-authenticate"):
        codes.extend((m.group(1) or m.group(2) or "").strip() for m in _ERROR_PARAM.finditer(value))
    return not codes or any(code.lower() == "invalid_token" for code in codes)


def _where(request: httpx.Request) -> str:
    return f"{request.method} {request.url.path}"  # never the query: it may hold secrets


class SessionCore(Renewal):
    """The decisions of the session layer; see ``sdk_session.core``."""

    def request_flow(
        self,
        request: httpx.Request,
        carries: bool | None = None,
        first: FirstSend | None = None,
    ) -> Step[httpx.Response]:
        """One request (rules 1-4). ``carries``: the caller's verdict of
        ``policy.carries_credentials(request.url)``, if it already has one. ``first``:
        the driver's fast path already signed and sent the request (``sign_fast``) and
        got a 401 to handle; the flow goes on from there. Returns the final answer."""
        state = self.state
        response: httpx.Response | None = None
        if first is None:
            if carries is None:
                carries = self.policy.carries_credentials(request.url)
            if not carries or self.binding.is_token_endpoint(self.base_url, request):
                return (yield from send(request))
            # An origin that carries credentials passed the insecure-transport check at
            # construction (OriginPolicy.check would be a no-op here).
            started = self.clock()
            tokens = yield from load()
            tokens = yield from self._ready(tokens, started, "token expiring")
            ticket = state.ticket()  # renewals that end from now on concern us
        else:
            mark, response = first
            tokens, started, ticket = mark.tokens, mark.started, mark.ticket
        renewed = False
        resends = 0
        while True:
            if response is None:
                state.note(tokens)
                mark = self._sign(request, Sent(tokens, self.clock(), started, ticket))
                response = yield from send(request)
            received = self.clock()
            if not mark.dispatched:  # no dispatch transport: learn from what we saw
                self.observe(response, mark.at, received)
            if not (should_renew_on(response) and self.policy.carries_credentials(response.url)):
                return response
            sent = mark.tokens
            yield Release(response)
            rejection = self._rejection(request, response, sent, mark.at, received)
            response = None
            if resends >= MAX_RESENDS or received - started > self.deadline:
                raise self._give_up(rejection, resends)
            current = yield from load()
            if current is not None and current.generation != sent.generation:
                _log.debug("%s: 401 for a replaced token; resending", _where(request))
                tokens = yield from self._ready(current, received, "401; replacement", ticket)
            elif current is None:
                tokens = yield from self._ready(None, received, "401; session gone", ticket)
            else:
                if renewed:
                    raise self._give_up(rejection, resends)
                state.mark_dead(current.generation)
                tokens = yield from self._renew(current, "401 invalid_token", ticket, rejection)
                renewed = True
            resends += 1

    def settled(self, response: httpx.Response, mark: Sent) -> bool:
        """After the fast path's send: ``True`` when ``response`` is the answer (no 401
        to act on); ``False`` when ``request_flow`` must go on with ``first``."""
        if should_renew_on(response) and self.policy.carries_credentials(response.url):
            return False
        if not mark.dispatched:
            self.observe(response, mark.at, self.clock())
        return True

    def answered(self, request: httpx.Request, response: httpx.Response, mark: Sent) -> bool:
        """After a send at dispatch (``Dispatcher``): feed the latency window; ``True``
        when ``response`` is the answer, ``False`` when ``request_flow`` must go on."""
        self.observe(response, mark.at, self.clock())
        if response.status_code != 401:
            return True
        response.request = request
        return self.settled(response, mark)

    def _rejection(
        self,
        request: httpx.Request,
        response: httpx.Response,
        sent: TokenSet,
        at: float,
        received: float,
    ) -> TokenRejected:
        waited = received - at
        lifetime = None if sent.expires_at is None else max(sent.expires_at - at, 0.0)
        if lifetime is not None and waited >= lifetime:
            detail = (
                f"the request waited {waited:.2f} s, longer than its token had left "
                f"({lifetime:.2f} s)"
            )
        else:
            detail = f"the request waited {waited:.2f} s"
        # error_body is JsonTokenBinding's, not the TokenBinding protocol's: a binding written
        # to the protocol alone keeps working, its 401s without a parsed body.
        error_body = getattr(self.binding, "error_body", no_error_body)
        body, code, text = error_body(response)
        return TokenRejected(
            f"{_where(request)}: the upstream answered 401 to the session's token; {detail}",
            response=response,
            error=body,
            error_code=code,
            error_message=text,
            waited=waited,
            lifetime=lifetime,
        )

    def _give_up(self, rejection: TokenRejected, resends: int) -> TokenRejected:
        p99 = self.state.latency.p99
        lifetime = "unknown" if rejection.lifetime is None else f"{rejection.lifetime:.2f} s"
        _log.warning(
            "%s %s: giving up after %d resend(s): 401 for the current token; waited %.2f s "
            "(recent p99 latency %.2f s), token lifetime left at dispatch %s",
            rejection.method,
            rejection.path,
            resends,
            rejection.waited or 0.0,
            p99,
            lifetime,
        )
        return rejection
