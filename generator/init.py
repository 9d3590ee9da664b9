"""``python -m generator init --spec PATH --package NAME``: a config for another API's document.

The default config is made for spec/openapi.yaml (the Items API): its pagination expectation and
error model name that API's operations and schemas. ``init`` reads another document and writes a
config for it: its own package name (so its SDK lives beside generated_sdk/ without replacing or
shadowing it), cursor pagination guessed from the document or left off, an error model guessed or
none. Everything else (policies, reserved names, secret fields) is the default config's.

A document generation would refuse is refused here, before anything is written, with
generation's own located messages: it is loaded and validated by the same code, then taken
through generation's steps up to the first file it writes with the config about to be written
(exit 1; exit 2 is bad usage: an unusable package name, or an existing config without --force).
The config is written whole or not at all.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import keyword
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from . import pipeline
from .errors import GenerationError
from .report import build_report
from .run_codegen import plan_for
from .security import describe, read_schemes, static_plan
from .session import infer_with_reasons
from .session import resolve as resolve_session
from .settings import DEFAULT_CONFIG, load_settings
from .source import Source, load_source
from .swap import refuse_foreign_target
from .validate import HTTP_METHODS, resolve_ref, sdk_name

#: Top-level names of this project a new SDK package may not take.
PROJECT_NAMES = frozenset(
    {
        "generated_sdk",
        "sdk_session",
        "reference_server",
        "generator",
        "tests",
        "benchmarks",
        "examples",
        "spec",
        "docs",
    }
)
_CURSOR_PARAMS = ("cursor", "page_token", "pageToken", "after", "starting_after", "next_token")
_NEXT_FIELDS = ("next_cursor", "nextCursor", "next_page_token", "nextPageToken", "next_token")
_CODE_FIELDS = ("code", "error", "error_code", "type", "status")
_MESSAGE_FIELDS = ("message", "detail", "error_description", "title", "msg")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator init",
        description="Write a generator config for another API's OpenAPI document, so its SDK "
        "is generated as its own package beside generated_sdk/.",
        epilog="Then: python -m generator --spec PATH --config CONFIG --output NAME",
    )
    parser.add_argument("--spec", type=Path, required=True, help="the API's OpenAPI document")
    parser.add_argument(
        "--package", required=True, help="Python package name of the SDK (e.g. shop_sdk)"
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help="where to write the config (default: NAME.generator.yaml in the current folder)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite an existing config")
    return parser


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for path, item in (spec.get("paths") or {}).items():
        if isinstance(item, dict):
            for method in HTTP_METHODS:
                if isinstance(item.get(method), dict):
                    found.append((str(path), method, item[method]))
    return found


def _json_schema(spec: dict[str, Any], response: Any) -> Any:
    response = resolve_ref(spec, response)
    if not isinstance(response, dict) or not isinstance(response.get("content"), dict):
        return None
    for content_type, media in response["content"].items():
        if "json" in str(content_type) and isinstance(media, dict):
            return media.get("schema")
    return None


def guess_pagination(spec: dict[str, Any]) -> tuple[str, str] | None:
    """(cursor query parameter, next-cursor field) when some list operation uses such a pair."""
    for path, method, operation in _operations(spec):
        item = spec["paths"][path]
        resolved = [
            resolve_ref(spec, raw)
            for raw in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]
        ]
        names = {
            str(p.get("name")) for p in resolved if isinstance(p, dict) and p.get("in") == "query"
        }
        cursor = next((c for c in _CURSOR_PARAMS if c in names), None)
        if cursor is None or method != "get":
            continue
        ok = (operation.get("responses") or {}).get("200")
        schema = resolve_ref(spec, _json_schema(spec, ok))
        properties = schema.get("properties") if isinstance(schema, dict) else None
        if isinstance(properties, dict):
            next_field = next((f for f in _NEXT_FIELDS if f in properties), None)
            if next_field is not None:
                return cursor, next_field
    return None


def guess_page_number(spec: dict[str, Any]) -> list[str]:
    """``tag.operation`` of every GET list with an integer ``page`` parameter whose answer has a
    ``next`` link and one array (Django REST framework's ``count/next/previous/results``)."""
    found = []
    for path, method, operation in _operations(spec):
        if method != "get":
            continue
        item = spec["paths"][path]
        parameters = [
            resolve_ref(spec, raw)
            for raw in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]
        ]
        page = next(
            (
                p
                for p in parameters
                if isinstance(p, dict) and p.get("in") == "query" and p.get("name") == "page"
            ),
            None,
        )
        if page is None or resolve_ref(spec, page.get("schema") or {}).get("type") != "integer":
            continue
        schema = resolve_ref(
            spec, _json_schema(spec, (operation.get("responses") or {}).get("200"))
        )
        properties = schema.get("properties") if isinstance(schema, dict) else None
        if not isinstance(properties, dict) or "next" not in properties:
            continue
        arrays = [p for p in properties.values() if resolve_ref(spec, p).get("type") == "array"]
        tags = operation.get("tags") or ["default"]
        if len(arrays) == 1 and operation.get("operationId"):
            found.append(f"{sdk_name(str(tags[0]))}.{sdk_name(str(operation['operationId']))}")
    return found


