"""Crisis detection: what must be answered with 112 first, and what must not trigger it."""

from __future__ import annotations

import pytest

from ovi_lang.crisis import detect_crisis

SUICIDAL = [
    "en jaksa enää elää", "En jaksa enaa elaa", "haluun kuolla", "mä aion tappaa itteni",
    "mietin itsemurhaa", "itsemurha-ajatuksia on ollut", "ei oo mitään syytä elää",
    "kaikki ois parempi ilman mua", "viiltelen itseäni", "haluan lopettaa kaiken",
    "en haluu enää elää", "mulla ei oo kämppää ja en jaksa enää elää", "en halua olla enää olemassa",
]
VIOLENCE_NOW = ["se hakkaa mua just nyt", "mies uhkaa tappaa mut", "joku yrittää päästä sisään"]
MEDICAL = ["kaveri otti liikaa pillereitä eikä herää", "se ei hengitä kunnolla"]
NOT_CRISIS = [
    "mulla ei oo kämppää", "Kotkassa", "juon liikaa viinaa", "oon tosi yksinäinen",
    "mulla on paljon velkoja", "mun mies on väkivaltainen", "en jaksa mitään, oon masentunut",
    "hei", "kiitos", "asun kouvolassa", "en tiiä mitä tehdä", "mun elämä on ihan sekasin",
    "haluun lopettaa juomisen", "elän yksin", "onko olemassa apua velkoihin",
]


@pytest.mark.parametrize("text", SUICIDAL)
def test_suicidal_messages(text: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None and signal.kind == "suicidal"


@pytest.mark.parametrize("text", VIOLENCE_NOW)
def test_violence_happening_now(text: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None and signal.kind == "violence_now"


@pytest.mark.parametrize("text", MEDICAL)
def test_medical_emergencies(text: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None and signal.kind == "medical_emergency"


@pytest.mark.parametrize("text", NOT_CRISIS)
def test_ordinary_hard_situations_are_not_crises(text: str) -> None:
    assert detect_crisis(text) is None
