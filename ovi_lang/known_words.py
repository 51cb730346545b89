"""Whether a message has any word Ovi can read: keyboard mashing ("qwerty zxcv") is not a situation.

The need classifier always gives its best guess, and for a message of no known word that guess says
nothing (it was "mental health" at 0.52 for "qwerty zxcv"). A word counts as known when any of these
knows it:

1. Voikko: a Finnish word in any form, or a misspelling Voikko can suggest a correction for ("apuu");
2. the words the bot was taught: every word of the NLU training examples (``nlu_data/``: spoken forms,
   slang, Swedish and English);
3. the frequent-word lists of the language detector (``data/language_words.yml``);
4. a municipality name in any form.

Numbers count as known too ("oon 19"). The check is for the dialogue (the situation form's validation):
the NLU and the crisis detector still see every message.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ovi_lang import voikko
from ovi_lang.language import frequent_words
from ovi_lang.municipalities import find_municipalities
from ovi_lang.nlu_examples import NLU_DIR, nlu_examples
from ovi_lang.text import tokens


@cache
def taught_words(nlu_dir: Path = NLU_DIR) -> frozenset[str]:
    """Lower-cased words of every NLU training example (empty when the folder is not there)."""
    return frozenset(t.lower for _, text in nlu_examples(nlu_dir) for t in tokens(text))


def _known(word: str) -> bool:
    low = word.lower()
    if low.isdigit() or low in taught_words() or any(low in ws for ws in frequent_words().values()):
        return True
    return bool(voikko.analyse(word) or voikko.suggest(word))


def has_known_word(text: str) -> bool:
    """Any word of the message is known (see the module docstring), or it names a municipality."""
    words = tokens(text)
    return any(_known(t.text) for t in words) or bool(find_municipalities(text))
