"""The account printed after every run: what the document had, and what became of each operation.

``lost`` is operations in the document that are neither generated nor excluded by the config; a
run that would lose one is refused, so a finished run always reports 0.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .adapt import Adaptation, Adapted, count_operations
from .errors import GenerationError
from .plan import SdkPlan, exclude_line
from .security import describe, read_schemes
from .source import Source

#: How adaptations name operations: ``operation 'id' (GET /x)`` or ``operation GET /x``.
_OPERATION = re.compile(r"^operation (?:'.*' \()?(?P<where>[A-Z]+ /[^)]*)\)?$")


@dataclass
class Report:
    document: str
    operations_in_document: int
    generated: int
    excluded: list[str]
    adaptations: list[Adaptation]
    warnings: list[str]
    models: int
    tags: int
    paginated: list[str] = field(default_factory=list)
    #: How iter()/aiter() walk pages (``pagination.style``).
    pagination_style: str = "cursor"
    #: One line per ``session:`` key: its value and whether it was configured or inferred.
    session: list[str] = field(default_factory=list)
    #: The document's security schemes and what the SDK does with each.
    security: list[str] = field(default_factory=list)
    #: Webhooks the document describes (OpenAPI 3.1): requests the API sends, not operations.
    webhooks: int = 0
    #: Component schemas left out by ``exclude:`` (typed Any wherever they are used).
    excluded_schemas: list[str] = field(default_factory=list)
    #: Wall time of each phase of the run (read, validate, parse, plan, render, ruff, import
    #: check, mypy), in seconds.
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def lost(self) -> int:
        return self.operations_in_document - self.generated - len(self.excluded)

    def adapted_operations(self) -> set[str]:
        """``METHOD /path`` of every operation some adaptation names."""
        found: set[str] = set()
        for adaptation in self.adaptations:
            match = _OPERATION.search(adaptation.subject)
            if match:
                found.add(match["where"])
        return found

    def by_policy(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for adaptation in self.adaptations:
            counts[adaptation.policy] = counts.get(adaptation.policy, 0) + 1
        return dict(sorted(counts.items()))

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "operations": {
                "in_document": self.operations_in_document,
                "generated": self.generated,
                "excluded": len(self.excluded),
                "adapted": len(self.adapted_operations()),
                "lost": self.lost,
            },
            "excluded": self.excluded,
            "excluded_schemas": self.excluded_schemas,
            "webhooks": self.webhooks,
            "adaptations": [
                {"policy": a.policy, "subject": a.subject, "detail": a.detail}
                for a in self.adaptations
            ],
            "adaptations_by_policy": self.by_policy(),
            "warnings": self.warnings,
            "tags": self.tags,
            "models": self.models,
            "paginated": self.paginated,
            "pagination_style": self.pagination_style,
            "session": self.session,
            "security": self.security,
            "seconds": {name: round(value, 3) for name, value in self.seconds.items()},
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False)

    def lines(self, *, limit: int = 20) -> list[str]:
        """The human-readable report; long lists are cut at ``limit`` entries each."""
        data = self.as_dict()["operations"]
        lines = [
            f"operations: {data['in_document']} in the document, {data['generated']} generated, "
            f"{data['excluded']} excluded by config, {data['adapted']} adapted, "
            f"{data['lost']} lost",
        ]
        if self.operations_in_document == 0:
            described = f"{self.webhooks} webhook(s) and " if self.webhooks else ""
            lines.append(
                f"no operations: the document describes {described}no paths; the package holds "
                f"its {self.models} model(s) only"
            )
        if self.session:
            lines.append("session module (session.py; `session:` in the config):")
            lines += [f"  {line}" for line in self.session]
        if self.security:
            lines.append("security (components.securitySchemes):")
            lines += [f"  {line}" for line in self.security]
        if self.paginated and self.pagination_style != "cursor":
            lines.append(
                f"paginated ({self.pagination_style}): {', '.join(self.paginated[:limit])}"
            )
        if self.adaptations:
            summary = ", ".join(f"{name} {count}" for name, count in self.by_policy().items())
            lines.append(f"adaptations ({len(self.adaptations)}; by policy: {summary}):")
            lines += [f"  {a.render()}" for a in self.adaptations[:limit]]
            if len(self.adaptations) > limit:
                lines.append(
                    f"  ... and {len(self.adaptations) - limit} more (all of them: --report json)"
                )
        if self.excluded or self.excluded_schemas:
            lines.append("excluded by config:")
            lines += [f"  {label}" for label in self.excluded[:limit]]
            lines += [f"  schema {name!r} (typed Any)" for name in self.excluded_schemas[:limit]]
        if self.warnings:
            lines.append(f"warnings ({len(self.warnings)}; they do not affect generation):")
            lines += [f"  {w}" for w in self.warnings[:limit]]
            if len(self.warnings) > limit:
                lines.append(f"  ... and {len(self.warnings) - limit} more (--report json)")
        return lines


def build_report(source: Source, adapted: Adapted, plan: SdkPlan, warnings: list[str]) -> Report:
    """The report of a run; refuses (raises) if any operation would be lost."""
    adaptations = list(adapted.adaptations)
    for op in plan.operations:
        if op.raw:
            adaptations.append(
                Adaptation(
                    "no_success_response",
                    f"operation {op.operation_id!r} ({op.method} {op.path})",
                    "documents no 2xx response; returns the httpx.Response (status below 400)",
                )
            )
    report = Report(
        document=source.path.name,
        operations_in_document=count_operations(source.data),
        generated=len(plan.operations),
        excluded=list(adapted.excluded),
        adaptations=adaptations,
        warnings=warnings,
        models=len(plan.models),
        tags=len(plan.tags),
        paginated=[op.qualified for op in plan.operations if op.page],
        pagination_style=next((op.page.style for op in plan.operations if op.page), "cursor"),
        session=list(plan.session.notes) if plan.session is not None else [],
        security=security_lines(adapted.spec, plan),
        webhooks=len(source.data.get("webhooks") or {}),
        excluded_schemas=list(adapted.excluded_schemas),
    )
    if report.lost:
        generated = {(op.method, op.path) for op in plan.operations}
        missing = [
            f"{method.upper()} {path}"
            for path, item in (adapted.spec.get("paths") or {}).items()
            if isinstance(item, dict)
            for method in item
            if isinstance(item[method], dict)
            and (method.upper(), path) not in generated
            and method in ("get", "put", "post", "delete", "options", "head", "patch", "trace")
        ]
        raise GenerationError(
            f"refusing to write a partial SDK: {report.lost} operation(s) would be lost",
            [f"{where} (to leave it out: {exclude_line(where)})" for where in missing[:40]],
        )
    return report


def security_lines(spec: dict[str, Any], plan: SdkPlan) -> list[str]:
    """One line per security scheme of the document, then what the SDK does with them."""
    lines = [f"scheme {name}: {describe(scheme)}" for name, scheme in read_schemes(spec).items()]
    if plan.security is not None:
        lines += plan.security.notes
    return lines
