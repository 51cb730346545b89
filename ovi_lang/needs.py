"""Life situations Ovi understands and what kind of services answer them.

A *situation* is what a resident describes ("mulla ei oo kämppää"); the NLU layer turns it into one of the
keys below (the Rasa intent has the same name). Each situation maps to PTV service classes
(koodistot.suomi.fi ``ptvserclass2``) and Finnish keywords (base forms) that the directory search uses to
find and rank services. Keep this table the single source: the bot, the actions and the directory all read it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Need:
    key: str
    label_fi: str
    """Short Finnish noun phrase used in replies: "Tässä palveluja, jotka auttavat <label_fi>."."""
    topic_fi: str
    """How the reply names the topic: "asumiseen ja asunnottomuuteen liittyvissä asioissa"."""
    service_classes: tuple[str, ...]
    """PTV service classes, most specific first. A service with the first class ranks above the others."""
    keywords: tuple[str, ...]
    """Base forms that signal this situation, and not others, in service names and descriptions. Avoid
    words of the PTV class names ("vapaaehtoinen", "neuvonta"): they say nothing the classes don't."""


NEEDS: dict[str, Need] = {
    need.key: need
    for need in (
        Need(
            key="homelessness",
            label_fi="asunnottomuus ja asumisen ongelmat",
            topic_fi="asumiseen ja asunnottomuuteen",
            service_classes=("P4.1", "P1.1", "P1.4", "P4.13", "P4.10"),
            keywords=("asunnottomuus", "asunnoton", "asunto", "asuminen", "häätö", "vuokra", "yömaja",
                      "asumisneuvonta", "kämppä", "tukiasunto"),
        ),
        Need(
            key="substance_use",
            label_fi="päihteet ja riippuvuudet",
            topic_fi="päihteisiin ja riippuvuuksiin",
            service_classes=("P5.7", "P5.16", "P4.12"),
            keywords=("päihde", "alkoholi", "huume", "riippuvuus", "katkaisuhoito", "a-klinikka", "raittius",
                      "juominen", "peliriippuvuus", "viina"),
        ),
        Need(
            key="mental_health",
            label_fi="mielenterveys ja jaksaminen",
            topic_fi="mielenterveyteen ja jaksamiseen",
            service_classes=("P5.7", "P5.17", "P5.16"),
            keywords=("mielenterveys", "masennus", "ahdistus", "kriisi", "jaksaminen", "keskusteluapu",
                      "psykiatrinen", "uupumus", "paniikki"),
        ),
        Need(
            key="debt",
            label_fi="velat ja raha-asiat",
            topic_fi="velkoihin ja raha-asioihin",
            service_classes=("P15.1", "P15.5", "P15.3", "P4.10"),
            keywords=("velka", "talous", "velkaneuvonta", "ulosotto", "maksuhäiriö", "pikavippi", "laina",
                      "toimeentulotuki", "raha", "budjetti"),
        ),
        Need(
            key="loneliness",
            label_fi="yksinäisyys",
            topic_fi="yksinäisyyteen",
            service_classes=("P4.12", "P5.16", "P25.5"),
            keywords=("yksinäisyys", "yksinäinen", "ystävä", "ystävätoiminta", "kohtaamispaikka",
                      "olohuone", "asukastupa", "seura", "yksin"),
        ),
        Need(
            key="violence",
            label_fi="väkivalta ja turvattomuus",
            topic_fi="väkivaltaan ja turvattomuuteen",
            service_classes=("P4.13", "P7.5", "P3.5", "P19.3"),
            keywords=("väkivalta", "lähisuhdeväkivalta", "turvakoti", "uhri", "pahoinpitely", "ero",
                      "rikos", "turvallisuus", "nollalinja"),
        ),
        Need(
            key="crisis",
            label_fi="akuutti kriisi",
            topic_fi="akuuttiin kriisiin",
            service_classes=("P5.7", "P5.5", "P19.3"),
            keywords=("kriisi", "kriisipuhelin", "päivystys", "hätä", "itsemurha", "kriisikeskus",
                      "mielenterveys"),
        ),
    )
}

CRISIS_NEEDS: dict[str, str] = {
    "suicidal": "crisis",
    "self_harm": "crisis",
    "overdose": "crisis",
    "medical": "crisis",
    "violence_now": "violence",
    "child_in_danger": "crisis",
}
"""Which need's round-the-clock services to show first for each kind of crisis (``ovi_lang.crisis``)."""

SITUATION_KEYS: tuple[str, ...] = tuple(k for k in NEEDS if k != "crisis")
"""Situations a resident can ask services for (crisis is handled before any search)."""


def need_for(key: str) -> Need:
    """Return the need for a situation key; raise KeyError with the known keys if unknown."""
    try:
        return NEEDS[key]
    except KeyError:
        raise KeyError(f"unknown situation {key!r}; known: {', '.join(NEEDS)}") from None
