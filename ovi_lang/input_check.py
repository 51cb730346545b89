"""Bad input: which messages get a short guiding answer instead of going to the NLU.

Ovi's channels (``bot/channels.py``) ask ``check_message`` before anything else; when it names a problem,
the channel answers ``REPLIES[problem]`` itself, Rasa never sees the message and the conversation's state
does not change. Otherwise the channel goes on with ``clean_message(text)`` (control characters dropped,
Unicode composed) and the privacy scrubber.

Problems, in the order they are checked (every check is one linear pass over at most the first
``MAX_MESSAGE_CHARS + 1`` characters, so a huge message costs no more than a normal one):

* ``too_long``: over ``MAX_MESSAGE_CHARS`` (2,000) characters. The REST channel also answers this, without
  parsing the JSON, for a request body over ``MAX_BODY_BYTES``;
* ``not_text``: the message is not a string (a number, a list, null in the JSON);
* ``binary``: lone UTF-16 surrogates, NUL, the replacement character U+FFFD, or control characters making up
  over a tenth of the message (a pasted binary file). A few stray control characters are only dropped;
* ``empty``: nothing but white space (after the control characters are dropped);
* ``no_words``: no letter and no digit (only emoji, punctuation or symbols: "🙂", "???");
* ``mixed_script``: a word that mixes letters of two scripts ("Неlsinki" with a Cyrillic Н: a look-alike
  spelling the NLU cannot read), or a message whose letters are mostly of a script other than Latin
  (Ovi speaks Finnish, Swedish and English).

Every reply is one Finnish line that tells what to do next.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

Problem = Literal["too_long", "not_text", "binary", "empty", "no_words", "mixed_script"]

MAX_MESSAGE_CHARS = 2000
MAX_BODY_BYTES = 64 * 1024
"""A REST body larger than this is answered ``too_long`` unread: 2,000 characters of JSON-escaped text
(``\\uXXXX\\uXXXX`` for a character outside the BMP, 12 bytes) plus the sender id and metadata fit."""

REPLIES: dict[Problem, str] = {
    "too_long": (f"Viestisi on liian pitkä (yli {MAX_MESSAGE_CHARS:,} merkkiä).".replace(",", " ")
                 + " Kerrotko lyhyesti, muutamalla lauseella, millaista apua tarvitset?"),
    "not_text": "En saanut viestistäsi selvää. Kirjoita tekstinä, millaista apua tarvitset.",
    "binary": "Viestissäsi oli merkkejä, joita en osaa lukea. Kirjoita tekstinä, millaista apua tarvitset.",
    "empty": "Viestisi oli tyhjä. Kirjoita, millaista apua tarvitset, niin etsin sopivan palvelun.",
    "no_words": "Kerrotko sanoin, millaista apua tarvitset? Esimerkiksi: ”tarvitsen ruoka-apua Kotkassa”.",
    "mixed_script": ("Osaan suomea, ruotsia ja englantia. Kirjoita viestisi jollakin niistä, "
                     "niin etsin sopivan palvelun."),
}

_ALLOWED_CONTROLS = frozenset("\t\n\r")
_MAX_CONTROL_SHARE = 0.1


def _is_control(ch: str) -> bool:
    return (ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cf")
            and ch not in "\u200d\ufe0f")  # the emoji joiner and variation selector belong to emoji


def _script(ch: str) -> str:
    """The script of a letter by its Unicode name's first word ("LATIN", "CYRILLIC", "CJK", …)."""
    try:
        return unicodedata.name(ch).split(" ", 1)[0]
    except ValueError:
        return "UNKNOWN"


def check_message(text: object) -> Problem | None:
    """The problem of a resident's message, or None when it may go on to the NLU."""
    if not isinstance(text, str):
        return "empty" if text is None else "not_text"
    if len(text) > MAX_MESSAGE_CHARS:
        return "too_long"
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text) or "\x00" in text or "\ufffd" in text:
        return "binary"
    controls = sum(1 for ch in text if _is_control(ch))
    if controls and controls > _MAX_CONTROL_SHARE * len(text):
        return "binary"
    cleaned = clean_message(text)
    if not cleaned.strip():
        return "empty"
    if not any(ch.isalnum() for ch in cleaned):
        return "no_words"
    latin = other = 0
    for word in cleaned.split():
        scripts = {_script(ch) for ch in word if ch.isalpha()}
        if len(scripts) > 1:
            return "mixed_script"
        for script in scripts:
            letters = sum(1 for ch in word if ch.isalpha())
            if script == "LATIN":
                latin += letters
            else:
                other += letters
    if other > latin:
        return "mixed_script"
    return None


def clean_message(text: str) -> str:
    """The message without control characters (tab and newline stay), composed (NFC), stripped."""
    return unicodedata.normalize("NFC", "".join(ch for ch in text if not _is_control(ch))).strip()
