"""Reads an OpenAPI document and tells where a JSON pointer sits in its text.

JSON documents are read with the json module (many times faster than YAML on multi-megabyte
files), YAML with libyaml when available. Source lines are computed only when a message needs one:
the document is composed once more into YAML nodes, which keep their positions.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from json.decoder import scanstring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

import yaml

from .errors import GenerationError

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: How much of a value a message may quote.
EXCERPT = 60


def escape_pointer_part(part: str | int) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def pointer(*parts: str | int) -> str:
    """The JSON pointer (RFC 6901) of a location given as keys and indexes."""
    return "".join(f"/{escape_pointer_part(part)}" for part in parts) or "/"


def split_pointer(value: str) -> list[str]:
    if value in ("", "/"):
        return []
    return [part.replace("~1", "/").replace("~0", "~") for part in value.lstrip("/").split("/")]


def excerpt(value: Any, limit: int = EXCERPT) -> str:
    """A short one-line rendering of ``value`` for messages (never a whole body or image)."""
    text = (
        json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else value
    )
    text = " ".join(text.split())
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


#: Lookups done on a JSON document's text before composing its nodes once pays off.
_JSON_LOOKUPS = 25
_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def json_line(text: str, location: str) -> int | None:
    """The line of ``location`` in a JSON text (of its nearest parent when absent), found by
    skipping sibling values with the json module; None when ``text`` is not JSON."""
    if not text.lstrip().startswith(("{", "[")):
        return None
    try:
        pos = _SPACE.match(text, 0).end()  # type: ignore[union-attr]
        for part in split_pointer(location):
            child = _child(text, pos, part)
            if child is None:
                break
            pos = child
    except (ValueError, IndexError):
        return None
    return text.count("\n", 0, pos) + 1


def _child(text: str, pos: int, part: str) -> int | None:
    """Where the value under key or index ``part`` of the container at ``pos`` starts."""
    opening = text[pos]
    if opening not in "{[":
        return None
    closing = "}" if opening == "{" else "]"
    pos = _SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
    index = 0
    while text[pos] != closing:
        if opening == "{":
            key, pos = scanstring(text, pos + 1)
            pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
            if text[pos] != ":":
                raise ValueError("not JSON")
            pos = _SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
            if key == part:
                return pos
        elif part == str(index):
            return pos
        _value, pos = _DECODER.raw_decode(text, pos)
        pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
        if text[pos] == ",":
            pos = _SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
        index += 1
    return None


@dataclass
class Source:
    """A loaded document: its bytes, its data, and (lazily) the line of each location."""

    path: Path
    raw: bytes
    data: Any
    _nodes: Any = field(default=None, repr=False)
    _json_lookups: int = field(default=0, repr=False)
    _text: str | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self.raw.decode("utf-8", "replace")
        return self._text

    def line(self, location: str) -> int | None:
        """1-based line of the value at JSON pointer ``location`` (else of its nearest parent)."""
        if self._nodes is None and self._json_lookups < _JSON_LOOKUPS:
            # Composing YAML nodes of a 13 MB JSON document takes 20 s; a few lookups that skip
            # siblings at the json module's speed take well under one each.
            self._json_lookups += 1
            found = json_line(self.text, location)
            if found is not None:
                return found
        if self._nodes is None:
            try:
                self._nodes = yaml.compose(self.text, Loader=_LOADER)
            except yaml.YAMLError:
                self._nodes = False
        node = self._nodes
        if not node:
            return None
        for part in split_pointer(location):
            child = None
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if str(key.value) == part:
                        child = value
                        break
            elif isinstance(node, yaml.SequenceNode) and part.isdigit():
                index = int(part)
                child = node.value[index] if index < len(node.value) else None
            if child is None:
                break
            node = child
        return int(node.start_mark.line) + 1

    def where(self, location: str) -> str:
        """``file:line pointer`` for messages."""
        line = self.line(location)
        return f"{self.path.name}:{line} {location}" if line else f"{self.path.name} {location}"


def load_source(path: Path) -> Source:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GenerationError(f"cannot read the spec {path}: {exc}") from exc
    return Source(path=path, raw=raw, data=parse_document(raw, path))


def parse_document(raw: bytes, path: Path) -> Any:
    """The document in ``raw`` (JSON or YAML)."""
    if raw.lstrip()[:1] in (b"{", b"["):
        try:
            return json.loads(raw)
        except ValueError:
            pass  # YAML flow style also starts with a brace
    try:
        return yaml.load(raw, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise GenerationError(
            f"refusing to generate: {path} is not valid YAML/JSON{where}: {problem}"
        ) from exc
