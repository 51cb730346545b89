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

SURE = 0.9
"""A crisis signal at least this confident (every strong rule signal; the classifier when it is as sure)
makes the acute crisis the main need of the answer. A less sure one (the classifier alone, or a hint it
backed) still gets the whole crisis answer first and the round-the-clock lines at the top of the list, but
when the classifier understood another need in the message, that need is the situation: the list then
answers what the person wrote about instead of spending its places on more crisis services (long stories of
a hard life are where such alarms are false most often)."""

BESIDES_CRISIS = "intent_besides_crisis"
"""Key of a crisis message's NLU parse data: the intent the classifier was sure of apart from the crisis
(set by the Rasa adapter, read by the actions: the services after the acute help answer that need too)."""

CERTAINTY = "crisis_certainty"
"""Entity (and slot) of a crisis message: ``sure`` at ``SURE`` or above, else ``unsure`` (the answer's
wording: "if this is happening now", ``replies.CrisisReply.unsure_text``)."""


def certainty(confidence: float) -> str:
    return "sure" if confidence >= SURE else "unsure"
