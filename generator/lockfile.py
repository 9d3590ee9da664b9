"""Writes ``generator.lock.json``: what the committed SDK was generated from, as hashes.

Deterministic on purpose (sorted keys, no timestamps, no paths), so it is part of the byte-for-byte
``--check`` comparison: a template edit without regenerating shows up there as well.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

from .settings import GENERATOR_DIR, Settings

LOCK_NAME = "generator.lock.json"


def _generator_files() -> list[Path]:
    return sorted(
        path
        for path in GENERATOR_DIR.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )


def generator_sha256() -> str:
    """A hash over the generator's sources, templates, ruff settings and default config."""
    digest = hashlib.sha256()
    for path in _generator_files():
        digest.update(path.relative_to(GENERATOR_DIR).as_posix().encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def lock_content(spec_bytes: bytes, settings: Settings) -> str:
    data = {
        "config_sha256": hashlib.sha256(settings.path.read_bytes()).hexdigest(),
        "generator_sha256": generator_sha256(),
        "openapi_python_client": version("openapi-python-client"),
        "ruff": version("ruff"),
        "spec_sha256": hashlib.sha256(spec_bytes).hexdigest(),
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def write_lock(package_dir: Path, spec_bytes: bytes, settings: Settings) -> None:
    (package_dir / LOCK_NAME).write_text(lock_content(spec_bytes, settings), encoding="utf-8")