def guess_error_model(spec: dict[str, Any]) -> dict[str, str] | None:
    """The component schema most 4xx/5xx responses use, if it has string code + message fields."""
    uses: Counter[str] = Counter()
    for _path, _method, operation in _operations(spec):
        for code, response in (operation.get("responses") or {}).items():
            if not (str(code).startswith(("4", "5")) or code == "default"):
                continue
            schema = _json_schema(spec, response)
            if isinstance(schema, dict) and str(schema.get("$ref", "")).startswith(
                "#/components/schemas/"
            ):
                uses[str(schema["$ref"]).rsplit("/", 1)[1]] += 1
    for name, _count in uses.most_common():
        schema = resolve_ref(spec, {"$ref": f"#/components/schemas/{name}"})
        if not isinstance(schema, dict):
            continue
        properties: dict[str, Any] = schema.get("properties") or {}
        required = set(schema.get("required") or [])

        def string_field(
            candidates: tuple[str, ...],
            properties: dict[str, Any] = properties,
            required: set[str] = required,
        ) -> str | None:
            for field_name in candidates:
                prop = resolve_ref(spec, properties.get(field_name))
                if (
                    field_name in required
                    and isinstance(prop, dict)
                    and prop.get("type") == "string"
                ):
                    return field_name
            return None

        code, message = string_field(_CODE_FIELDS), string_field(_MESSAGE_FIELDS)
        if code and message and code != message:
            return {"name": name, "code_field": code, "message_field": message}
    return None


def check_package_name(name: str) -> None:
    if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
        raise GenerationError(f"--package {name!r} is not a usable Python package name")
    if name in PROJECT_NAMES or name in sys.stdlib_module_names:
        raise GenerationError(
            f"--package {name!r} would collide with this project's or Python's own {name!r}; "
            "choose another name (e.g. shop_sdk)"
        )


def read_document(spec_path: Path) -> Source:
    """The document at ``spec_path``, refused as generation refuses it: the same loading and the
    same document validation (:func:`generator.pipeline.validate_document`), so the same located
    messages; a :class:`GenerationError` when it is not YAML/JSON, not OpenAPI 3, or invalid."""
    source = load_source(spec_path)
    pipeline.validate_document(source, load_settings(DEFAULT_CONFIG))
    return source


def build_config(spec_path: Path, package: str) -> tuple[dict[str, Any], list[str]]:
    """The config for ``spec_path`` and one line per guess made."""
    check_package_name(package)
    return _guess_config(read_document(spec_path), package)


