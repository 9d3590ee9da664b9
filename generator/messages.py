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
_NOISE = "Unable to parse this part of your OpenAPI document: : "
_REMOVAL = re.compile(r"\s*Failure to process schema has resulted in the removal of:.*$")


_UNION = re.compile(r"Invalid property in union <[\w.]*UntrustedString object at 0x[0-9a-fA-F]+>")


def _describe(schema: Any) -> str:
    """A union member schema in a few words: its title or type."""
    title = getattr(schema, "title", None)
    if title:
        return repr(str(title))
    kind = getattr(schema, "type", None)
    kind = getattr(kind, "value", kind)
    return f"of type {kind}" if kind else "an inline schema"


def _text(value: Any) -> str:
    getter = getattr(value, "get_untrusted_value", None)
    return str(getter() if getter is not None else value)


def readable(text: str, error: Any = None) -> str:
    """``text`` on one line, with names instead of reprs and without the removal list."""
    text = " ".join(text.split()).replace(_NOISE, "")
    text = _REMOVAL.sub("", text)
    data = getattr(error, "data", None)
    ref = getattr(data, "ref", None)
    if _UNION.search(text):  # the repr is the union's own name; the error's data is the member
        member = f"$ref '{_text(ref)}'" if ref is not None else _describe(data)
        text = _UNION.sub(f"Invalid property in union (member {member})", text, count=1)
    elif ref is not None:
        text = _UNTRUSTED.sub(f"'{_text(ref)}'", text, count=1)
    text = _STATUS.sub("status code (one of its responses)", text)
    return _UNTRUSTED.sub("(a name)", text)


def brief(text: str, limit: int = 200) -> str:
    """``text`` cut at a word boundary to at most about ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return f"{text[: cut if cut > limit // 2 else limit].rstrip(' ,;:')} …"
