"""Atomic replacement of the committed package by a verified staging copy.

Staging dirs are hidden siblings of the target (same filesystem, so renames are atomic). The old
tree is renamed aside, the new one renamed in, then the old one deleted; if the second rename
fails the old tree is renamed back. Anything that fails earlier never touches the target at all.

``update`` replaces the package and the spec together (``swap_package_and_file``): the new spec is
staged as a hidden file beside the committed one, the package is swapped as above but its old
tree kept aside until the spec's atomic ``os.replace`` has succeeded, and put back if it fails.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
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
    """A fresh hidden directory next to ``target``; the package is built inside it.

    Its name carries this process's id (``.NAME.staging-PID-XXXX``), so a later run can tell a
    folder left by a killed run from one in use.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{target.name}.staging-{os.getpid()}-"
    return Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))


def _alive(folder: Path, target: Path) -> bool:
    """Whether the process that made ``folder`` still runs (so the folder is in use)."""
    rest = folder.name[len(target.name) + 2 :].split("-")
    try:
        pid = int(rest[1])
    except (IndexError, ValueError):
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_staging(target: Path) -> list[Path]:
    """Delete staging folders left by runs that were killed; returns what was removed.

    A set-aside copy of the old package whose run died before the new one was moved in is the
    only copy left: it is put back at ``target`` rather than deleted.
    """
    removed: list[Path] = []
    if not target.parent.is_dir():
        return removed
    for folder in sorted(target.parent.glob(f".{target.name}.*-*")):
        kind = folder.name[len(target.name) + 2 :].split("-", 1)[0]
        if kind not in ("staging", "old") or not folder.is_dir() or _alive(folder, target):
            continue
        kept = folder / target.name
        if kind == "old" and kept.is_dir() and not target.exists():
            os.rename(kept, target)
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


class Terminated(SystemExit):
    """Raised in the main thread on SIGTERM, so ``finally`` blocks remove staging folders."""


@contextlib.contextmanager
def terminate_cleanly() -> Iterator[None]:
    """Turn SIGTERM into an exception for the duration (main thread only; else a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise Terminated(128 + signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def swap_into_place(new: Path, target: Path) -> None:
    """Replace ``target`` with ``new`` (both in the same directory tree)."""
    aside: Path | None = None
    if target.exists():
        prefix = f".{target.name}.old-{os.getpid()}-"
        aside = Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
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


def stage_file(content: bytes, target: Path) -> Path:
    """Write ``content`` to a hidden file next to ``target`` (same directory, so the final
    ``os.replace`` is one atomic rename), flushed to disk, with ``target``'s permissions."""
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.staging-", dir=target.parent)
    staged = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o644
        os.chmod(staged, mode)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return staged


def swap_package_and_file(
    new_package: Path, package_target: Path, new_file: Path, file_target: Path
) -> None:
    """Replace a package folder and a file together, or neither.

    1. the old package is renamed aside (kept), 2. the new package renamed in, 3. the new file
    renamed over the old one (``os.replace``: atomic, the old file is never missing). If step 2
    fails the old package is renamed back; if step 3 fails the new package is moved back to
    ``new_package`` and the old one restored. Only when all three succeeded is the old package
    deleted. What no filesystem offers is one atomic step over both: a crash between steps 2
    and 3 leaves the new package with the old file, which ``--check`` reports as drift.
    """
    aside: Path | None = None
    if package_target.exists():
        aside = Path(
            tempfile.mkdtemp(
                prefix=f".{package_target.name}.old-{os.getpid()}-", dir=package_target.parent
            )
        )
        os.rename(package_target, aside / package_target.name)
    try:
        os.rename(new_package, package_target)
    except OSError as exc:
        if aside is not None:
            os.rename(aside / package_target.name, package_target)
            shutil.rmtree(aside, ignore_errors=True)
        raise GenerationError(
            f"could not move the new package into {package_target}: {exc}"
        ) from exc
    try:
        os.replace(new_file, file_target)
    except OSError as exc:
        os.rename(package_target, new_package)
        if aside is not None:
            os.rename(aside / package_target.name, package_target)
            shutil.rmtree(aside, ignore_errors=True)
        raise GenerationError(
            f"could not replace {file_target}: {exc}; {package_target.name} was put back as it was"
        ) from exc
    if aside is not None:
        shutil.rmtree(aside)
