"""Ovi's first answer to an acute crisis, by kind and language, and its crisis payload (SPEC §3).

The texts and the 24/7 lines are data (``data/replies.yml``); this module loads and checks them. The
Rasa responses are generated from them (``bot/build_crisis_responses.py``), so there is one source.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ovi_lang.crisis.kinds import KINDS, CrisisKind
from ovi_lang.language import LANGUAGES, Language

EMERGENCY_NUMBER = "112"


class ReplyDataError(ValueError):
    """replies.yml is malformed; the message names the entry and the field."""


@dataclass(frozen=True)
class CrisisReply:
    kind: CrisisKind
    language: Language
    text: str
    lines: tuple[dict[str, str], ...]
    """``{"name", "phone", "available"}`` per line, 112 first."""
    unsure_text: str
    """The answer to a signal below ``kinds.SURE``: the same numbers, "if this is happening now"."""

    def payload(self) -> dict[str, Any]:
        """The ``custom`` field of the reply's first message (../shared/SPEC.md §3)."""
        return {"type": "crisis", "kind": self.kind, "lines": [dict(line) for line in self.lines]}


@cache
def crisis_replies() -> dict[tuple[str, str], CrisisReply]:
    raw = yaml.safe_load(resources.files("ovi_lang.crisis").joinpath("data/replies.yml").read_text("utf-8"))
    lines = raw.get("lines") or {}
    replies: dict[tuple[str, str], CrisisReply] = {}
    for kind in KINDS:
        entry = (raw.get("kinds") or {}).get(kind)
        if not entry:
            raise ReplyDataError(f"replies.yml kinds.{kind}: puuttuu")
        keys = entry.get("lines") or []
        if not keys or keys[0] != "emergency":
            raise ReplyDataError(f"replies.yml kinds.{kind}.lines: hätänumeron on oltava ensimmäisenä")
        for lang in LANGUAGES:
            built = []
            for key in keys:
                line = lines.get(key)
                if not line or not line.get("phone") or not (line.get("name") or {}).get(lang):
                    raise ReplyDataError(f"replies.yml lines.{key}: puhelin tai nimi ({lang}) puuttuu")
                built.append({"name": line["name"][lang], "phone": str(line["phone"]),
                              "available": str(line.get("available", ""))})
            texts = [_checked_text(entry, field, kind, lang, built) for field in ("text", "unsure")]
            replies[(kind, lang)] = CrisisReply(kind, lang, texts[0], tuple(built), texts[1])
    return replies


def _checked_text(entry: dict[str, Any], field: str, kind: str, lang: str,
                  lines: list[dict[str, str]]) -> str:
    """The text of ``kinds.<kind>.<field>.<lang>``: it must say 112 and every number of the kind's lines."""
    text = (entry.get(field) or {}).get(lang)
    if not text or EMERGENCY_NUMBER not in text:
        raise ReplyDataError(f"replies.yml kinds.{kind}.{field}.{lang}: puuttuu tai ei mainitse 112:ta")
    for line in lines:
        if line["phone"] not in text:
            raise ReplyDataError(f"replies.yml kinds.{kind}.{field}.{lang}: numero {line['phone']} puuttuu")
    return str(text)


def crisis_reply(kind: CrisisKind, language: Language | None = None) -> CrisisReply:
    return crisis_replies()[(kind, language or "fi")]
