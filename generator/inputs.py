"""What a generated SDK's README.md and API.md name as its inputs: its spec, its config, its folder.

Generated files are the same bytes on every clone and in every folder, so they never hold an
absolute machine path. Paths are shown relative to the working directory (the project's root,
where ``python -m generator`` runs) when the output folder is inside it, else relative to the
output folder's parent (where the SDK lives); a file of the generator itself (its default config)
as ``generator/...`` wherever the generator is installed; anything else by its name alone.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from .settings import DEFAULT_CONFIG, GENERATOR_DIR

#: Hidden staging names of ``generator.swap`` (``make_staging``, ``stage_file``):
#: ``.NAME.staging-...`` beside the committed NAME.
_STAGED = re.compile(r"^\.(?P<name>.+)\.staging-[^/]*$")


def _relative(path: Path, folder: Path) -> str | None:
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return None


def shown_path(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` when inside it; a generator file as ``generator/...``; else
    its name (never a machine-specific folder)."""
    inside = _relative(path, base)
    if inside is not None:
        return inside
    own = _relative(path, GENERATOR_DIR)
    return f"{GENERATOR_DIR.name}/{own}" if own is not None else path.name


def committed_path(path: Path) -> Path:
    """The committed file or folder a staged one replaces (``path`` itself when not staged):
    ``.openapi.yaml.staging-X`` -> ``openapi.yaml``; ``.pkg.staging-X/pkg`` -> ``pkg``."""
    staged = _STAGED.match(path.name)
    if staged:
        return path.parent / staged["name"]
    staged = _STAGED.match(path.parent.name)
    if staged and staged["name"] == path.name:
        return path.parent.parent / path.name
    return path


@dataclass(frozen=True)
class Inputs:
    """An SDK's spec, config and output folder as its documentation names them."""

    spec: str
    config: str
    output: str
    #: Made with the generator's own config (generator/config.yaml): the project's SDK, which
    #: ``make regenerate`` and ``make drift`` cover.
    default_config: bool

    @classmethod
    def of(cls, spec: Path, config: Path, output: Path) -> Inputs:
        spec, output = committed_path(spec), committed_path(output)
        base = Path.cwd() if _relative(output, Path.cwd()) is not None else output.parent
        return cls(
            spec=shown_path(spec, base),
            config=shown_path(config, base),
            output=shown_path(output, base),
            default_config=config.resolve() == DEFAULT_CONFIG.resolve(),
        )

    def _arguments(self) -> str:
        return " ".join(
            f"--{flag} {shlex.quote(value)}"
            for flag, value in (
                ("spec", self.spec),
                ("config", self.config),
                ("output", self.output),
            )
        )

    @property
    def generate_command(self) -> str:
        """The command that (re)generates this SDK."""
        return f"python -m generator {self._arguments()}"

    @property
    def check_command(self) -> str:
        """The command that fails when this SDK's folder differs from what its inputs make."""
        return f"python -m generator --check {self._arguments()}"
