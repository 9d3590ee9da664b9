"""Drives openapi-python-client 0.29.1 through its Python API into a fresh directory.

Using the API (not the CLI) lets us parse a rewritten in-memory spec, inspect the parse result
before anything is written (see plan.py), and lay out the API package our way: operations live in
private modules (``api/<tag>/_<name>.py``) so a module can never shadow the operation attribute
of the same name, and every module is rendered from our templates.
"""

from __future__ import annotations

import contextlib
import io
import re
from importlib.metadata import version
from pathlib import Path
from typing import Any

from openapi_python_client import Project
from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.errors import GeneratorError
from openapi_python_client.schema.openapi_schema_pydantic import OpenAPI
from pydantic import ValidationError

from . import REQUIRED_OPENAPI_PYTHON_CLIENT
from .apidoc import write_reference
from .errors import GenerationError
from .guard import reported_as_bug
from .inputs import Inputs
from .loosen import parse_quietly
from .plan import SdkPlan, build_plan, declare_field
from .settings import TEMPLATES_DIR, Settings


def check_generator_version() -> str:
    """Refuse any openapi-python-client but the pinned one: its output is what we commit."""
    installed = version("openapi-python-client")
    if installed != REQUIRED_OPENAPI_PYTHON_CLIENT:
        raise GenerationError(
            f"openapi-python-client {installed} is installed, but generated_sdk/ is made with "
            f"{REQUIRED_OPENAPI_PYTHON_CLIENT}; install it with "
            f"`pip install openapi-python-client=={REQUIRED_OPENAPI_PYTHON_CLIENT}` "
            "(or `pip install -e '.[generator]'`)"
        )
    return installed


class SdkProject(Project):
    """openapi-python-client's Project with our API layout and extra modules."""

    def __init__(
        self, *, openapi: GeneratorData, config: Config, plan: SdkPlan, inputs: Inputs
    ) -> None:
        super().__init__(openapi=openapi, config=config, custom_template_path=TEMPLATES_DIR)
        self.plan = plan
        self.env.globals.update(
            sdk=plan,
            header=plan.header,
            declare_field=declare_field,
            inputs=inputs,
        )
        self.env.filters["json_annotation"] = json_annotation

    def _render(self, template: str, target: Path, **context: Any) -> None:
        text = self.env.get_template(template).render(**context)
        target.write_text(text, encoding=self.config.file_encoding)

    def _build_api(self) -> None:
        package = self.package_dir
        self._render("client.py.jinja", package / "client.py")
        self._render("errors.py.jinja", package / "errors.py")
        self._render("sdk_readme.md.jinja", package / "README.md")
        if self.plan.session is not None:
            self._render("session.py.jinja", package / "session.py", session=self.plan.session)
        if self.plan.security is not None:
            self._render("security.py.jinja", package / "security.py")
        write_reference(self.env, self.plan, package, openapi=self.openapi)
        (package / "py.typed").write_text("", encoding=self.config.file_encoding)

        api_dir = package / "api"
        api_dir.mkdir()
        self._render("api_init.py.jinja", api_dir / "__init__.py")
        for tag in self.plan.tags:
            tag_dir = api_dir / tag.name
            tag_dir.mkdir()
            self._render("endpoint_init.py.jinja", tag_dir / "__init__.py", tag=tag)
            for operation in tag.operations:
                self._render(
                    "endpoint_module.py.jinja",
                    tag_dir / f"{operation.module}.py",
                    endpoint=operation.endpoint,
                    op=operation,
                )


_FILE_TYPES = re.compile(r"\bFileTypes\b")


def json_annotation(type_string: str) -> str:
    """The annotation of a value in a JSON document (``to_dict``): openapi-python-client's JSON
    type string, but a binary property there is its text (``File.to_text``), not the
    ``FileTypes`` tuple a multipart body sends."""
    return _FILE_TYPES.sub("str", type_string)


def make_config(
    settings: Settings,
    spec_path: Path,
    output: Path,
    content_type_overrides: dict[str, str] | None = None,
) -> Config:
    options = dict(settings.openapi_python_client)
    if content_type_overrides:
        options["content_type_overrides"] = {
            **content_type_overrides,
            **(options.get("content_type_overrides") or {}),
        }
    try:
        config_file = ConfigFile(**options)
    except ValidationError as exc:
        raise GenerationError(
            f"{settings.path}: invalid openapi_python_client section: {exc}"
        ) from exc
    return Config.from_sources(
        config_file,
        MetaType.NONE,
        document_source=spec_path,
        file_encoding="utf-8",
        overwrite=False,
        output_path=output,
    )


def _errors(errors: list[GeneratorError] | tuple[GeneratorError, ...]) -> list[str]:
    return [f"{e.header.strip()} {(e.detail or '').strip()}".strip() for e in errors]


def parse_strict(spec: dict[str, Any], config: Config) -> GeneratorData:
    """openapi-python-client's parse result as it is (``--strict``: build_plan refuses gaps)."""
    try:
        openapi = OpenAPI.model_validate(spec)
    except ValidationError as exc:
        raise GenerationError(
            "openapi-python-client cannot read the spec",
            [" ".join(str(error["msg"]).split()) for error in exc.errors()][:40],
        ) from exc
    return parse_quietly(openapi, config)


def write_package(data: GeneratorData, plan: SdkPlan, config: Config, inputs: Inputs) -> None:
    """Render the package into ``config.output_path`` (which must not exist); its README.md and
    API.md name ``inputs`` (the spec, config and folder it is generated from and checked at)."""
    check_generator_version()
    project = SdkProject(openapi=data, config=config, plan=plan, inputs=inputs)
    captured = io.StringIO()
    with (
        reported_as_bug("rendering the package"),
        contextlib.redirect_stdout(captured),
        contextlib.redirect_stderr(captured),
    ):
        errors = project.build()
    if errors:
        raise GenerationError("openapi-python-client reported problems", _errors(list(errors)))


def plan_for(
    data: GeneratorData,
    spec: dict[str, Any],
    settings: Settings,
    wire_names: dict[tuple[str, str, str, str], tuple[str, str]] | None = None,
) -> SdkPlan:
    with reported_as_bug("planning the SDK"):
        return build_plan(data, spec, settings, wire_names)
