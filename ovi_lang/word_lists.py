"""Whether a word is a word of English or Swedish, from the word lists Debian ships (``wamerican``,
``wswedish``: /usr/share/dict).

Finnish has Voikko, which knows every form of a word; for the other two languages Ovi answers in, a search
box needs to know whether "suicidal thoughts" or "missbruk" is a real query before it lets the meaning of the
words alone answer it (directory_db.search: nonsense such as "xyzzy" gets as high a best cosine from e5 as a
real English query, so without a known word the search answered "suicidal thoughts" with nothing). The
lists hold the inflected forms ("thoughts", "skulder") but not the compounds Swedish writes as one word
("handikappservice", "missbruksvård"): a word made of listed words, each of at least :data:`PART_MIN`
letters, with Swedish's linking "s" between them, counts too.
"""

from __future__ import annotations

import logging
from functools import cache, lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

WORD_LISTS = (Path("/usr/share/dict/american-english"), Path("/usr/share/dict/swedish"))

PART_MIN = 4
"""Letters of each part of a compound: the lists hold short strings that are abbreviations or names ("aa",
"xv", "ing"), which would let almost any string split into "words"."""


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
    """Is the word, in any letter case, in the English or Swedish list, or a compound of listed words?
    ("Thoughts", "ensamhet", "handikappservice": yes.)"""
    low = word.lower()
    return low in dictionary_words() or _compound(low)


@lru_cache(maxsize=4096)
def _compound(word: str) -> bool:
    """Listed head + (linking "s") + a listed or compound tail, every part at least PART_MIN letters. Cached,
    so a long string that splits many ways ("serviceservice…") checks each tail once."""
    words = dictionary_words()
    for cut in range(PART_MIN, len(word) - PART_MIN + 1):
        if word[:cut] not in words:
            continue
        tail = word[cut:]
        for rest in (tail, tail[1:] if tail.startswith("s") else ""):
            if len(rest) >= PART_MIN and (rest in words or _compound(rest)):
                return True
    return False
