"""The kinds of acute crisis Ovi answers first (the ``kind`` of the crisis payload, ../shared/SPEC.md §3)."""

from __future__ import annotations

from typing import Literal

CrisisKind = Literal["suicidal", "self_harm", "overdose", "medical", "violence_now", "child_in_danger"]

KINDS: tuple[CrisisKind, ...] = (
    "overdose", "medical", "child_in_danger", "violence_now", "self_harm", "suicidal",
)
"""Most specific first: when a message shows two kinds, the earlier one decides the answer (a child who
swallowed a chemical needs the Poison Information Centre; a child who is not breathing needs 112)."""

NONE = "none"
"""The label of a message that is not acute."""
LABELS: tuple[str, ...] = (NONE, *KINDS)
"""The classifier's classes, in this order."""

BESIDES_CRISIS = "intent_besides_crisis"
"""Key of a crisis message's NLU parse data: the intent the classifier was sure of apart from the crisis
(set by the Rasa adapter, read by the actions: the services after the acute help answer that need too)."""