def _guess_config(source: Source, package: str) -> tuple[dict[str, Any], list[str]]:
    spec: dict[str, Any] = source.data  # a mapping: read_document validated it
    spec_path = source.path
    config: dict[str, Any] = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    shown = spec_path.resolve()
    with contextlib.suppress(ValueError):
        shown = shown.relative_to(Path.cwd().resolve())
    config["package_name"] = package
    config["header"] = (
        f"# Generated from {shown.as_posix()} by `python -m generator`; do not edit by hand."
    )
    config["openapi_python_client"].update(
        project_name_override=package.replace("_", "-"), package_name_override=package
    )
    notes: list[str] = []
    cursor = guess_pagination(spec)
    pages = guess_page_number(spec) if cursor is None else []
    if pages:
        config["pagination"] = {
            "style": "page_number",
            "page_param": "page",
            "next_field": "next",
            **{k: config["pagination"][k] for k in ("cursor_param", "next_cursor_field")},
            "exclude": [],
            "expect": pages,
        }
        notes.append(
            f"pagination: page numbers (`page`, while `next` is set) for {', '.join(pages)}"
        )
    elif cursor is None:
        config["pagination"].update(expect=[], exclude=[])
        notes.append(
            "pagination: off (no cursor parameter with a next-cursor field found; page-number "
            "pagination such as count/next/previous/results is returned as plain pages)"
        )
    else:
        config["pagination"].update(cursor_param=cursor[0], next_cursor_field=cursor[1])
        config["pagination"].update(expect=[], exclude=[])
        notes.append(f"pagination: cursor parameter {cursor[0]!r}, next cursor in {cursor[1]!r}")
    error_model = guess_error_model(spec)
    config["error_model"] = error_model
    notes.append(
        f"error model: {error_model['name']} (code {error_model['code_field']!r}, message "
        f"{error_model['message_field']!r})"
        if error_model
        else "error model: none (error bodies stay raw in errors.ApiError)"
    )
    config_session, session_notes = guess_session(spec)
    if config_session is None:
        config.pop("session", None)  # the template's (the Items API's) is not this document's
    else:
        config["session"] = config_session
    notes += session_notes
    # Hand-written code of this project imports generated_sdk, not this package. The package
    # imports the runtime (sdk_session), which `update` then type-checks it against.
    config["update"] = {"typecheck": [], "importable": ["sdk_session"]}
    return config, notes


