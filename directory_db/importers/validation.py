"""Validation of import records one at a time (schema, then profile, then repeats across the file), so a
streamed import checks a file of any size before writing anything, with every problem reported together.

The rules are those of :mod:`.schema_check` and :mod:`.profile_check`; this module only feeds them records
and collects what they find, in the order a reader expects: the records' own problems first, then the
problems across the file (a duplicate id, a shared object that differs).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ..profile import SERVICE_CLASS_TAXONOMY
from .errors import MAX_ERRORS, ImportValidationError, IssueCollector
from .profile_check import RepeatCheck, record_problems
from .schema_check import schema_problems
from .structure import KINDS, Node, Record, walk

_INDEX = re.compile(r"\[\d+\]")


class Validator:
    """Feed it every record (:meth:`check`), then :meth:`finish`: warnings, or the error listing it all."""

    def __init__(self) -> None:
        self._record_issues = IssueCollector()
        self._file_issues = IssueCollector()
        self._repeats = RepeatCheck()
        self._ignored: Counter[str] = Counter()
        self._warnings: list[str] = []
        self.records = 0

    @property
    def failed(self) -> bool:
        """True once any problem was found: :meth:`finish` will refuse the import."""
        return bool(self._record_issues or self._file_issues)

    def check(self, record: Record, nodes: Sequence[Node] | None = None) -> None:
        """Check one record; ``nodes`` is its walk if the caller made it already (each walk costs)."""
        self.records += 1
        problems = list(schema_problems(record.data))
        if isinstance(record.data, dict) and nodes is None:
            nodes = list(walk("service", record.data))
        # The profile checks assume the schema's shapes, so a record that breaks the schema stops here.
        if not problems:
            problems = list(record_problems(record.data, nodes))
            for label, field_path, message in self._repeats.add(record, nodes):
                self._file_issues.add(label, field_path, message)
        for field_path, message in problems:
            self._record_issues.add(record.label, field_path, message)
        if nodes is not None:
            self._note_warnings(record, nodes)

    def _note_warnings(self, record: Record, nodes: Sequence[Node]) -> None:
        seen: set[str] = set()
        for node in nodes:
            # The fields Ovi does not keep, by a set difference: most objects have none to look at.
            for name in node.data.keys() - KINDS[node.kind].fields:
                if node.data[name] not in (None, "", [], {}):
                    seen.add(_INDEX.sub("[]", node.field_path(name)))
        self._ignored.update(seen)
        attributes = record.data.get("attributes")
        classes = [
            a
            for a in (attributes if isinstance(attributes, list) else [])
            if isinstance(a, dict)
            and isinstance(a.get("taxonomy_term"), dict)
            and a["taxonomy_term"].get("taxonomy") == SERVICE_CLASS_TAXONOMY
        ]
        if not classes:
            self._warnings.append(
                f"{record.label}: ei palveluluokkaa ({SERVICE_CLASS_TAXONOMY}); "
                "botti löytää palvelun vain tekstihaulla"
            )

    def finish(self) -> list[str]:
        """The warnings; raises :class:`ImportValidationError` listing every problem found (up to the cap)."""
        found = [*self._record_issues.issues, *self._file_issues.issues]
        if found:
            more = self._record_issues.more + self._file_issues.more + max(0, len(found) - MAX_ERRORS)
            raise ImportValidationError(found[:MAX_ERRORS], more=more)
        return self._warnings + [
            f"kenttää {name} ei tallenneta (Ovi ei tue sitä): {count} palvelussa"
            for name, count in sorted(self._ignored.items())
        ]
