"""The runtime knows no generated package; generated packages know the runtime, not each other;
nothing imports in a circle; an application using one SDK loads no other (issue 26)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RUNTIME = "sdk_session"
GENERATED = {
    "generated_sdk": REPO / "generated_sdk",
    "drf_sdk": REPO / "examples/drf/drf_sdk",
    "oauth2_sdk": REPO / "examples/oauth2/oauth2_sdk",
}
PACKAGES = {RUNTIME: REPO / RUNTIME, **GENERATED}
MAX_RUNTIME_MODULE_LINES = 400


def _module_name(package: str, root: Path, path: Path) -> str:
    parts = [package, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports(package: str, root: Path) -> dict[str, set[str]]:
    """Every module of ``package`` -> the modules it imports when it is imported (top-level
    statements, ``if TYPE_CHECKING:`` blocks left out: they never run)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        module = _module_name(package, root, path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found: set[str] = set()
        for node in tree.body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import):
                    found.update(alias.name for alias in inner.names)
                elif isinstance(inner, ast.ImportFrom):
                    target = _resolve(module, path.name == "__init__.py", inner)
                    found.add(target)
                    found.update(f"{target}.{alias.name}" for alias in inner.names)
        graph[module] = found
    return graph


def _everything(package: str, root: Path) -> set[str]:
    """Every module ``package`` imports anywhere (functions and TYPE_CHECKING included)."""
    found: set[str] = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                found.add(node.module)
    return found


def _top(name: str) -> str:
    return name.split(".", 1)[0]


def test_the_runtime_imports_no_generated_package() -> None:
    imported = {_top(name) for name in _everything(RUNTIME, PACKAGES[RUNTIME])}
    assert imported.isdisjoint(GENERATED), sorted(imported & set(GENERATED))


@pytest.mark.parametrize("package", sorted(GENERATED))
def test_a_generated_package_imports_the_runtime_and_no_other_generated_package(
    package: str,
) -> None:
    imported = {_top(name) for name in _everything(package, GENERATED[package])}
    assert RUNTIME in imported
    assert imported & set(GENERATED) <= {package}, sorted(imported & set(GENERATED))


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_no_module_imports_itself_in_a_circle(package: str) -> None:
    graph = _imports(package, PACKAGES[package])
    edges = {m: {t for t in targets if t in graph and t != m} for m, targets in graph.items()}
    # A package's __init__ importing its own submodules is how packages work, not a cycle.
    for module, targets in edges.items():
        targets.difference_update(t for t in list(targets) if module.startswith(t + "."))
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                cycles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_the_graph_walker_sees_a_cycle(tmp_path: Path) -> None:
    """The check above can fail: two modules importing each other are found."""
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "a.py").write_text("from . import b\n")
    (tmp_path / "b.py").write_text("from .a import x\n")
    graph = _imports("pkg", tmp_path)
    assert "pkg.b" in graph["pkg.a"] and "pkg.a" in graph["pkg.b"]


def test_an_application_using_only_drf_sdk_loads_no_items_sdk() -> None:
    code = (
        "import sys\n"
        "import drf_sdk as sdk\n"
        "client = sdk.SessionClient(base_url='http://127.0.0.1:9')\n"
        "sdk.items.items_list, sdk.errors.NotFound, sdk.models.Item, sdk.token.token_create\n"
        "try:\n"
        "    sdk.items.items_list(client)\n"
        "except sdk.errors.SdkError as exc:\n"
        "    print(type(exc).__name__)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'generated_sdk', 'drf_sdk'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO / "examples" / "drf",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == ["NotLoggedIn", "['drf_sdk']"]


def test_every_runtime_module_is_small_enough_to_hold_in_mind() -> None:
    sizes = {
        str(path.relative_to(REPO)): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGES[RUNTIME].rglob("*.py")
    }
    assert {p: n for p, n in sizes.items() if n > MAX_RUNTIME_MODULE_LINES} == {}