def guess_session(spec: dict[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
    """The ``session:`` section for the document (None: no session) and one line per decision,
    with the security schemes it read."""
    notes = [
        f"security scheme {name}: {describe(scheme)}" for name, scheme in read_schemes(spec).items()
    ]
    inference = infer_with_reasons(spec, {})
    session, why = inference.values, inference.reasons
    config: dict[str, Any] | None = {}
    if session["kind"] == "oauth2" and session.get("token_url"):
        grant = session["grant"]
        notes.append(f"session grant: {grant} ({why['grant']})")
        where = (
            f"operation {session['login']}"
            if session.get("login")
            else "not in paths: the flow's URL is enough"
        )
        notes.append(
            f"session login: {grant} grant at {session['token_url']} ({why['token_url']}; {where})"
        )
        refresh_url = session.get("refresh_url")
        notes.append(
            f"session refresh: refresh_token grant at {refresh_url} ({why['refresh_url']})"
            if refresh_url
            else f"session refresh: none ({why['refresh_url']})"
        )
        notes.append(f"session scopes: {' '.join(session['scopes']) or 'none'} ({why['scopes']})")
        notes.append(
            f"session client authentication: {session['client_auth']} ({why['client_auth']})"
        )
        notes.append(
            f"session logout: revocation at {session['revocation_url']} (RFC 7009)"
            if session.get("revocation_url")
            else f"session logout: none ({why['revocation_url']})"
        )
        usage = "SessionClient(base_url=..., client_id=..., client_secret=...)" + (
            "" if grant == "client_credentials" else " and login(username, password)"
        )
        notes.append(
            "session: inferred at each generation (set keys under `session:` to override); "
            f"the SDK gets a {usage} (session.py)"
        )
    elif session["kind"] == "operations" and "login" in session and "refresh" in session:
        # Empty: every key is inferred at generation (and reported); a key set here wins.
        notes.append(
            f"session: login {session['login']} ({session['username_field']}, "
            f"{session['password_field']}; {session['body']}), refresh {session['refresh']} "
            f"({session['refresh_request_field']}), logout {session['logout'] or 'none'}; "
            "inferred at each generation (set keys under `session:` to override); the SDK gets a "
            "SessionClient (session.py)"
        )
    elif session["kind"] == "operations" and "login" in session and "refresh_field" not in session:
        config = {"refresh": None}
        notes.append(
            f"session: login {session['login']} ({session['username_field']}, "
            f"{session['password_field']}; {session['body']}), no refresh (its answer has no "
            "refresh token: `refresh: null`, sessions renew by logging in again), logout "
            f"{session['logout'] or 'none'}; the SDK gets a SessionClient (session.py)"
        )
    else:
        config = None
        notes.append("session: no login + refresh operations recognised (no SessionClient)")
    security = static_plan(
        spec,
        session_scheme=None
        if config is None
        else (str(session.get("scheme") or "") if session["kind"] == "oauth2" else ""),
    )
    if security is not None:
        notes += security.notes
    return config, notes


def check_generation(source: Source, config_text: str, target: Path, output: Path) -> None:
    """Refuse what generating ``source`` with this config into ``output`` would refuse.

    Runs generation's own steps up to the first file it writes (policies, parse, plan, session,
    report; :func:`generator.pipeline.prepare` and what ``build_prepared`` does before writing), so
    a config ``init`` writes is one generation accepts. Nothing is written: the config is read
    from a scratch copy and stands for ``target`` in messages.
    """
    with tempfile.TemporaryDirectory(prefix="generator-init-") as scratch:
        scratch_config = Path(scratch) / target.name
        scratch_config.write_text(config_text, encoding="utf-8")
        settings = dataclasses.replace(load_settings(scratch_config), path=target)
    output = output.absolute()
    pipeline.check_target_name(output, settings)
    refuse_foreign_target(output)
    prepared = pipeline.prepare(source, settings, output)
    adapted = prepared.adapted
    plan = plan_for(prepared.data, adapted.spec, settings, adapted.wire_names)
    if settings.session is not None:
        plan.session = resolve_session(settings.session, adapted.spec, plan)
    build_report(source, adapted, plan, [*prepared.warnings, *adapted.warnings])


def _write_atomically(target: Path, text: str) -> None:
    """``target`` holds ``text`` whole, or is left as it was (never a partial file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    staged = Path(name)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(staged, 0o644)
        os.replace(staged, target)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


def main(argv: Sequence[str]) -> int:
    """Exit status: 0 written; 1 refused (the document, or generation with this config, would
    be refused; nothing is written); 2 bad usage (package name, existing config)."""
    args = _parser().parse_args(list(argv))
    target: Path = args.config or Path(f"{args.package}.generator.yaml")
    output = target.parent / args.package
    try:
        check_package_name(args.package)
        if target.exists() and not args.force:
            raise GenerationError(f"{target} exists; pass --force to overwrite it")
    except GenerationError as exc:
        print(f"generator init: {exc.render()}", file=sys.stderr)
        return 2
    try:
        source = read_document(args.spec)
        config, notes = _guess_config(source, args.package)
        text = (
            f"# Generator config for {args.spec.name}, written by `python -m generator init`.\n"
            "# The keys are explained in generator/config.yaml; `policies`, `default_tag` and "
            "`exclude`\n# there say how odd operations are adapted (or refused with --strict).\n"
            + yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
        )
        check_generation(source, text, target, output)
    except GenerationError as exc:
        print(f"generator init: {exc.render()}", file=sys.stderr)
        print(f"generator init: {target} was not written.", file=sys.stderr)
        return 1
    _write_atomically(target, text)
    print(f"generator init: wrote {target}")
    for note in notes:
        print(f"generator init: {note}")
    print(
        f"generator init: next: python -m generator --spec {args.spec} --config {target} "
        f"--output {output.as_posix()}"
    )
    return 0
