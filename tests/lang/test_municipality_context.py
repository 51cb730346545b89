"""Municipality names that are also a common word or a first name: each one, one by one.

Every ambiguous name of data/ambiguous_municipalities.yml has a hand-written sentence where it is a person
or a common word, and its place case written out by hand (not generated): no match in the sentence, the
right code with the place case, with a cue and as a bare answer to "where do you live?".
"""

from __future__ import annotations

import pytest

from ovi_lang.ambiguous_places import load
from ovi_lang.municipalities import find_municipalities


def _fold(text: str) -> str:
    return text.lower().replace("ä", "a").replace("ö", "o").replace("å", "a")


AMBIGUOUS = {a["name"]: a["code"] for a in load()}
# The written forms that also have the other reading, and the same typed without ä/ö ("vierema").
SPELLINGS = {a["name"]: sorted({*a["spellings"], *(_fold(s) for s in a["spellings"])}) for a in load()}

# name: (a sentence where it is not a place, its place case or None for the Swedish names)
CASES: dict[str, tuple[str, str | None]] = {
    "Aura": ("hänellä on tosi kaunis aura", "Aurassa"),
    "Hanko": ("hanko katkesi kesken heinätöiden", "Hangossa"),
    "Ii": ("luku II käsittelee velkoja", "Iissä"),
    "Ilmola": ("Ilmola soitti mulle eilen illalla", None),
    "Ingå": ("jag har inga pengar kvar", None),
    "Kaarina": ("Kaarina on mun paras ystävä", "Kaarinassa"),
    "Kaavi": ("kaavi se roska pois pöydältä", "Kaavilla"),
    "Kannus": ("kannus irtosi saappaasta", "Kannuksessa"),
    "Kaskö": ("auton kasko ei korvaa mitään", None),
    "Kokkola": ("Kokkola on meidän opettajan sukunimi", "Kokkolassa"),
    "Kolari": ("kolari oli tosi paha ja nyt pelottaa ajaa", "Kolarissa"),
    "Koski": ("se koski minuun tosi paljon", "Koskella"),
    "Kurikka": ("kurikka oli sen kädessä kun se tuli ovelle", "Kurikassa"),
    "Kökar": ("vattnet kokar på spisen", None),
    "Lahti": ("lahti jäätyi jo marraskuussa", "Lahdessa"),
    "Lappo": ("lappo tukkeutui taas", None),
    "Liperi": ("papin liperi oli vinossa", "Liperissä"),
    "Loviisa": ("Loviisa on mun sisko ja se juo liikaa", "Loviisassa"),
    "Luoto": ("luoto näkyi rannalta", "Luodossa"),
    "Perho": ("perho lensi ikkunasta sisään", "Perhossa"),
    "Rusko": ("rusko värjäsi taivaan", "Ruskolla"),
    "Salla": ("Salla ei vastaa puhelimeen", "Sallassa"),
    "Salo": ("Salo on mun pomo ja kiusaa mua", "Salossa"),
    "Sauvo": ("sauvo vene rantaan", "Sauvossa"),
    "Simo": ("Simo lyö mua", "Simossa"),
    "Somero": ("somero pöllysi tiellä", "Somerolla"),
    "Storå": ("jag har stora skulder och vet inte vad jag ska göra", None),
    "Sund": ("maten är sund", None),
    "Varkaus": ("varkaus pitää ilmoittaa poliisille", "Varkaudessa"),
    "Veteli": ("hän veteli sikeitä sohvalla", "Vetelissä"),
    "Vieremä": ("vieremä tukki tien", "Vieremällä"),
    "Virrat": ("virrat ovat keväällä voimakkaita", "Virroilla"),
}
NAMES = sorted(AMBIGUOUS)
FINNISH = [name for name in NAMES if CASES.get(name, ("", None))[1] is not None]  # Swedish ones: no cases


def _codes(text: str, *, expecting_place: bool = False) -> list[str]:
    return [m.municipality.code for m in find_municipalities(text, expecting_place=expecting_place)]


def test_every_ambiguous_name_has_a_hand_written_case() -> None:
    assert set(CASES) == set(AMBIGUOUS)


def test_the_names_the_brief_names() -> None:
    assert {"Kolari", "Simo", "Salo", "Ii", "Aura"} <= set(AMBIGUOUS)
    assert "Tampere" not in AMBIGUOUS and "Kotka" not in AMBIGUOUS


@pytest.mark.parametrize("name", NAMES)
def test_as_a_person_or_a_common_word_it_is_no_place(name: str) -> None:
    sentence, _ = CASES[name]
    assert AMBIGUOUS[name] not in _codes(sentence), sentence


@pytest.mark.parametrize("name", FINNISH)
def test_in_its_place_case_it_is_the_municipality(name: str) -> None:
    place_case = CASES[name][1]
    assert place_case is not None
    for spelling in (place_case, place_case.lower(), _fold(place_case)):
        for text in (spelling, f"mä asun {spelling}", f"oon kotoisin {spelling} mut muutin pois"):
            assert _codes(text) == [AMBIGUOUS[name]], text


