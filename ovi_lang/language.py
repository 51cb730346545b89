"""Which language a message is written in: Finnish, Swedish or English (Ovi answers in the same one).

Chat messages are short and informal, so a general language identifier trained on edited text is unreliable
here; function words and a few spelling cues decide instead. A message with no cue ("Kotka", "ok", "112")
gets ``None``: the conversation keeps the language it had.
"""

from __future__ import annotations

from typing import Literal

from ovi_lang.text import fold, tokens

Language = Literal["fi", "sv", "en"]
LANGUAGES: tuple[Language, ...] = ("fi", "sv", "en")

# Frequent short words of each language, spoken forms included, minus words the languages share
# ("hej" is Swedish and Finnish chat; "men" Swedish and English-ish; "on" English and Finnish).
_WORDS: dict[Language, frozenset[str]] = {
    "fi": frozenset(
        "ja ei en et emme ette eivät oon oot olen olet ole ollut oli olin mä mää mie minä mulla mua mun minun "
        "mulle musta sä sää sie sinä sulla sun hän se ne me te he ku kun että et mutta mut jos vai tai "
        "niin nyt heti tänään enää vielä kaikki mitään mikään jotain joku kukaan ketään missä mistä mihin "
        "miten mitä mikä kuka koska miksi apua auttakaa tarviin tarvitsen haluun haluan voinko voiko onko "
        "kiitos moi moikka terve joo juu kyllä ihan tosi aika vaan vain myös siis eli mun mulle täällä "
        "tässä tää toi tuo siellä ittensä itteni itseni itse sitä tätä tota".split()
    ),
    "sv": frozenset(
        "jag du han hon den det vi ni de mig dig sig min mitt mina din ditt och att inte är var har hade "
        "kan ska skulle vill vet måste med för på till från som när om men eller så nu här där hjälp "
        "snälla tack ingen inget inga något någon alla mycket bara också redan aldrig längre hem hemma "
        "mår orkar vad hur varför vem vilken kommer blir är dö dör döda livet leva mamma pappa barnet "
        "min pojke flicka".split()
    ),
    "en": frozenset(
        "i'm im me my mine you your he she it we they them his her our the a an and or but not don't "
        "dont can't cant is are was were am be been have has had do does did will would should could "
        "to of in at for with from this that what how why who where when here there now please help "
        "want need anymore any anyone someone nobody all just really very so if my myself kill die "
        "life live going gonna".split()
    ),
}
_MIN_MARGIN = 1.0


def detect_language(text: str) -> Language | None:
    """The message's language, or None when nothing in it tells."""
    words = [t.lower for t in tokens(text)]
    if not words:
        return None
    score: dict[Language, float] = {lang: 0.0 for lang in LANGUAGES}
    for word in words:
        for lang in LANGUAGES:
            if word in _WORDS[lang]:
                score[lang] += 1.0
        if "å" in word:
            score["sv"] += 1.5
        if "ä" in word or "ö" in word:
            # Both Finnish and Swedish use ä/ö; Finnish far more often, and with vowel harmony pairs.
            score["fi"] += 0.5
            score["sv"] += 0.25
        folded = fold(word)
        if folded.endswith(("ssa", "sta", "lla", "lta", "kin", "kaan", "ko", "nen", "tta", "mme", "aan")):
            score["fi"] += 0.5
        if word.endswith(("ing", "ly", "ed")) and len(word) > 4:
            score["en"] += 0.5
    ranked = sorted(LANGUAGES, key=lambda lang: score[lang], reverse=True)
    best, second = ranked[0], ranked[1]
    if score[best] < _MIN_MARGIN or score[best] - score[second] < _MIN_MARGIN / 2:
        return None
    return best
