"""Pair the two documents' operations and compare each pair, part by part.

Everything the SDK exposes is checked per operation: its name (tag + operationId), security,
parameters, request body and success responses. Namespaces (tags as SDK modules) are
reported once each, since ``sdk.<tag>`` appears or disappears as a whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import rules
from .compare_bodies import compare_request_bodies, compare_responses
from .compare_parameters import compare_parameters
from .findings import Finding, Kind, Reporter
from .operations import Operation, describe_security, index_operations
from .resolve import Resolver


def compare_documents(old_doc: Mapping[str, Any], new_doc: Mapping[str, Any]) -> list[Finding]:
    """Unsorted findings; ``DiffResult.from_findings`` orders them."""
    old, new = Resolver(old_doc), Resolver(new_doc)
    old_ops = index_operations(old_doc, old)
    new_ops = index_operations(new_doc, new)
    findings: list[Finding] = []
    _compare_namespaces(list(old_ops.values()), list(new_ops.values()), findings)
    for key, old_op in old_ops.items():
        reporter = Reporter(old_op.sdk_name, old_op.method, old_op.path, findings)
        new_op = new_ops.get(key)
        if new_op is None:
            reporter.emit(
                Kind.OPERATION_REMOVED,
                True,
                "",
                old_op.route,
                "",
                f"sdk.{old_op.sdk_name} ({old_op.route}) was removed.",
            )
            continue
        _compare_names(old_op, new_op, reporter)
        _compare_security(old_op, new_op, reporter)
        compare_parameters(old_op, new_op, old, new, reporter)
        compare_request_bodies(old_op, new_op, old, new, reporter)
        compare_responses(old_op, new_op, old, new, reporter)
    for key, new_op in new_ops.items():
        if key not in old_ops:
            Reporter(new_op.sdk_name, new_op.method, new_op.path, findings).emit(
                Kind.OPERATION_ADDED,
                False,
                "",
                "",
                new_op.route,
                f"New operation sdk.{new_op.sdk_name} ({new_op.route}).",
            )
    return findings


def _compare_namespaces(
    old_ops: list[Operation], new_ops: list[Operation], findings: list[Finding]
) -> None:
    old_spaces = {op.namespace for op in old_ops}
    new_spaces = {op.namespace for op in new_ops}
    for space in sorted(new_spaces - old_spaces):
        Reporter(space, "", "", findings).emit(
            Kind.TAG_ADDED, False, "tag", "", f"sdk.{space}", f"New SDK namespace sdk.{space}."
        )
    for space in sorted(old_spaces - new_spaces):
        Reporter(space, "", "", findings).emit(
            Kind.TAG_REMOVED,
            True,
            "tag",
            f"sdk.{space}",
            "",
            f"SDK namespace sdk.{space} no longer exists.",
        )


def _compare_names(old_op: Operation, new_op: Operation, reporter: Reporter) -> None:
    if old_op.operation_id != new_op.operation_id:
        old_name = old_op.sdk_name.rsplit(".", 1)[1]
        new_name = new_op.sdk_name.rsplit(".", 1)[1]
        breaking = rules.name_changed(old_name, new_name)
        effect = f"becomes sdk.{new_op.sdk_name}" if breaking else "keeps its SDK name"
        reporter.emit(
            Kind.OPERATION_RENAMED,
            breaking,
            "operationId",
            old_op.operation_id,
            new_op.operation_id,
            f"operationId {old_op.operation_id} -> {new_op.operation_id}: "
            f"sdk.{old_op.sdk_name} {effect}.",
        )
    if old_op.tag != new_op.tag:
        breaking = rules.name_changed(old_op.namespace, new_op.namespace)
        effect = (
            f"moves from sdk.{old_op.namespace} to sdk.{new_op.namespace}"
            if breaking
            else "keeps its SDK namespace"
        )
        reporter.emit(
            Kind.OPERATION_TAG_CHANGED,
            breaking,
            "tags",
            old_op.tag,
            new_op.tag,
            f"Tag {old_op.tag} -> {new_op.tag}: sdk.{old_op.sdk_name} {effect}.",
        )


def _compare_security(old_op: Operation, new_op: Operation, reporter: Reporter) -> None:
    if old_op.security == new_op.security:
        return
    old_text, new_text = describe_security(old_op.security), describe_security(new_op.security)
    if rules.is_public(old_op.security) and not rules.is_public(new_op.security):
        message = f"Now requires authentication ({new_text}); anonymous calls fail."
    elif rules.is_public(new_op.security) and not rules.is_public(old_op.security):
        message = "No longer requires authentication."
    else:
        message = f"Accepted credentials changed from {old_text} to {new_text}."
    reporter.emit(
        Kind.SECURITY_CHANGED,
        rules.security_changed(old_op.security, new_op.security),
        "security",
        old_text,
        new_text,
        message,
    )
