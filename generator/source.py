"""Reads an OpenAPI document and tells where a JSON pointer sits in its text.

JSON documents are read with the json module (many times faster than YAML on multi-megabyte
files), YAML with libyaml when available. Source lines are computed only when a message needs one:
the document is composed once more into YAML nodes, which keep their positions.
"""

from __future__ import annotations

import bisect
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


_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def json_line(
    text: str,
    location: str,
    index: dict[int, dict[str, int]] | None = None,
    newlines: list[int] | None = None,
) -> int | None:
    """The line of ``location`` in a JSON text (of its nearest parent when absent), found by
    skipping sibling values with the json module; None when ``text`` is not JSON.

    ``index`` (container offset -> its keys' value offsets) is filled as containers are read,
    so many lookups cost about one parse of the document, never a YAML composition of it.
    """
    pos = _skip_space(text, 0)
    if text[pos : pos + 1] not in ("{", "["):
        return None
    index = {} if index is None else index
    try:
        for part in split_pointer(location):
            if pos not in index:
                index[pos] = _children(text, pos)
            child = index[pos].get(part)
            if child is None:
                break
            pos = child
    except (ValueError, IndexError):
        return None
    if newlines is not None:  # offsets of every newline: many lookups on one text
        return bisect.bisect_left(newlines, pos) + 1
    return text.count("\n", 0, pos) + 1


def _skip_space(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    return match.end() if match else pos


def _children(text: str, pos: int) -> dict[str, int]:
    """Key (or index) -> offset of its value, for the container at ``pos`` ({} for a scalar)."""
    opening = text[pos]
    if opening not in "{[":
        return {}
    closing = "}" if opening == "{" else "]"
    found: dict[str, int] = {}
    pos = _skip_space(text, pos + 1)
    count = 0
    while text[pos] != closing:
        key = str(count)
        if opening == "{":
            key, pos = scanstring(text, pos + 1)
            pos = _skip_space(text, pos)
            if text[pos] != ":":
                raise ValueError("not JSON")
            pos = _skip_space(text, pos + 1)
        found.setdefault(key, pos)
        _value, pos = _DECODER.raw_decode(text, pos)
        pos = _skip_space(text, pos)
        if text[pos] == ",":
            pos = _skip_space(text, pos + 1)
        count += 1
    return found


@dataclass
class Source:
    """A loaded document: its bytes, its data, and (lazily) the line of each location."""

    path: Path
    raw: bytes
    data: Any
    _nodes: Any = field(default=None, repr=False)
    _json_index: dict[int, dict[str, int]] = field(default_factory=dict, repr=False)
    _newlines: list[int] | None = field(default=None, repr=False)
    _text: str | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self.raw.decode("utf-8", "replace")
        return self._text

    def line(self, location: str) -> int | None:
        """1-based line of the value at JSON pointer ``location`` (else of its nearest parent)."""
        if self._nodes is None:
            # Composing YAML nodes of a 13 MB JSON document takes 20 s; reading only the
            # containers on the way, at the json module's speed, takes about one parse.
            if self._newlines is None:
                self._newlines = [m.start() for m in re.finditer("\n", self.text)]
            found = json_line(self.text, location, self._json_index, self._newlines)
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
