"""A partial benchmark run rewrites only its own sections of docs/benchmarks.md."""

from __future__ import annotations

from benchmarks.run import CHARTS, NOTES, merge_sections

PAGE = "# Benchmarks\n\nintro\n\n## Alpha one\n\nold a\n\n## Beta two\n\nold b\n" + CHARTS + NOTES


def test_a_section_replaces_the_one_with_its_heading() -> None:
    page = merge_sections(PAGE, ["## Beta two (new figures)\n\nnew b"], "_note_")
    assert "## Beta two (new figures)\n\n_note_\n\nnew b\n" in page
    assert "old b" not in page and "old a" in page
    assert page.count(CHARTS.strip("\n")) == 1


def test_a_new_section_goes_after_the_one_before_it() -> None:
    sections = ["## Alpha one\n\nnew a", "## Gamma three\n\nnew c"]
    page = merge_sections(PAGE, sections, "_note_")
    assert page.index("new a") < page.index("## Gamma three") < page.index("## Beta two")
    assert "old a" not in page and "old b" in page


def test_a_new_section_alone_goes_last() -> None:
    page = merge_sections(PAGE, ["## Gamma three\n\nnew c"], "_note_")
    assert page.index("old b") < page.index("## Gamma three") < page.index(CHARTS.strip("\n"))
