"""Atomic replacement of the committed package by a verified staging copy.

Staging dirs are hidden siblings of the target (same filesystem, so renames are atomic). The old
tree is renamed aside, the new one renamed in, then the old one deleted; if the second rename
fails the old tree is renamed back. Anything that fails earlier never touches the target at all.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import GenerationError
from .lockfile import LOCK_NAME


def refuse_foreign_target(target: Path) -> None:
    """Never replace a directory we did not generate (one without our lock file)."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise GenerationError(f"refusing to replace {target}: it is not a directory")
    if target.is_dir() and any(target.iterdir()) and not (target / LOCK_NAME).is_file():
        raise GenerationError(
            f"refusing to replace {target}: it has no {LOCK_NAME}, so it was not generated "
            "(remove it by hand if it really is a stale generated package)"
        )


def make_staging(target: Path) -> Path:
    """A fresh hidden directory next to ``target``; the package is built inside it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))


def swap_into_place(new: Path, target: Path) -> None:
    """Replace ``target`` with ``new`` (both in the same directory tree)."""
    aside: Path | None = None
    if target.exists():
        aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rename(target, aside / target.name)
    try:
        os.rename(new, target)
    except OSError as exc:
        if aside is not None:
            os.rename(aside / target.name, target)
            shutil.rmtree(aside, ignore_errors=True)
        raise GenerationError(f"could not move the new package into {target}: {exc}") from exc
    if aside is not None:
        shutil.rmtree(aside)
