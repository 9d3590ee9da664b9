"""The oracle is worth running: template bugs that pass generation, import and mypy fail it.

Each test copies generator/templates, puts a known bug back (the ones issue 28 found in real
SDKs), generates tests/generator/hygiene.yaml with the copy and expects the oracle to fail on
the model the bug breaks, while the same model passes with the real templates
(test_oracle.py's hygiene test).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import generator.run_codegen

from . import oracle
from .support import HYGIENE, REPO, generate

pytestmark = pytest.mark.timeout(600)

TEMPLATES = REPO / "generator" / "templates"


def _data_collision(templates: Path) -> None:
    """from_dict's working dict named ``_data`` and temporaries ``_<property>`` again: a
    property named ``data`` then reads ``_data = _data.pop("data")``."""
    model = templates / "model.py.jinja"
    text = model.read_text(encoding="utf-8").replace("_remaining", "_data")
    model.write_text(text, encoding="utf-8")
    macros = templates / "property_templates" / "property_macros.py.jinja"
    text = macros.read_text(encoding="utf-8")
    text = text.replace("{{ property.python_name }}__raw", "_{{ property.python_name }}")
    text = text.replace('property.python_name + "__raw"', '"_" + property.python_name')
    macros.write_text(text, encoding="utf-8")


def _first_const_only(templates: Path) -> None:
    """openapi-python-client 0.29.1's rule back in our union template: only alternatives with a
    type check are tried in a ``try``; a const has none, so the first one raises and the others
    are never tried."""
    union = templates / "property_templates" / "union_property.py.jinja"
    text = union.read_text(encoding="utf-8")
    tried = "{% if ns.seen < ns.constructs or ns.unmodified %}"
    assert tried in text
    upstream = (
        "{% if inner_template.check_type_for_construct"
        " and (ns.seen < ns.constructs or ns.unmodified) %}"
    )
    union.write_text(text.replace(tried, upstream), encoding="utf-8")


def _scalars_unchecked(templates: Path) -> None:
    """openapi-python-client's trust in a scalar's JSON type back: a model's ``from_dict`` takes
    any value for a ``str`` property, so a union of models that differ only in that property's
    type parses everything as its first member."""
    model = templates / "model.py.jinja"
    text = model.read_text(encoding="utf-8")
    check = '{% if instance in ["str", "int", "float", "bool"] %}'
    assert check in text
    model.write_text(text.replace(check, "{% if false %}"), encoding="utf-8")


def _closed_members_take_any_keys(templates: Path) -> None:
    """The union's rule for closed models taken out: the first member that parses wins, so
    ``{message, sha}`` parses as the closed member that declares ``message`` alone."""
    union = templates / "property_templates" / "union_property.py.jinja"
    text = union.read_text(encoding="utf-8")
    rule = '{% set closed = is_closed(inner_property) == "True" %}'
    assert rule in text
    union.write_text(text.replace(rule, "{% set closed = false %}"), encoding="utf-8")


def _list_items_unchecked(templates: Path) -> None:
    """openapi-python-client's trust in a scalar list's items back: ``_cast`` alone, so a union
    of models that differ only in an array's depth parses every value as its first."""
    lists = templates / "property_templates" / "list_property.py.jinja"
    text = lists.read_text(encoding="utf-8")
    check = '{% if item in ["str", "int", "float", "bool"] %}'
    assert check in text
    lists.write_text(text.replace(check, "{% if false %}"), encoding="utf-8")


def _mutant(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    oracle_root: Path,
    package: str,
    mutate: Callable[[Path], None],
) -> oracle.Result:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    mutate(templates)
    monkeypatch.setattr(generator.run_codegen, "TEMPLATES_DIR", templates)
    generated = generate(HYGIENE, package, oracle_root)
    subject = oracle.subject(generated.spec, generated.config, generated.output)
    result = oracle.Result()
    oracle.check_models(subject, 10, result)
    return result


def test_the_oracle_catches_a_local_named_like_a_property(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, oracle_root: Path
) -> None:
    result = _mutant(tmp_path, monkeypatch, oracle_root, "mutant_data_sdk", _data_collision)
    # Holder's optional `data` is parsed through the temporary that now shadows the dict.
    assert "Holder" in result.models_failed, result.summary()


def test_the_oracle_catches_a_union_of_consts_that_tries_only_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, oracle_root: Path
) -> None:
    result = _mutant(tmp_path, monkeypatch, oracle_root, "mutant_union_sdk", _first_const_only)
    assert "Event" in result.models_failed, result.summary()
    assert "must match const" in result.models_failed["Event"]


def test_the_oracle_catches_models_that_accept_any_scalar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, oracle_root: Path
) -> None:
    result = _mutant(tmp_path, monkeypatch, oracle_root, "mutant_scalar_sdk", _scalars_unchecked)
    assert "Event" in result.models_failed, result.summary()
    assert "TextValue" in result.models_failed["Event"]


def test_the_oracle_catches_a_closed_union_member_that_drops_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, oracle_root: Path
) -> None:
    result = _mutant(
        tmp_path, monkeypatch, oracle_root, "mutant_closed_sdk", _closed_members_take_any_keys
    )
    assert "Merge" in result.models_failed, result.summary()
    assert "round trip" in result.models_failed["Merge"]


def test_the_oracle_catches_list_items_taken_on_trust(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, oracle_root: Path
) -> None:
    result = _mutant(tmp_path, monkeypatch, oracle_root, "mutant_list_sdk", _list_items_unchecked)
    assert "Geo" in result.models_failed, result.summary()
