"""Whether a word is a word of English or Swedish, from the word lists Debian ships (``wamerican``,
``wswedish``: /usr/share/dict).

Finnish has Voikko, which knows every form of a word; for the other two languages Ovi answers in, a search
box needs to know whether "suicidal thoughts" or "missbruk" is a real query before it lets the meaning of the
words alone answer it (directory_db.search: nonsense such as "xyzzy" gets as high a best cosine from e5 as a
real English query, so without a known word the search answered "suicidal thoughts" with nothing). Exact
forms only: the lists hold the inflected forms ("thoughts", "skulder"), not the compounds of Swedish
("handikappservice").
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

WORD_LISTS = (Path("/usr/share/dict/american-english"), Path("/usr/share/dict/swedish"))


def _lines(path: Path) -> list[str]:
    data = path.read_bytes()
    try:
        return data.decode("utf-8").splitlines()
    except UnicodeDecodeError:  # Debian's Swedish list is ISO-8859-1
        return data.decode("latin-1").splitlines()


@cache
def dictionary_words(paths: tuple[Path, ...] = WORD_LISTS) -> frozenset[str]:
    """Lower-cased words of the lists (possessives "'s" left out); a missing list is logged and skipped."""
    words: set[str] = set()
    for path in paths:
        try:
            lines = _lines(path)
        except OSError:
            log.warning("sanalista %s puuttuu (Debian-paketit wamerican ja wswedish)", path)
            continue
        words.update(line.strip().lower() for line in lines if line.strip() and not line.endswith("'s"))
    return frozenset(words)


def is_dictionary_word(word: str) -> bool:
    """Is the word, in any letter case, in the English or Swedish list? ("Thoughts", "ensamhet": yes.)"""
    return word.lower() in dictionary_words()
