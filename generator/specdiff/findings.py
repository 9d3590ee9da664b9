"""The report's vocabulary: stable finding kinds, the finding record and the sorted result.

Kinds are stable strings so CI scripts and reviewers can filter on them; ordering is fixed
(route, then operation-level, security, parameters, request, response) so two runs over the
same pair of documents print byte-identical reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """Every change the engine reports. The value is the stable public code."""

    TAG_ADDED = "tag.added"
    TAG_REMOVED = "tag.removed"
    OPERATION_ADDED = "operation.added"
    OPERATION_REMOVED = "operation.removed"
    OPERATION_RENAMED = "operation.renamed"
    OPERATION_TAG_CHANGED = "operation.tag_changed"
    SECURITY_CHANGED = "security.changed"
    PARAMETER_ADDED = "parameter.added"
    PARAMETER_REMOVED = "parameter.removed"
    PARAMETER_RENAMED = "parameter.renamed"
    PARAMETER_REQUIRED_CHANGED = "parameter.required_changed"
    PARAMETER_TYPE_CHANGED = "parameter.type_changed"
    PARAMETER_NULLABLE_CHANGED = "parameter.nullable_changed"
    PARAMETER_FIELD_ADDED = "parameter.field.added"
    PARAMETER_FIELD_REMOVED = "parameter.field.removed"
    REQUEST_BODY_ADDED = "request.body.added"
    REQUEST_BODY_REMOVED = "request.body.removed"
    REQUEST_BODY_REQUIRED_CHANGED = "request.body.required_changed"
    REQUEST_MEDIA_TYPE_ADDED = "request.media_type.added"
    REQUEST_MEDIA_TYPE_REMOVED = "request.media_type.removed"
    REQUEST_FIELD_ADDED = "request.field.added"
    REQUEST_FIELD_REMOVED = "request.field.removed"
    REQUEST_FIELD_REQUIRED_CHANGED = "request.field.required_changed"
    REQUEST_FIELD_TYPE_CHANGED = "request.field.type_changed"
    REQUEST_FIELD_NULLABLE_CHANGED = "request.field.nullable_changed"
    RESPONSE_STATUS_ADDED = "response.status_added"
    RESPONSE_STATUS_REMOVED = "response.status_removed"
    RESPONSE_BODY_ADDED = "response.body.added"
    RESPONSE_BODY_REMOVED = "response.body.removed"
    RESPONSE_MEDIA_TYPE_ADDED = "response.media_type.added"
    RESPONSE_MEDIA_TYPE_REMOVED = "response.media_type.removed"
    RESPONSE_FIELD_ADDED = "response.field.added"
    RESPONSE_FIELD_REMOVED = "response.field.removed"
    RESPONSE_FIELD_REQUIRED_CHANGED = "response.field.required_changed"
    RESPONSE_FIELD_TYPE_CHANGED = "response.field.type_changed"
    RESPONSE_FIELD_NULLABLE_CHANGED = "response.field.nullable_changed"
    ENUM_VALUE_ADDED = "enum.value_added"
    ENUM_VALUE_REMOVED = "enum.value_removed"


@dataclass(frozen=True)
class Finding:
    """One change at one place of one SDK call.

    ``operation`` is the SDK name (``tag.operation_id``) of the old operation, of the new one
    for additions, or the bare namespace for ``tag.*`` findings. ``old``/``new`` are short
    display strings, empty when not applicable.
    """

    kind: Kind
    breaking: bool
    operation: str
    method: str
    path: str
    location: str
    old: str
    new: str
    message: str

    @property
    def detail(self) -> str:
        """``old -> new``, ``+ new`` or ``- old``: the compact form the table shows."""
        if self.old and self.new:
            return f"{self.old} -> {self.new}"
        if self.new:
            return f"+ {self.new}"
        if self.old:
            return f"- {self.old}"
        return ""

    def to_dict(self) -> dict[str, str | bool]:
        return {
            "kind": str(self.kind),
            "breaking": self.breaking,
            "operation": self.operation,
            "method": self.method,
            "path": self.path,
            "location": self.location,
            "old": self.old,
            "new": self.new,
            "message": self.message,
        }


_PARAMETER_PREFIXES = ("path.", "query.", "header.", "cookie.")


def _location_rank(location: str) -> int:
    if location == "security":
        return 1
    if location.startswith(_PARAMETER_PREFIXES):
        return 2
    if location.startswith("body"):
        return 3
    if location.startswith("response"):
        return 4
    return 0


def sort_key(finding: Finding) -> tuple[str, str, str, int, str, str, str, str, bool, str]:
    """Route first, then the part of the call the finding is about."""
    return (
        finding.path,
        finding.method,
        finding.operation,
        _location_rank(finding.location),
        finding.location,
        str(finding.kind),
        finding.old,
        finding.new,
        finding.breaking,
        finding.message,
    )


@dataclass
class Reporter:
    """Collects findings for one operation so comparers need not repeat its identity."""

    operation: str
    method: str
    path: str
    sink: list[Finding] = field(default_factory=list)

    def emit(
        self, kind: Kind, breaking: bool, location: str, old: str, new: str, message: str
    ) -> None:
        self.sink.append(
            Finding(
                kind, breaking, self.operation, self.method, self.path, location, old, new, message
            )
        )


@dataclass(frozen=True)
class DiffResult:
    """All findings between two documents, sorted and de-duplicated."""

    findings: tuple[Finding, ...] = ()
    old_version: str = ""
    new_version: str = ""

    @classmethod
    def from_findings(
        cls, findings: list[Finding], old_version: str = "", new_version: str = ""
    ) -> DiffResult:
        unique = dict.fromkeys(sorted(findings, key=sort_key))
        return cls(tuple(unique), old_version, new_version)

    @property
    def breaking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.breaking)

    @property
    def breaking_count(self) -> int:
        return sum(1 for f in self.findings if f.breaking)

    @property
    def non_breaking_count(self) -> int:
        return len(self.findings) - self.breaking_count

    @property
    def has_breaking(self) -> bool:
        return self.breaking_count > 0

    def to_dict(self) -> dict[str, object]:
        return {
            "breaking": self.breaking_count,
            "non_breaking": self.non_breaking_count,
            "findings": [f.to_dict() for f in self.findings],
        }
