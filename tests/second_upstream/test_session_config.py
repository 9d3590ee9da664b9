"""The ``session:`` section: inferred from the document, overridden by the config, refused when
it names what the document lacks; the pagination styles init and the generator recognise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from generator.errors import GenerationError
from generator.init import build_config
from generator.session import infer
from sdk_session import Credentials

from .variants import SPEC, config_with, generate, load

ROOT = Path(__file__).resolve().parents[2]


def drf_spec() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return spec


def test_simplejwt_and_items_api_bindings_are_inferred_from_their_documents() -> None:
    assert infer(drf_spec()) == {
        "kind": "operations",
        "login": "token_create",
        "username_field": "username",
        "password_field": "password",
        "access_field": "access",
        "body": "json",
        "refresh_field": "refresh",
        "token_type_field": None,
        "expires_in_field": None,
        "refresh": "token_refresh_create",
        "refresh_request_field": "refresh",
        "logout": None,
    }
    items = infer(yaml.safe_load((ROOT / "spec" / "openapi.yaml").read_text(encoding="utf-8")))
    assert (items["login"], items["username_field"], items["logout"]) == (
        "login",
        "email",
        "logout",
    )
    assert (items["token_type_field"], items["expires_in_field"]) == ("token_type", "expires_in")


def test_init_guesses_page_numbers_and_leaves_the_session_to_inference() -> None:
    config, notes = build_config(SPEC, "drf_sdk")
    assert config["pagination"]["style"] == "page_number"
    assert config["pagination"]["expect"] == ["items.items_list"]
    assert config["session"] == {}
    assert any(
        n.startswith("session: login token_create (username, password; json)") for n in notes
    )


def test_configured_keys_win_over_inference_and_the_report_says_which(tmp_path: Path) -> None:
    config = config_with("drf_form_sdk", session={"body": "form", "logout": None})
    output, report = generate(tmp_path, config)
    assert report is not None
    assert "session body: form (configured)" in report.session
    assert "session login: token_create (inferred)" in report.session
    binding = load(output, "session").Binding()
    request = binding.login_request(httpx.URL("http://127.0.0.1:1"), Credentials("u", "p"))
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.content == b"username=u&password=p"
    assert request.url.path == "/api/token/"


@pytest.mark.parametrize(
    ("session", "expected"),
    [
        ({"username_field": "email"}, "has no request field 'email'"),
        ({"login": "nope"}, "'nope' is not a generated operation"),
        ({"colour": "blue"}, "unknown key(s) colour"),
        ({"body": "xml"}, "must be json or form"),
        ({"access_field": None}, "session.access_field: may not be null"),
    ],
)
def test_a_session_the_document_cannot_serve_is_refused(
    tmp_path: Path, session: dict[str, Any], expected: str
) -> None:
    with pytest.raises(GenerationError) as refused:
        generate(tmp_path, config_with("drf_bad_sdk", session=session))
    assert expected in refused.value.render()
    assert not (tmp_path / "drf_bad_sdk").exists()  # nothing half-written


def test_an_unknown_pagination_style_is_refused(tmp_path: Path) -> None:
    pagination = config_with("x")["pagination"] | {"style": "offset"}
    with pytest.raises(GenerationError, match="'style' must be one of cursor, page_number"):
        generate(tmp_path, config_with("drf_bad_sdk", pagination=pagination))
