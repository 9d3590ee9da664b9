# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
from enum import StrEnum


class ItemStatus(StrEnum):
    """The values of the ``ItemStatus`` schema."""

    ACTIVE = "active"
    ARCHIVED = "archived"
    DRAFT = "draft"

    def __str__(self) -> str:
        return str(self.value)
