"""Proves a freshly generated package works before it may replace the committed one.

Both checks run in subprocesses against the staging copy, imported under the package's final name
(the staging root first on ``sys.path``), so nothing from the committed tree is used by mistake:

* every module imports, every lazy attribute resolves, and ``import <package>`` alone stays lazy
  (no models, operations or httpx imported);
* ``mypy --strict`` passes.

Bytecode and mypy caches are kept out of the tree (``-B``; mypy's cache lives in the system temp
dir, outside the tree, which makes repeated runs faster; ``ITEMS_SDK_MYPY_CACHE`` names another
folder, e.g. for two generations at once, which would otherwise share one cache).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from .errors import GenerationError
from .settings import MYPY_CONFIG, Settings

_IMPORT_CHECK = r"""
import importlib, os, pkgutil, sys

root, name = sys.argv[1], sys.argv[2]
sys.path.insert(0, root)
package = importlib.import_module(name)
expected = os.path.realpath(os.path.join(root, name, "__init__.py"))
if os.path.realpath(package.__file__) != expected:
    sys.exit(f"imported {package.__file__}, expected {expected}")
eager = sorted(
    m for m in sys.modules
    if m == "httpx" or m.startswith((name + ".api.", name + ".models.", name + ".client"))
)
if eager:
    sys.exit(f"`import {name}` is not lazy: it imported {', '.join(eager)}")
for info in pkgutil.walk_packages(package.__path__, name + "."):
    importlib.import_module(info.name)
for attribute in package.__all__:
    getattr(package, attribute)
for tag in package.__all__:
    namespace = getattr(package, tag)
    if getattr(namespace, "__name__", "").startswith(name + ".api."):
        for op_name in namespace.__all__:
            op = getattr(namespace, op_name)
            for method in ("__call__", "asyncio", "detailed", "asyncio_detailed"):
                if not callable(getattr(op, method, None)):
                    sys.exit(f"{tag}.{op_name} lacks {method}")
models = importlib.import_module(name + ".models")
for model in models.__all__:
    getattr(models, model)
"""

MYPY_CACHE = Path(tempfile.gettempdir()) / "items-sdk-generator-mypy-cache"


def mypy_cache() -> Path:
    """mypy's cache folder: ``ITEMS_SDK_MYPY_CACHE`` when set (two generations running at once on
    one cache can fail spuriously), else MYPY_CACHE."""
    return Path(os.environ.get("ITEMS_SDK_MYPY_CACHE") or MYPY_CACHE)


def _run(
    command: list[str], cwd: Path, timeout: float, what: str, extra: dict[str, str] | None = None
) -> None:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)
    env.update(extra or {})
    try:
        result = subprocess.run(
            command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise GenerationError(f"{what}: timed out after {timeout:.0f}s") from exc
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().splitlines()
        raise GenerationError(f"{what} failed", output[-40:])


def verify_imports(package_dir: Path, settings: Settings) -> None:
    root = package_dir.parent
    _run(
        [sys.executable, "-I", "-B", "-c", _IMPORT_CHECK, str(root), package_dir.name],
        cwd=root,
        timeout=settings.verify_timeout_seconds,
        what="importing the generated package",
    )


def _runtime_path() -> dict[str, str]:
    """MYPYPATH holding the runtime ``sdk_session``, which every generated package imports, when
    it is an editable install (its import hook is invisible to mypy). An installed one is in
    site-packages, where mypy finds it, and which mypy refuses on MYPYPATH."""
    spec = importlib.util.find_spec("sdk_session")
    if spec is None or spec.origin is None:
        return {}
    folder = Path(spec.origin).resolve().parent.parent
    installed = {Path(sysconfig.get_path(name)).resolve() for name in ("purelib", "platlib")}
    return {} if folder in installed else {"MYPYPATH": str(folder)}


def verify_types(package_dir: Path, settings: Settings) -> None:
    extra = _runtime_path()
    _run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(MYPY_CONFIG),
            "--cache-dir",
            str(mypy_cache()),
            "--no-error-summary",
            "--hide-error-context",
            package_dir.name,
        ],
        cwd=package_dir.parent,
        timeout=settings.verify_timeout_seconds,
        what="mypy --strict on the generated package",
        extra=extra,
    )
