"""Import errors: each names the record and the field, in Finnish, and all of them are reported at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_ERRORS = 50  # enough to fix a file in one round, few enough to read


@dataclass(frozen=True)
class ImportIssue:
    record: str
    """``palvelu #4 (id=…, nimi="…")``, or ``tiedosto demo.json`` for problems with the whole file."""
    field: str | None
    """Path inside the record, e.g. ``service_areas[0].uri``; None when the whole record is meant."""
    message: str

    def __str__(self) -> str:
        where = f"{self.record}: kenttä {self.field}" if self.field else self.record
        return f"{where}: {self.message}"


class ImportValidationError(Exception):
    """The import was rejected and nothing was written. ``issues`` holds every problem found (up to a cap)."""

    def __init__(self, issues: Sequence[ImportIssue], *, more: int = 0) -> None:
        self.issues = tuple(issues)
        self.more = more
        super().__init__(self._message())

    def _message(self) -> str:
        count = len(self.issues) + self.more
        lines = [
            f"Tuonti hylättiin ({count} virhettä), mitään ei tallennettu:"
            if count != 1
            else "Tuonti hylättiin (1 virhe), mitään ei tallennettu:"
        ]
        lines += [f"  {issue}" for issue in self.issues]
        if self.more:
            lines.append(f"  … ja {self.more} muuta virhettä")
        return "\n".join(lines)


def record_label(index: int, data: Any, source: str | None = None) -> str:
    """``palvelu #4 (id=…, nimi="…")`` — 1-based position in the file, with whatever identifies it."""
    parts = []
    if isinstance(data, dict):
        if isinstance(data.get("id"), str):
            parts.append(f"id={data['id']}")
        if isinstance(data.get("name"), str):
            parts.append(f'nimi="{data["name"]}"')
    label = f"palvelu #{index}" + (f" ({', '.join(parts)})" if parts else "")
    return f"{source}: {label}" if source else label


@dataclass
class IssueCollector:
    """Collects issues up to :data:`MAX_ERRORS`, counting the rest."""

    issues: list[ImportIssue] = field(default_factory=list)
    more: int = 0

    def add(self, record: str, field_path: str | None, message: str) -> None:
        if len(self.issues) < MAX_ERRORS:
            self.issues.append(ImportIssue(record, field_path, message))
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.issues)

    def raise_if_any(self) -> None:
        if self.issues:
            raise ImportValidationError(self.issues, more=self.more)
