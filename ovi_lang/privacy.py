"""Remove personal identifiers from a resident's message before anything stores or logs it.

``scrub(text)`` returns the message with each identifier replaced by a Finnish placeholder, so the message
still reads naturally for the NLU and for whoever reads a transcript::

    "olen Matti Virtanen, hetu 131052-308T, soita 040 123 4567"
    → "olen [nimi], hetu [henkilötunnus], soita [puhelinnumero]"

Where it runs: Ovi's channels (``bot/channels.py``) scrub every message before Rasa sees it, so NLU, the
tracker store and every log only ever see the scrubbed text; the tracker store (``bot/tracker_store.py``)
scrubs user and bot texts again before it writes them (second line of defence). The module has no Rasa
dependency and runs in both environments.

What is found, in this order (an earlier finding wins where two overlap):

* e-mail addresses;
* IBANs: two letters, two check digits, 11–30 letters/digits (spaces allowed in groups) whose ISO 7064
  mod-97 checksum holds; a Finnish one (``FI`` + 16 digits) also with a wrong checksum: a typo still
  identifies the account;
* henkilötunnus: ``DDMMYY`` + century sign (``+ - A B C D E F Y X W V U``) + three digits + check character.
  Scrubbed when the date is a real date, even if the check character is wrong (a mistyped code still
  identifies); without a century sign (``131052308T``) only when the check character is right;
* phone numbers: Finnish mobile (04x, 050) and geographic landline numbers (02, 03, 05, 06, 08, 09,
  013–019, never followed by 0: ``020``, ``0800`` are service numbers, nor ``029``), with or without
  ``+358``/``00358``, written together or in groups separated by spaces, dashes or a slash or with the
  area code in parentheses (a run of several numbers is split: "lapsia 2 040 1234567"); and any other
  ``+``/``00`` international number of 8–15 digits;
* street addresses: a word ending in a street-name ending (``-katu``, ``-tie``, ``-kuja``, ``-polku``,
  ``-väylä``, ``-raitti``, ``-gatan``, ``-vägen`` …, also inflected: ``Hämeenkadulla``) followed by a house
  number, with an optional staircase and flat (``5 A 12``, ``5 b 3``, ``5 as 4``, ``5 lgh 1203``) and
  postal code (``, 00100``). The municipality after it stays (``asun Mannerheimintie 5 Helsingissä`` →
  ``asun [osoite] Helsingissä``);
* personal names, with Voikko (Finnish morphology): a word that Voikko analyses as a first name or
  surname (``etunimi``, ``sukunimi``) and not also as a common word (so ``Virtanen``, ``Aino``, ``Juha``
  go, ``Onni``, ``Toivo``, ``Anna`` stay), that is not a municipality (``find_municipalities``) nor in the
  ``not_names`` list; a capitalised name-like word right next to a found name (``Matti Virtanen``); and
  after a cue: ``nimeni on``, ``mun nimi on``, ``jag heter``, ``my name is`` … take the next word whatever it
  is plus up to two more capitalised or name words; ``olen``, ``jag är``, ``I'm`` … take a capitalised word
  Voikko knows as a name or does not know at all (``olen Aisha``, not ``olen Kotkasta``).

What is deliberately NOT scrubbed (not personal, and the bot itself shows such numbers): short and
service numbers (``112``, ``116 117``, ``0800 147 111``, 010/020/029/030/060/070/075 numbers), the public
numbers listed in ``data/privacy.yml``, prices (``50 €``), dates (``12.3.2024``, ``02-03-2024``), times,
years, postal codes on their own and municipality names. A geographic landline number of a public service
that a resident types is scrubbed (privacy first; a lost service number costs little).

Placeholders are Finnish in every language of the conversation (the NLU sees them as unknown words).
Adjacent names merge into one ``[nimi]``. ``scrub`` is idempotent. Every pattern is linear in the message
length (no nested quantifiers); the channels reject messages over 2,000 characters before this runs.

Word lists and street endings live in ``data/privacy.yml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

from ovi_lang import voikko
from ovi_lang.language import detect_language
from ovi_lang.municipalities import find_municipalities
from ovi_lang.text import diacritic_variants, fold, tokens

Kind = Literal["email", "iban", "hetu", "phone", "address", "name"]

PLACEHOLDERS: dict[Kind, str] = {
    "email": "[sähköposti]",
    "iban": "[tilinumero]",
    "hetu": "[henkilötunnus]",
    "phone": "[puhelinnumero]",
    "address": "[osoite]",
    "name": "[nimi]",
}


@dataclass(frozen=True)
class Finding:
    kind: Kind
    start: int
    end: int


@cache
def _data() -> dict[str, Any]:
    raw = resources.files("ovi_lang").joinpath("data/privacy.yml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(raw)
    return data


# --- e-mail -------------------------------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")


def _emails(text: str) -> Iterable[Finding]:
    for m in _EMAIL.finditer(text):
        yield Finding("email", m.start(), m.end())


# --- IBAN ---------------------------------------------------------------------------------------------------

_IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}")
_IBAN_MIN, _IBAN_MAX = 15, 34


def iban_valid(iban: str) -> bool:
    """ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 == 1."""
    iban = iban.replace(" ", "").upper()
    if not (_IBAN_MIN <= len(iban) <= _IBAN_MAX) or not iban.isalnum() or not iban[:2].isalpha():
        return False
    digits = "".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])
    return int(digits) % 97 == 1


def _ibans(text: str) -> Iterable[Finding]:
    for m in _IBAN_START.finditer(text):
        # Walk on over letters and digits, single spaces allowed between groups; remember every end.
        chars, ends, i = [m.group()], [], m.end()
        while i < len(text) and len(chars) < _IBAN_MAX:
            if text[i].isascii() and text[i].isalnum():
                chars.append(text[i])
                i += 1
                ends.append((len("".join(chars)), i))
            elif text[i] == " " and i + 1 < len(text) and text[i + 1].isascii() and text[i + 1].isalnum():
                i += 1
            else:
                break
        compact = "".join(chars).upper()
        best = None
        for length, end in ends:
            if end < len(text) and text[end].isalnum():
                continue  # an IBAN ends at a word boundary
            if iban_valid(compact[:length]):
                best = end
            elif compact.startswith("FI") and length == 18 and compact[2:18].isdigit():
                best = best or end  # Finnish shape with a wrong checksum: a typo still identifies
        if best is not None:
            yield Finding("iban", m.start(), best)


# --- henkilötunnus ------------------------------------------------------------------------------------------

_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_HETU = re.compile(r"(?<![\w+-])(\d{6})([-+ABCDEFYXWVUabcdefyxwvu]?)(\d{3})([0-9A-Ya-y])(?!\w)")


def hetu_checksum_ok(digits6: str, digits3: str, check: str) -> bool:
    return _HETU_CHECK[int(digits6 + digits3) % 31] == check.upper()


def _date_ok(digits6: str) -> bool:
    day, month = int(digits6[:2]), int(digits6[2:4])
    return 1 <= day <= 31 and 1 <= month <= 12


def _hetus(text: str) -> Iterable[Finding]:
    for m in _HETU.finditer(text):
        d6, sign, d3, check = m.groups()
        checksum = hetu_checksum_ok(d6, d3, check)
        if _date_ok(d6) and (checksum or sign):
            yield Finding("hetu", m.start(), m.end())


# --- phone numbers ------------------------------------------------------------------------------------------

# A run of digits with single separators (space, dash, slash, parentheses around an area code).
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d)]*(?:(?:[ \-/]|\) ?)\(?\d[\d)]*){0,6}(?![\w])")
_DATE_LIKE = re.compile(r"\d{1,2}-\d{1,2}-\d{2,4}|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/?\d{0,4}")
_MOBILE = ("040", "041", "042", "043", "044", "045", "046", "049", "050")
_GEOGRAPHIC = ("02", "03", "05", "06", "08", "09", "013", "014", "015", "016", "017", "018", "019")
# A local number never starts with 0, so "020", "0800", "060" … after an area code's first digits are
# national service numbers; "029" (state) is one too.
_SERVICE = ("020", "029", "030", "050", "060", "080", "090")


@cache
def _public_numbers() -> frozenset[str]:
    return frozenset(re.sub(r"\D", "", n) for n in _data()["public_numbers"])


def is_personal_phone(candidate: str) -> bool:
    """Whether a number as written is a personal phone number (see the module docstring)."""
    digits = re.sub(r"\D", "", candidate)
    stripped = candidate.lstrip("(")
    if stripped.startswith("+") or (stripped.startswith("00") and not digits.startswith("000")):
        international = digits[2:] if stripped.startswith("00") else digits
        if international.startswith("358"):
            digits = "0" + international[3:]
        else:
            return 8 <= len(international) <= 15
    if not digits.startswith("0") or digits in _public_numbers():
        return False
    if _DATE_LIKE.fullmatch(candidate.strip()):
        return False
    if digits.startswith(_MOBILE):
        return 8 <= len(digits) <= 12
    if digits.startswith(_GEOGRAPHIC) and not digits.startswith(_SERVICE):
        return 7 <= len(digits) <= 11
    return False


_GROUP = re.compile(r"(?:\+|00)?\(?\d[\d)]*")


def _phones(text: str) -> Iterable[Finding]:
    for m in _PHONE.finditer(text):
        # A run may join several numbers ("2 lasta" is no run, but "lapsia 2 040 1234567" is): try the
        # longest personal number starting at each group, left to right.
        groups = [(g.start() + m.start(), g.end() + m.start()) for g in _GROUP.finditer(m.group())]
        i = 0
        while i < len(groups):
            for j in range(len(groups) - 1, i - 1, -1):
                start, end = groups[i][0], groups[j][1]
                while end > start and not text[end - 1].isdigit():  # a closing parenthesis of the sentence
                    end -= 1
                if is_personal_phone(text[start:end]):
                    yield Finding("phone", start, end)
                    i = j
                    break
            i += 1


# --- street addresses ---------------------------------------------------------------------------------------

_LETTER = "A-Za-zÀ-ÖØ-öø-ÿ"


@cache
def _address_pattern() -> re.Pattern[str]:
    forms: set[str] = set()
    for suffix in _data()["street_suffixes"]:
        forms.update({suffix, fold(suffix)})
    suffixes = "|".join(sorted(map(re.escape, forms), key=len, reverse=True))
    street = rf"(?<![\w-])[{_LETTER}][{_LETTER}-]{{0,40}}?(?:{suffixes})"
    number = r"\d{1,4}(?: ?- ?\d{1,4})?(?: ?[a-hA-H](?: ?\d{1,4})?(?![\w]))?"
    flat = (r"(?:,? (?:[A-H](?: ?\d{1,4})?|[a-h] ?\d{1,4}|(?:as|bst|lgh|lh|apt)\.? ?\d{1,4}"
            r"|[A-H] ?(?:as|lgh)\.? ?\d{1,4})(?![\w]))?")
    postal = r"(?:,? \d{5}(?![\w]))?"
    return re.compile(rf"{street} {number}{flat}{postal}")


def _addresses(text: str) -> Iterable[Finding]:
    for m in _address_pattern().finditer(text):
        yield Finding("address", m.start(), m.end())


# --- personal names -----------------------------------------------------------------------------------------

_NAME_CLASSES = frozenset({"etunimi", "sukunimi"})
_PROPER_CLASSES = _NAME_CLASSES | {"paikannimi", "nimi"}


def _name_analysis(word: str) -> tuple[bool, bool, bool]:
    """(Voikko knows the word at all, as a personal name, as a common word)."""
    analyses = voikko.analyse(word)
    classes = {a.get("CLASS") for a in analyses}
    return bool(analyses), bool(classes & _NAME_CLASSES), bool(classes - _PROPER_CLASSES)


@cache
def _word_sets() -> tuple[frozenset[str], frozenset[str]]:
    data = _data()
    return (frozenset(w.lower() for w in data["not_names"]),
            frozenset(w.lower() for w in data["name_stop_words"]))


def _cue_pattern(key: str) -> re.Pattern[str]:
    cues = sorted(_data()[key], key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in cues)
                      + r")(?=[\s:,]|$)[\s:,]*", re.IGNORECASE)


@cache
def _cues() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return _cue_pattern("strong_name_cues"), _cue_pattern("weak_name_cues")


def _sentence_initial(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'(")
    return not before or before[-1] in ".!?:\n"


def _common_without_diacritics(word: str) -> bool:
    """Whether the word, with a/o/u restored to ä/ö/y, is a common word ("Mika" is "mikä" typed on a
    phone without ä)."""
    return any(_name_analysis(variant)[2] for variant in diacritic_variants(word.lower())[1:])


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() and not word.isupper() or (len(word) > 1 and word.istitle())


def _names(text: str, taken: list[Finding]) -> Iterable[Finding]:
    not_names, stop_words = _word_sets()
    protected = [(m.start, m.end) for m in find_municipalities(text)]
    protected += [(f.start, f.end) for f in taken]
    protected += [(m.start(), m.end()) for m in re.finditer(r"\[[^\[\]\s]{1,20}\]", text)]  # placeholders

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in protected)

    toks = [t for t in tokens(text) if not t.text[0].isdigit()]
    names: set[int] = set()  # indexes into toks
    language = detect_language(text)

    def not_a_name(word: str) -> bool:
        return word.lower() in not_names or any(b in not_names for b in voikko.baseforms(word))

    for i, tok in enumerate(toks):
        if len(tok.text) < 3 or not _is_capitalised(tok.text) or not free(tok.start, tok.end):
            continue
        if language in ("en", "sv") and _sentence_initial(text, tok.start):
            continue  # "Bill is due": an English or Swedish capital says nothing at a sentence's start
        _known, personal, common = _name_analysis(tok.text)
        if personal and not common and not not_a_name(tok.text) and not _common_without_diacritics(tok.text):
            names.add(i)

    strong, weak = _cues()
    by_start = {t.start: i for i, t in enumerate(toks)}
    for pattern, is_strong in ((strong, True), (weak, False)):
        for m in pattern.finditer(text):
            first = by_start.get(m.end())
            if first is None:
                continue
            i = first
            for k in range(i, min(i + 3, len(toks))):
                tok = toks[k]
                if k > i and text[toks[k - 1].end:tok.start].strip():
                    break  # a comma or other punctuation ends the name
                if tok.lower in stop_words or not_a_name(tok.text) or not free(tok.start, tok.end):
                    break
                known, personal, common = _name_analysis(tok.text)
                first_after_strong_cue = is_strong and k == i
                name_like = _is_capitalised(tok.text) and (personal or not known)
                if first_after_strong_cue or name_like or (k > i and personal and not common):
                    names.add(k)
                else:
                    break

    # A capitalised name-like word right beside a found name ("Matti Virtanen", "Virtanen Matti").
    grown = True
    while grown:
        grown = False
        for i in sorted(names):
            for k in (i - 1, i + 1):
                if not 0 <= k < len(toks) or k in names:
                    continue
                a, b = sorted((toks[i], toks[k]), key=lambda t: t.start)
                tok = toks[k]
                if (text[a.end:b.start] == " " and _is_capitalised(tok.text) and free(tok.start, tok.end)
                        and not not_a_name(tok.text) and _name_analysis(tok.text)[1]):
                    names.add(k)
                    grown = True

    for i in sorted(names):
        yield Finding("name", toks[i].start, toks[i].end)


# --- putting it together ------------------------------------------------------------------------------------


def find_identifiers(text: str) -> list[Finding]:
    """Every personal identifier in the text, in order, without overlaps."""
    found: list[Finding] = []

    def add(candidates: Iterable[Finding]) -> None:
        for f in candidates:
            if not any(g.start < f.end and f.start < g.end for g in found):
                found.append(f)

    for finder in (_emails, _ibans, _hetus, _phones, _addresses):
        add(finder(text))
    add(_names(text, list(found)))
    return sorted(found, key=lambda f: f.start)


_MERGE_NAMES = re.compile(r"\[nimi\](?:\s+\[nimi\])+")


def scrub(text: str) -> str:
    """The text with every personal identifier replaced by its placeholder (see the module docstring)."""
    if not text:
        return text
    parts: list[str] = []
    pos = 0
    for f in find_identifiers(text):
        parts.append(text[pos:f.start])
        parts.append(PLACEHOLDERS[f.kind])
        pos = f.end
    parts.append(text[pos:])
    return _MERGE_NAMES.sub(PLACEHOLDERS["name"], "".join(parts))
