"""Each generated SDK's README.md and API.md speak of that SDK: its own spec, config and check
command, and its own client (``SessionClient`` where it has a session, ``AuthenticatedClient``
where it has none); paths as given to the generator, never absolute machine paths."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.inputs import Inputs, committed_path, shown_path
from generator.settings import DEFAULT_CONFIG

from .variants import config_with, generate

ROOT = Path(__file__).resolve().parents[2]
DRF_SDK = ROOT / "examples" / "drf" / "drf_sdk"
ITEMS_SDK = ROOT / "generated_sdk"
DRF_CHECK = (
    "python -m generator --check --spec examples/drf/spec/openapi.yaml "
    "--config examples/drf/drf_sdk.generator.yaml --output examples/drf/drf_sdk"
)
ITEMS_CHECK = (
    "python -m generator --check --spec spec/openapi.yaml --config generator/config.yaml "
    "--output generated_sdk"
)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("page", ["README.md", "API.md"])
def test_the_drf_sdk_pages_name_its_own_inputs_and_session_client(page: str) -> None:
    text = _text(DRF_SDK / page)
    assert "`examples/drf/spec/openapi.yaml`" in text
    assert "`examples/drf/drf_sdk.generator.yaml`" in text
    assert f"```sh\n{DRF_CHECK}\n```" in text
    assert "sdk.SessionClient" in text
    # never the Items API's spec, its make targets, or the session-less client
    assert re.search(r"(?<!examples/drf/)spec/openapi\.yaml", text) is None
    assert "make drift" not in text and "make regenerate" not in text
    assert "AuthenticatedClient" not in text
    # sdk_session.SessionClient is the runtime's client every SDK's SessionClient subclasses: a
    # page may name it as such, never as the client to construct.
    assert (
        "sdk_session.SessionClient(" not in text and "from sdk_session import Session" not in text
    )
    assert str(ROOT) not in text


def test_the_drf_readme_shows_its_session_client_in_use() -> None:
    text = _text(DRF_SDK / "README.md")
    assert 'with sdk.SessionClient(base_url="http://127.0.0.1:8000") as client:' in text
    assert "client.login(username, password)" in text
    assert "`sdk.token.token_create` (`POST /api/token/`)" in text
    assert "`sdk.token.token_refresh_create` (`POST /api/token/refresh/`)" in text
    assert (
        "python -m generator --spec examples/drf/spec/openapi.yaml "
        "--config examples/drf/drf_sdk.generator.yaml --output examples/drf/drf_sdk"
    ) in text
    assert "- `session.py`: this API's `Binding` and `SessionClient`" in text


@pytest.mark.parametrize("page", ["README.md", "API.md"])
def test_the_items_sdk_pages_name_its_inputs_and_make_drift(page: str) -> None:
    text = _text(ITEMS_SDK / page)
    assert "`spec/openapi.yaml`" in text and "`generator/config.yaml`" in text
    assert f"```sh\n{ITEMS_CHECK}\n```" in text
    assert "(`make drift` runs it)" in text
    assert "examples/drf" not in text and str(ROOT) not in text
    if page == "README.md":
        # generated_sdk's session comes from `session:` in generator/config.yaml
        assert 'with sdk.SessionClient(base_url="http://127.0.0.1:8000") as client:' in text
        assert "client.login(email, password)" in text
        assert "(`make regenerate` runs this)" in text


def test_a_session_less_variant_shows_its_static_credentials(tmp_path: Path) -> None:
    """Without a session, the document's bearer scheme is a static credential (``Security``)."""
    output, _ = generate(tmp_path, config_with("plain_sdk", session=None))
    readme, api = _text(output / "README.md"), _text(output / "API.md")
    assert not (output / "session.py").exists()
    assert 'auth=sdk.Security(jwt_auth="...")' in readme
    assert "- `security.py`: `Security`" in readme
    assert "SessionClient" not in readme
    assert "`sdk.Client(base_url=..., auth=sdk.Security(...))`" in api
    assert "`sdk.AuthenticatedClient` (a fixed token) or `sdk.Client`" in api
    assert "sdk_session.SessionClient" not in api
    for text in (readme, api):
        assert "make drift" not in text
        # outside the working folder: relative to the SDK's parent folder, never absolute
        assert "--config plain_sdk.generator.yaml --output plain_sdk" in text
        assert str(tmp_path) not in text


def test_inputs_are_shown_relative_to_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "api").mkdir()
    inputs = Inputs.of(tmp_path / "api" / "doc.yaml", Path("c.yaml"), tmp_path / "my sdk")
    assert (inputs.spec, inputs.config, inputs.output) == ("api/doc.yaml", "c.yaml", "my sdk")
    assert inputs.check_command == (
        "python -m generator --check --spec api/doc.yaml --config c.yaml --output 'my sdk'"
    )
    assert not inputs.default_config
    # the generator's own config, wherever the generator lives
    assert Inputs.of(Path("s.yaml"), DEFAULT_CONFIG, Path("o")).config == "generator/config.yaml"
    assert Inputs.of(Path("s.yaml"), DEFAULT_CONFIG, Path("o")).default_config


def test_inputs_outside_the_working_folder_hold_no_machine_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work, project, elsewhere = tmp_path / "work", tmp_path / "project", tmp_path / "elsewhere"
    work.mkdir()
    monkeypatch.chdir(work)
    inputs = Inputs.of(project / "spec" / "a.yaml", project / "a.yaml", project / "a_sdk")
    assert (inputs.spec, inputs.config, inputs.output) == ("spec/a.yaml", "a.yaml", "a_sdk")
    inputs = Inputs.of(elsewhere / "a.yaml", project / "a.yaml", project / "a_sdk")
    assert inputs.spec == "a.yaml"  # neither under the working folder nor beside the SDK
    assert shown_path(elsewhere / "x.yaml", work) == "x.yaml"
    assert shown_path(DEFAULT_CONFIG, work) == "generator/config.yaml"


def test_staged_names_are_shown_as_the_committed_ones() -> None:
    # what `update` builds from (generator.swap.stage_file and make_staging)
    spec = Path("spec/.openapi.yaml.staging-abc_12")
    assert committed_path(spec) == Path("spec/openapi.yaml")
    package = Path("examples/drf/.drf_sdk.staging-123-x9/drf_sdk")
    assert committed_path(package) == Path("examples/drf/drf_sdk")
    assert committed_path(Path("examples/drf/drf_sdk")) == Path("examples/drf/drf_sdk")
    assert committed_path(Path("x/.other.staging-1/drf_sdk")) == Path("x/.other.staging-1/drf_sdk")
