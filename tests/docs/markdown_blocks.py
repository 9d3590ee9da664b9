"""The Python blocks of the documentation and the programs they are run as.

Every fenced block tagged ``python`` (or ``py``, ``python3``, ``py3``) in README.md and
docs/*.md is one of:

- a complete program, run as it is;
- a fragment, whose first line says so and which program it belongs to, in one of the forms

  ``# fragment: continues the example above``
      run after the nearest Python block above it in the same file;
  ``# fragment: replaces `NAME = ...` in the example above``
      run as that block with its one top-level ``NAME = ...`` statement replaced by this one;
  ``# fragment: needs NAME, the ... server's URL ...``
      run with ``NAME`` bound to the server's URL first.

A block with any other ``# fragment:`` line is an error, so a block is never skipped unnoticed.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON_TAGS = frozenset({"python", "py", "python3", "py3"})
MARKER = "# fragment:"
CONTINUES = re.compile(r"# fragment: continues the example above\b")
REPLACES = re.compile(
    r"# fragment: replaces `(?P<name>[A-Za-z_]\w*) = \.\.\.` in the example above\b"
)
NEEDS = re.compile(r"# fragment: needs (?P<name>[A-Za-z_]\w*), the [^,]*server's URL\b")
# The URL a program block uses for the API server; the tests put the real one in its place.
API_PLACEHOLDER = "http://127.0.0.1:8000"
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


class DocsError(Exception):
    """A block or a fragment line the test cannot turn into a program."""


@dataclass(frozen=True)
class Block:
    """One fenced Python block: where it is and its code (fence indentation removed)."""

    path: str  # relative to the checkout, e.g. "docs/redis.md"
    line: int  # the opening fence's line, 1-based
    code: str

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def marker(self) -> str | None:
        """The block's ``# fragment:`` first line, if it has one."""
        first = self.code.lstrip("\n").split("\n", 1)[0].strip()
        return first if first.startswith(MARKER) else None


def markdown_files(root: Path = ROOT) -> list[Path]:
    """README.md and every Markdown file under docs/."""
    return [root / "README.md", *sorted((root / "docs").rglob("*.md"))]


def python_blocks(text: str, path: str) -> list[Block]:
    """The Python blocks of one Markdown text, in order (CommonMark fences)."""
    blocks: list[Block] = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if opening is None or (opening["fence"][0] == "`" and "`" in opening["info"]):
            index += 1
            continue
        fence, indent = opening["fence"], len(opening["indent"])
        tag = opening["info"].strip().split(" ", 1)[0].lower()
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        end = index + 1
        while end < len(lines) and not closing.match(lines[end]):
            end += 1
        if end == len(lines):
            raise DocsError(f"{path}:{index + 1}: a code block that is never closed")
        if tag in PYTHON_TAGS:
            body = [_dedent(line, indent) for line in lines[index + 1 : end]]
            blocks.append(Block(path, index + 1, "\n".join(body) + "\n"))
        index = end + 1
    return blocks


def _dedent(line: str, indent: int) -> str:
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, indent) :]


def all_blocks(root: Path = ROOT) -> list[Block]:
    blocks: list[Block] = []
    for file in markdown_files(root):
        relative = file.relative_to(root).as_posix()
        blocks.extend(python_blocks(file.read_text(encoding="utf-8"), relative))
    return blocks


@dataclass(frozen=True)
class Program:
    """What runs for one block: the block itself, or the program a fragment belongs to."""

    block: Block
    code: str
    is_fragment: bool


def program_of(block: Block, blocks: list[Block]) -> Program:
    """The program ``block`` is run as; ``blocks`` are the blocks of all files, in order."""
    marker = block.marker
    if marker is None:
        return Program(block, block.code, is_fragment=False)
    if CONTINUES.match(marker):
        above = program_of(_above(block, blocks), blocks)
        return Program(block, above.code.rstrip("\n") + "\n\n" + block.code, is_fragment=True)
    replaces = REPLACES.match(marker)
    if replaces:
        above = program_of(_above(block, blocks), blocks)
        code = _replace_assignment(above.code, replaces["name"], block)
        return Program(block, code, is_fragment=True)
    needs = NEEDS.match(marker)
    if needs:
        code = f"{needs['name']} = {API_PLACEHOLDER!r}\n{block.code}"
        return Program(block, code, is_fragment=True)
    raise DocsError(
        f"{block.where}: unknown fragment line {marker!r}; use one of: "
        "'# fragment: continues the example above', "
        "'# fragment: replaces `NAME = ...` in the example above', "
        "'# fragment: needs NAME, the ... server's URL'"
    )


def _above(block: Block, blocks: list[Block]) -> Block:
    position = blocks.index(block)
    if position == 0 or blocks[position - 1].path != block.path:
        raise DocsError(f"{block.where}: a fragment with no Python block above it in its file")
    return blocks[position - 1]


def _replace_assignment(code: str, name: str, block: Block) -> str:
    statements = [
        node
        for node in ast.parse(code).body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
    ]
    if len(statements) != 1:
        raise DocsError(
            f"{block.where}: the example above has {len(statements)} top-level "
            f"`{name} = ...` statements, not one"
        )
    node = statements[0]
    assert node.end_lineno is not None
    lines = code.split("\n")
    replaced = [*lines[: node.lineno - 1], block.code.rstrip("\n"), *lines[node.end_lineno :]]
    return "\n".join(replaced)
