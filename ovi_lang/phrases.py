"""Texts Ovi composes at run time, in Finnish, Swedish and English (``data/phrases.yml``).

Static replies are Rasa responses in the domain; these are the pieces that recommendations and follow-ups fill
with the directory's data. :func:`load` checks that every entry has all three languages and that they use the
same ``{placeholders}``, so a Swedish reply can never miss a value the Finnish one shows.
"""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data" / "phrases.yml"
LANGUAGES = ("fi", "sv", "en")


class PhraseTableError(ValueError):
    """``phrases.yml`` breaks its format; the message names the entry and the language."""


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def load(path: Path = DATA) -> dict[str, dict[str, str]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise PhraseTableError("phrases.yml: odotettiin YAML-sanakirjaa tunniste: {fi, sv, en}")
    table: dict[str, dict[str, str]] = {}
    for key, texts in raw.items():
        if not isinstance(texts, dict) or any(not isinstance(texts.get(lang), str) for lang in LANGUAGES):
            raise PhraseTableError(f"phrases.yml: tekstistä {key!r} puuttuu jokin kielistä {LANGUAGES}")
        names = _placeholders(texts["fi"])
        for lang in LANGUAGES[1:]:
            if _placeholders(texts[lang]) != names:
                raise PhraseTableError(
                    f"phrases.yml: tekstin {key!r} kieliversiossa {lang!r} on eri paikkamerkit kuin suomessa"
                )
        table[str(key)] = {lang: texts[lang] for lang in LANGUAGES}
    return table


@cache
def _table() -> dict[str, dict[str, str]]:
    return load()


def phrase(key: str, language: str | None, **values: object) -> str:
    """The text ``key`` in ``language`` (fi when None or unknown), placeholders filled from ``values``."""
    texts = _table()[key]
    lang = language if language in LANGUAGES else "fi"
    return texts[lang].format(**values)
