"""Redaction helpers: secrets must never reach a log line, a repr or an error text.

The session layer never formats a token into a message in the first place; the
filter here is defence in depth for log records that other code builds from
headers or bodies (it removes anything shaped like a JWT or a credential in an
``Authorization`` header, and any ``*token*``/``password``/``*secret``/``*key`` JSON or
form value, such as an API key in a query string).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping

__all__ = ["REDACTED", "RedactingFilter", "redact_headers", "redact_text"]

REDACTED = "<redacted>"

_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_AUTH_VALUE = re.compile(r"(?i)\b(bearer|basic|token|jwt)\s+[A-Za-z0-9._~+/=-]{8,}")
_SECRET_NAME = r"[a-z_]*(?:token|password|secret|key)|refresh|access"
_SECRET_FIELD = re.compile(rf"""(?ix)(["']?(?:{_SECRET_NAME})["']?\s*[:=]\s*)(["'])[^"']*\2""")
_SECRET_FORM = re.compile(rf"(?i)(\b(?:{_SECRET_NAME})=)[^&\s\"']+")
"""A form-encoded field (a token call's body, a query string)."""
_SENSITIVE_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})


def redact_text(text: str) -> str:
    """Replace anything that looks like a credential in free text."""
    text = _JWT.sub(REDACTED, text)
    text = _AUTH_VALUE.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    text = _SECRET_FIELD.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}{m.group(2)}", text)
    return _SECRET_FORM.sub(lambda m: f"{m.group(1)}{REDACTED}", text)


def redact_headers(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    """A copy of ``headers`` safe to log: credential-bearing values replaced."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {
        name: (REDACTED if name.lower() in _SENSITIVE_HEADERS else value) for name, value in items
    }


class RedactingFilter(logging.Filter):
    """A logging filter that scrubs credentials from the final message of each record.

    Attach it to a handler (``handler.addFilter(RedactingFilter())``) to protect
    log output that other libraries produce as well.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact_text(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True