@pytest.mark.parametrize("name", NAMES)
def test_after_a_cue_it_is_the_municipality(name: str) -> None:
    code = AMBIGUOUS[name]
    texts = [f"jag bor i {name}", f"I live in {name}", f"I'm from {name.lower()}"]
    if CASES[name][1] is not None:
        texts += [f"kotikunta: {name}", f"kotikunta on {name.lower()}", f"asun {_fold(name)}"]
    for text in texts:
        assert _codes(text) == [code], text


@pytest.mark.parametrize("name", NAMES)
def test_as_a_bare_answer_to_where_do_you_live(name: str) -> None:
    code = AMBIGUOUS[name]
    for spelling in dict.fromkeys((name, name.lower(), _fold(name))):
        assert _codes(spelling, expecting_place=True) == [code], spelling
    for spelling in SPELLINGS[name]:
        assert _codes(spelling) == [], spelling
        assert _codes(spelling.capitalize()) == [], spelling


@pytest.mark.parametrize("name", NAMES)
def test_in_a_sentence_while_expecting_a_place_it_is_the_municipality(name: str) -> None:
    sentence, _ = CASES[name]
    assert AMBIGUOUS[name] in _codes(sentence, expecting_place=True)


@pytest.mark.parametrize(("text", "code"), [
    ("Salon kaupunki", "734"),
    ("kolarin kunnassa on terveyskeskus", "273"),
    ("Simon terveyskeskus", "751"),
    ("Salo stad", "734"),
    ("Lahti city", "398"),
    ("asun salos", "734"),         # spoken inessive
    ("oon kotosin simost", "751"),  # spoken elative
    ("Ingå", "149"),               # with å it is only the place
    ("Kökar", "318"),
    ("Storå", "151"),
])
def test_other_place_cues(text: str, code: str) -> None:
    assert _codes(text) == [code]


@pytest.mark.parametrize("text", [
    "Simo lyö mua",
    "kerroin Simolle kaikesta",        # allative: Simo takes -ssa as a place
    "sain Sallalta rahaa lainaksi",
    "asun Simon kanssa",
    "täällä Simo, tarviin apua",       # "Simo here"
    "olen Salo ja tarvitsen apua",
    "Kaarinan kanssa riideltiin taas",
    "lahti on jäässä",
    "Varkaus tapahtui eilen illalla",
    "jag har inga pengar",
    "Kolari",
    "koski tosi kovaa",
])
def test_people_and_common_words_are_no_places(text: str) -> None:
    assert _codes(text) == []


@pytest.mark.parametrize(("text", "code"), [
    ("Tampere", "837"), ("tampereen", "837"), ("Kotka", "285"), ("kotkan", "285"), ("turku", "853"),
    ("Helsingfors", "091"), ("Åbo", "853"), ("jag bor i Vasa", "905"), ("Vasa", "905"),
    ("I live in Oulu", "564"), ("Oulu", "564"), ("nokia", "536"),
])
def test_unambiguous_names_work_in_any_form_as_before(text: str, code: str) -> None:
    assert _codes(text) == [code]


@pytest.mark.parametrize("name", FINNISH)
def test_lower_case_in_a_capitalised_message_is_the_common_word_unless_a_cue_says_place(name: str) -> None:
    place_case = CASES[name][1]
    assert place_case is not None
    code = AMBIGUOUS[name]
    assert code not in _codes(f"Kävin {place_case.lower()} eilen, ja nyt en tiedä mitä tehdä.")
    assert _codes(f"Kävin {place_case} eilen, ja nyt en tiedä mitä tehdä.") == [code]
    assert _codes(f"Mä asun {place_case.lower()} nykyään.") == [code]
    assert _codes(f"Muutin pois. {place_case} ei ole mitään.") == [code]


def test_the_car_crash_of_a_careful_writer_is_no_place() -> None:
    assert _codes("Olin kolarissa kuukausi sitten, ja selkä on edelleen kipeä.") == []
    assert _codes("olin kolarissa kuukausi sitten") == ["273"]  # no capitals at all: the case decides


@pytest.mark.parametrize(("text", "code"), [
    ("kotkansaarella kaverin kans kimppakämpässä", "285"),  # Kotkansaari, a part of Kotka
    ("haminanlahdessa", "075"),
    ("kotkansaarel asun, keskustan lähellä", "285"),  # spoken: the last vowel dropped
])
def test_a_part_of_town_built_on_the_name_answers_where_do_you_live(text: str, code: str) -> None:
    assert [m.municipality.code for m in find_municipalities(text, expecting_place=True)] == [code]
    assert find_municipalities(text) == []  # elsewhere the word is not read as a place


def test_a_compound_that_is_no_place_is_not_a_part_of_town() -> None:
    assert find_municipalities("kotkanpesä löytyi puusta", expecting_place=True) == []
