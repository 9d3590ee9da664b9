"""Compares a fresh generation with the committed package, byte for byte (``--check``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: Produced by running the code, never by the generator: not drift.
IGNORED_PARTS = frozenset({"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"})


@dataclass
class Drift:
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changed or self.missing or self.extra)

    def lines(self) -> list[str]:
        return [
            *(f"changed: {name}" for name in self.changed),
            *(f"missing: {name}" for name in self.missing),
            *(f"extra:   {name}" for name in self.extra),
        ]


def _files(root: Path) -> dict[str, Path]:
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): path
        for path in root.rglob("*")
        if (path.is_file() or path.is_symlink())
        and not IGNORED_PARTS.intersection(path.relative_to(root).parts)
        and path.suffix != ".pyc"
    }


def compare_trees(expected: Path, committed: Path) -> Drift:
    """What differs in ``committed`` from ``expected`` (missing = expected but not committed)."""
    want, have = _files(expected), _files(committed)
    drift = Drift()
    for name in sorted(want.keys() | have.keys()):
        if name not in have:
            drift.missing.append(name)
        elif name not in want:
            drift.extra.append(name)
        elif have[name].is_symlink() or want[name].read_bytes() != have[name].read_bytes():
            drift.changed.append(name)
    return drift
