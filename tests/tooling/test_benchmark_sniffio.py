"""The sniffio benchmark's two site-packages views differ only in sniffio."""

from __future__ import annotations

from pathlib import Path

from benchmarks.report import sniffio as sniffio_section
from benchmarks.scenarios.sniffio_cost import build_views, sign_test


def _site(root: Path, *, with_sniffio: bool) -> Path:
    site = root / "site-packages"
    (site / "httpcore").mkdir(parents=True)
    (site / "httpcore" / "__init__.py").write_text("")
    (site / "anyio-4.0.dist-info").mkdir()
    if with_sniffio:
        (site / "sniffio").mkdir()
        (site / "sniffio-1.3.1.dist-info").mkdir()
    return site


def test_views_from_a_site_without_sniffio(tmp_path: Path) -> None:
    site = _site(tmp_path / "venv", with_sniffio=False)
    source = _site(tmp_path / "base", with_sniffio=True) / "sniffio"
    (source / "__init__.py").write_text("")
    out = tmp_path / "views"
    out.mkdir()
    views = build_views(site, source, out)
    names = {variant: sorted(p.name for p in view.iterdir()) for variant, view in views.items()}
    assert names["without"] == ["anyio-4.0.dist-info", "httpcore"]
    assert names["with"] == names["without"] + ["sniffio", "sniffio-1.3.1.dist-info"]
    assert (views["with"] / "sniffio").resolve() == source.resolve()


def test_views_from_a_site_with_sniffio(tmp_path: Path) -> None:
    site = _site(tmp_path / "venv", with_sniffio=True)
    out = tmp_path / "views"
    out.mkdir()
    views = build_views(site, site / "sniffio", out)
    assert not any(p.name.startswith("sniffio") for p in views["without"].iterdir())
    assert (views["with"] / "sniffio").is_symlink()


def test_a_scenario_that_could_not_run_says_why() -> None:
    assert sniffio_section("no sniffio", "cmd") == "Not run: no sniffio."


def test_the_sign_test_is_the_binomial_tail() -> None:
    assert sign_test(20, 20) == 0.5**20
    assert sign_test(0, 20) == 1.0
    assert 0.02 < sign_test(15, 20) < 0.021
