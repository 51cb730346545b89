"""The search's synonym and spoken-form table (``data/synonyms.yml``): what people type → what services say.

Keys and targets are lower-case Finnish base forms (a key may also be a spoken or slang word Voikko does not
know, such as "sossu" or "pikavippi"). :func:`expansions` answers for one base form; the directory search
calls it for every query word and searches the targets at a lower weight than the word itself.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data" / "synonyms.yml"


class SynonymTableError(ValueError):
    """The table file breaks its format; the message names the entry."""


def load(path: Path = DATA) -> dict[str, tuple[str, ...]]:
    """The table as key → targets; raises :class:`SynonymTableError` naming the bad entry."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise SynonymTableError(f"{path.name}: odotettiin YAML-sanakirjaa avain: [kohde, ...]")
    table: dict[str, tuple[str, ...]] = {}
    for key, targets in raw.items():
        if not isinstance(key, str) or key != key.strip().lower() or not key:
            raise SynonymTableError(f"{path.name}: avain {key!r} ei ole pienaakkosin kirjoitettu sana")
        if not isinstance(targets, list) or not targets or not all(isinstance(t, str) for t in targets):
            raise SynonymTableError(f"{path.name}: avaimen {key!r} kohteet eivät ole lista sanoja")
        cleaned = tuple(dict.fromkeys(t.strip().lower() for t in targets))
        if key in cleaned:
            raise SynonymTableError(f"{path.name}: avain {key!r} viittaa itseensä")
        table[key] = cleaned
    return table


@cache
def table() -> dict[str, tuple[str, ...]]:
    return load()


def expansions(base_form: str) -> tuple[str, ...]:
    """The words a base form also searches for (empty when the table has none)."""
    return table().get(base_form.lower(), ())
