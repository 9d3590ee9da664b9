"""Compare request bodies (what callers send) and success responses (what the SDK parses).

Only 2xx responses are compared: they are what the generated ``sync`` functions return;
error bodies do not change the SDK's call signatures or return types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import rules
from .compare_schemas import REQUEST_KINDS, RESPONSE_KINDS, SchemaComparer, SchemaKinds
from .findings import Kind, Reporter
from .operations import Operation
from .resolve import Resolver, as_mapping
from .rules import Direction


def compare_request_bodies(
    old_op: Operation, new_op: Operation, old: Resolver, new: Resolver, reporter: Reporter
) -> None:
    if "requestBody" not in old_op.raw and "requestBody" not in new_op.raw:
        return
    old_body = old.deref(old_op.raw["requestBody"]) if "requestBody" in old_op.raw else None
    new_body = new.deref(new_op.raw["requestBody"]) if "requestBody" in new_op.raw else None
    if old_body is None and new_body is not None:
        required = new_body.get("required") is True
        reporter.emit(
            Kind.REQUEST_BODY_ADDED,
            rules.body_added(Direction.INPUT, required),
            "body",
            "",
            "required" if required else "optional",
            f"The operation now takes a {'required' if required else 'optional'} request body.",
        )
        return
    if new_body is None and old_body is not None:
        reporter.emit(
            Kind.REQUEST_BODY_REMOVED,
            rules.body_removed(Direction.INPUT),
            "body",
            "required" if old_body.get("required") is True else "optional",
            "",
            "The request body was removed; callers passing `body` break.",
        )
        return
    if old_body is None or new_body is None:
        return
    was, now = old_body.get("required") is True, new_body.get("required") is True
    if was != now:
        reporter.emit(
            Kind.REQUEST_BODY_REQUIRED_CHANGED,
            rules.required_changed(Direction.INPUT, now),
            "body",
            "required" if was else "optional",
            "required" if now else "optional",
            f"The request body is now {'required' if now else 'optional'}.",
        )
    _compare_content(
        old_body.get("content"),
        new_body.get("content"),
        "body",
        _Context(old, new, Direction.INPUT, REQUEST_KINDS, reporter),
    )


def success_responses(raw: Mapping[str, Any], resolver: Resolver) -> dict[str, Mapping[str, Any]]:
    """2xx (and ``2XX``) responses by status text, ``$ref``s followed."""
    return {
        str(status): resolver.deref(response)
        for status, response in as_mapping(raw.get("responses")).items()
        if str(status).startswith("2")
    }


def compare_responses(
    old_op: Operation, new_op: Operation, old: Resolver, new: Resolver, reporter: Reporter
) -> None:
    old_responses = success_responses(old_op.raw, old)
    new_responses = success_responses(new_op.raw, new)
    context = _Context(old, new, Direction.OUTPUT, RESPONSE_KINDS, reporter)
    for status, old_response in old_responses.items():
        location = f"response.{status}"
        if status not in new_responses:
            reporter.emit(
                Kind.RESPONSE_STATUS_REMOVED,
                rules.status_removed(),
                location,
                status,
                "",
                f"Success response {status} is no longer documented; callers lose its body.",
            )
            continue
        old_content = as_mapping(old_response.get("content"))
        new_content = as_mapping(new_responses[status].get("content"))
        if old_content and not new_content:
            reporter.emit(
                Kind.RESPONSE_BODY_REMOVED,
                rules.body_removed(Direction.OUTPUT),
                location,
                ", ".join(str(t) for t in old_content),
                "",
                f"Response {status} no longer has a body; the SDK returns None.",
            )
        elif new_content and not old_content:
            reporter.emit(
                Kind.RESPONSE_BODY_ADDED,
                rules.body_added(Direction.OUTPUT, required=False),
                location,
                "",
                ", ".join(str(t) for t in new_content),
                f"Response {status} now has a body.",
            )
        else:
            _compare_content(old_content, new_content, location, context)
    for status in new_responses:
        if status not in old_responses:
            reporter.emit(
                Kind.RESPONSE_STATUS_ADDED,
                rules.status_added(),
                f"response.{status}",
                "",
                status,
                f"New success response {status}; the current SDK treats it as undocumented.",
            )


@dataclass(frozen=True)
class _Context:
    """Everything a content comparison needs besides the two content maps."""

    old: Resolver
    new: Resolver
    direction: Direction
    kinds: SchemaKinds
    reporter: Reporter

    @property
    def verb(self) -> str:
        return "accepted" if self.direction is Direction.INPUT else "returned"

    @property
    def media_kinds(self) -> tuple[Kind, Kind]:
        if self.direction is Direction.INPUT:
            return Kind.REQUEST_MEDIA_TYPE_ADDED, Kind.REQUEST_MEDIA_TYPE_REMOVED
        return Kind.RESPONSE_MEDIA_TYPE_ADDED, Kind.RESPONSE_MEDIA_TYPE_REMOVED


def _compare_content(old_raw: object, new_raw: object, root: str, context: _Context) -> None:
    """Pair media types by name; the root location names the type only when it must."""
    old_content = {str(k): as_mapping(v) for k, v in as_mapping(old_raw).items()}
    new_content = {str(k): as_mapping(v) for k, v in as_mapping(new_raw).items()}
    added_kind, removed_kind = context.media_kinds
    common = [media for media in old_content if media in new_content]
    for media in old_content:
        if media not in new_content:
            context.reporter.emit(
                removed_kind,
                rules.media_type_removed(),
                root,
                media,
                "",
                f"Media type {media} is no longer {context.verb} at `{root}`.",
            )
    for media in new_content:
        if media not in old_content:
            context.reporter.emit(
                added_kind,
                rules.media_type_added(),
                root,
                "",
                media,
                f"Media type {media} added at `{root}`.",
            )
    for media in common:
        location = root if len(common) == 1 else f"{root}[{media}]"
        comparer = SchemaComparer(
            context.old, context.new, context.direction, context.kinds, context.reporter
        )
        comparer.compare(
            old_content[media].get("schema", {}), new_content[media].get("schema", {}), location
        )
