"""openapi-python-client's messages, made readable for a report.

It formats some names as the repr of its ``UntrustedString`` (``<...UntrustedString object at
0x7f...>``) and appends the list of every schema a failure removed; a report wants the name, and
a message short enough to read, cut between words (never inside a schema name).
"""

from __future__ import annotations

import re
from typing import Any

_UNTRUSTED = re.compile(r"<[\w.]*UntrustedString object at 0x[0-9a-fA-F]+>")
_STATUS = re.compile(r"status code <[\w.]*UntrustedString object at 0x[0-9a-fA-F]+>")
_REMOVAL = re.compile(r"\s*Failure to process schema has resulted in the removal of:.*$")


def _text(value: Any) -> str:
    getter = getattr(value, "get_untrusted_value", None)
    return str(getter() if getter is not None else value)


def readable(text: str, error: Any = None) -> str:
    """``text`` on one line, with names instead of reprs and without the removal list."""
    text = " ".join(text.split())
    text = _REMOVAL.sub("", text)
    ref = getattr(getattr(error, "data", None), "ref", None)
    if ref is not None:
        text = _UNTRUSTED.sub(f"'{_text(ref)}'", text, count=1)
    text = _STATUS.sub("status code (one of its responses)", text)
    return _UNTRUSTED.sub("(a name)", text)


def brief(text: str, limit: int = 200) -> str:
    """``text`` cut at a word boundary to at most about ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return f"{text[: cut if cut > limit // 2 else limit].rstrip(' ,;:')} …"
