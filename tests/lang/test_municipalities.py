"""Municipality recognition: every official name, inflected forms, lower case and no ä/ö."""

from __future__ import annotations

import pytest

from ovi_lang.municipalities import (
    all_municipalities,
    find_municipalities,
    find_municipality,
    home_municipality,
    is_ambiguous,
)

ALL = sorted(all_municipalities().values(), key=lambda m: m.code)


def _fold(text: str) -> str:
    return text.lower().replace("ä", "a").replace("ö", "o").replace("å", "a")


def test_the_code_list_has_309_municipalities() -> None:
    assert len(ALL) == 309


@pytest.mark.parametrize("municipality", ALL, ids=lambda m: m.code)
def test_every_nominative_is_recognised_as_written_lowercase_and_without_diacritics(municipality) -> None:
    # A name that is also a common word or a first name needs the question "where do you live?" when bare
    # (tests/lang/test_municipality_context.py tests each of them).
    expecting_place = is_ambiguous(municipality.name_fi.replace(" Tl", ""))
    for form in {municipality.name_fi, municipality.name_fi.lower(), _fold(municipality.name_fi)}:
        match = find_municipality(form, expecting_place=expecting_place)
        assert match is not None, form
        assert match.municipality.code == municipality.code, form


# (code, inessive, elative, illative): written out by hand from Finnish grammar, not generated.
SAMPLE = [
    ("285", "Kotkassa", "Kotkasta", "Kotkaan"),
    ("286", "Kouvolassa", "Kouvolasta", "Kouvolaan"),
    ("075", "Haminassa", "Haminasta", "Haminaan"),
    ("624", "Pyhtäällä", "Pyhtäältä", "Pyhtäälle"),
    ("489", "Miehikkälässä", "Miehikkälästä", "Miehikkälään"),
    ("935", "Virolahdella", "Virolahdelta", "Virolahdelle"),
    ("109", "Hämeenlinnassa", "Hämeenlinnasta", "Hämeenlinnaan"),
    ("091", "Helsingissä", "Helsingistä", "Helsinkiin"),
    ("398", "Lahdessa", "Lahdesta", "Lahteen"),
    ("853", "Turussa", "Turusta", "Turkuun"),
    ("837", "Tampereella", "Tampereelta", "Tampereelle"),
    ("179", "Jyväskylässä", "Jyväskylästä", "Jyväskylään"),
    ("564", "Oulussa", "Oulusta", "Ouluun"),
    ("698", "Rovaniemellä", "Rovaniemeltä", "Rovaniemelle"),
    ("743", "Seinäjoella", "Seinäjoelta", "Seinäjoelle"),
    ("405", "Lappeenrannassa", "Lappeenrannasta", "Lappeenrantaan"),
    ("139", "Iissä", "Iistä", "Iihin"),
    ("890", "Utsjoella", "Utsjoelta", "Utsjoelle"),
    ("992", "Äänekoskella", "Äänekoskelta", "Äänekoskelle"),
    ("989", "Ähtärissä", "Ähtäristä", "Ähtäriin"),
    ("106", "Hyvinkäällä", "Hyvinkäältä", "Hyvinkäälle"),
    ("508", "Mänttä-Vilppulassa", "Mänttä-Vilppulasta", "Mänttä-Vilppulaan"),
    ("182", "Jämsässä", "Jämsästä", "Jämsään"),
    ("297", "Kuopiossa", "Kuopiosta", "Kuopioon"),
]


@pytest.mark.parametrize(("code", "inessive", "elative", "illative"), SAMPLE, ids=[s[0] for s in SAMPLE])
def test_inflected_forms_in_every_spelling(code: str, inessive: str, elative: str, illative: str) -> None:
    for form in (inessive, elative, illative):
        for spelling in {form, form.lower(), _fold(form)}:
            match = find_municipality(f"mä asun {spelling} nykyään")
            assert match is not None, spelling
            assert match.municipality.code == code, spelling


def test_issue_examples() -> None:
    assert [m.municipality.code for m in find_municipalities("Kotkassa")] == ["285"]
    assert [m.municipality.code for m in find_municipalities("kouvolasta")] == ["286"]
    assert [m.municipality.code for m in find_municipalities("Haminaan")] == ["075"]
    assert [m.municipality.code for m in find_municipalities("hameenlinnassa")] == ["109"]


def test_offsets_point_at_the_words_as_written() -> None:
    text = "oon kotoisin kouvolasta mut asun nyt Pyhtäällä"
    matches = find_municipalities(text)
    assert [m.municipality.code for m in matches] == ["286", "624"]
    assert [text[m.start:m.end] for m in matches] == ["kouvolasta", "Pyhtäällä"]


def test_multiword_and_swedish_names() -> None:
    assert find_municipality("Pedersören kunta").municipality.code == "599"  # type: ignore[union-attr]
    assert find_municipality("asun Maarianhaminassa").municipality.code == "478"  # type: ignore[union-attr]
    assert find_municipality("jag bor i Helsingfors").municipality.code == "091"  # type: ignore[union-attr]


def test_county_is_attached() -> None:
    kotka = find_municipality("Kotkassa")
    assert kotka is not None
    assert kotka.municipality.county_code == "10"
    assert kotka.municipality.county_name == "Kymenlaakson hyvinvointialue"


@pytest.mark.parametrize("text", [
    "mulla ei oo kämppää", "juon liikaa viinaa", "en jaksa enää elää", "mulla on velkoja", "hei",
    "oon tosi yksinäinen", "mun mies lyö mua", "kiitos avusta", "kotona on paha olla",
])
def test_no_municipality_in_ordinary_messages(text: str) -> None:
    assert find_municipalities(text) == []


@pytest.mark.parametrize("text", [
    "kymmeniä tuhansia euroja velkaa",  # Voikko also reads "euroja" as the plural of Eura
    "löysin tililtä tuhansien eurojen siirrot",
    "siita lahtien kun mieheni kuoli",  # "lähtien" without dots, also a plural of Lahti
])
def test_a_plural_form_is_no_town(text: str) -> None:
    assert find_municipalities(text, expecting_place=True) == []


def test_a_name_in_nen_is_still_read_from_its_plural_forms() -> None:
    assert [m.municipality.code for m in find_municipalities("asun Paraisilla")] == ["445"]
    assert [m.municipality.code for m in find_municipalities("Joroisten keskustassa")] == ["171"]


@pytest.mark.parametrize(("text", "code"), [
    ("virolahella vaalimaan kulmilla", "935"),  # Virolahdella with the spoken d dropped
    ("asutaan virolahel", "935"),
])
def test_spoken_forms_without_the_weak_grade_d(text: str, code: str) -> None:
    assert [m.municipality.code for m in find_municipalities(text)] == [code]


@pytest.mark.parametrize(("text", "code"), [
    ("muutin turkuu elokuus", "853"),  # Turkuun with the spoken illative's n dropped
    ("me muutettiin ouluu", "564"),
    ("muutin porii viime vuonna", "609"),
])
def test_spoken_illative_without_its_n(text: str, code: str) -> None:
    assert [m.municipality.code for m in find_municipalities(text)] == [code]


def test_the_spoken_illative_is_where_one_moved_to() -> None:
    text = "moi muutin turkuu elokuus oulust enka oo viela kayny missaan laakaris taal"
    home = home_municipality(text, find_municipalities(text))
    assert home is not None and home.municipality.code == "853"


@pytest.mark.parametrize("text", ["mies lahtee kotoa", "se lahtee huomenna"])
def test_leaves_without_dots_is_no_spoken_illative_of_lahti(text: str) -> None:
    assert find_municipalities(text, expecting_place=True) == []


@pytest.mark.parametrize("text", [
    # Lahti's spoken forms are "lähes" and "lähellä" written without ä: far more often those.
    "ollaan lahes valmiita", "asun tossa koulun lahella", "lahessa kaikki",
])
def test_almost_and_near_without_dots_are_no_lahti(text: str) -> None:
    assert find_municipalities(text, expecting_place=True) == []


@pytest.mark.parametrize(("text", "word"), [
    ("mun mies lähti eikä tullut takaisin", "lähti"),  # left; not Lahti
    ("se lähtis pois jos vois", "lähtis"),  # would leave; not Lahtis (Lahti in Swedish)
    ("Lähti töihin eikä soittanut", "Lähti"),
])
def test_a_word_written_with_a_or_o_dots_is_no_name_written_without(text: str, word: str) -> None:
    assert word in text and find_municipalities(text) == []
    assert find_municipality(word.replace("ä", "a"), expecting_place=True) is not None  # the name itself is


@pytest.mark.parametrize(("text", "code"), [
    ("olen kouvolalainen", "286"),
    ("Oon lahtelainen ja tarviin apua", "398"),
    ("helsinkiläisenä en tiedä mistä kysyä", "091"),
    ("me porilaiset ollaan sitkeitä", "609"),
    ("olen oululainen opiskelija", "564"),
    ("tamperelaisia palveluja", "837"),
    ("oon jyvaskylalainen", "179"),
    ("espoolainen perhe", "049"),
    ("olen pietarsaarelainen", "598"),
    ("kotkalaisena haluaisin tietää", "285"),
    ("iiläinen eläkeläinen", "139"),
    ("olemme salolaisia", "734"),
])
def test_a_demonym_names_the_municipality(text: str, code: str) -> None:
    assert [m.municipality.code for m in find_municipalities(text)] == [code]


@pytest.mark.parametrize("word", [
    "erilainen", "samanlainen", "tällainen", "sellainen", "millainen", "minkälainen", "suomalainen",
    "ulkomaalainen", "venäläinen", "virolainen", "ruotsalainen", "englantilainen", "maalainen",
    "kyläläinen", "kaupunkilainen", "eläkeläinen", "opiskelijalainen", "pohjalainen", "karjalainen",
    "savolainen", "hämäläinen", "lappilainen", "somalialainen", "afganistanilainen", "ukrainalaisena",
])
def test_common_lainen_words_are_no_municipality(word: str) -> None:
    assert find_municipalities(f"olen {word}") == []


def test_no_two_municipalities_share_a_demonym_stem() -> None:
    from ovi_lang.municipalities import _stems, all_municipalities

    single_word = [m for m in all_municipalities().values() if " " not in m.name_fi and "-" not in m.name_fi]
    assert len(_stems()) == len(single_word)


@pytest.mark.parametrize(("text", "home"), [
    ("Hi, I've just moved to Hamina from Espoo to live with my partner.", "Hamina"),
    ("muutin espoosta kotkaan viime kuussa", "Kotka"),  # from-case after a word of moving: where from
    ("jag flyttade från Esbo till Kotka", "Kotka"),
    ("asun kotkassa, äiti asuu haminassa", "Kotka"),
    ("äiti asuu haminassa ja mä asun kotkassa", "Kotka"),  # "asun" wins wherever it stands
    ("oon kotoisin oulusta mut asun nyt haminassa", "Hamina"),
    ("äiti asuu virolahdella, itse helsingissä", "Helsinki"),  # no cue: the last, as Rasa's slot took
])
def test_where_the_person_lives_of_several_municipalities(text: str, home: str) -> None:
    found = home_municipality(text, find_municipalities(text))
    assert found is not None and found.municipality.name_fi == home


def test_an_answer_without_a_cue_names_its_first_municipality() -> None:
    text = "Kotka, äiti Haminassa"
    assert home_municipality(text, find_municipalities(text, expecting_place=True), answer=True) is not None
    assert home_municipality(text, find_municipalities(text, expecting_place=True),
                             answer=True).municipality.name_fi == "Kotka"


@pytest.mark.parametrize(("text", "theirs"), [
    ("isän ja äidin koti on Virolahden Klamilassa, mä asun Lahdessa", "Virolahti"),
    ("äiti asuu haminassa ja mä asun kotkassa", "Hamina"),
    ("My mother lives in Kotka and I live in Helsinki", "Kotka"),
    ("mä asun kotkassa", "Kotka"),  # nothing said of their home: the one named
    ("ite asun kotkas mut faija asuu haminas", "Hamina"),
    ("själv bor jag i Kotka men mamma bor i Hamina", "Hamina"),
])
def test_for_someone_else_their_home_wins(text: str, theirs: str) -> None:
    found = home_municipality(text, find_municipalities(text, expecting_place=True), answer=True,
                              for_close_one=True)
    assert found is not None and found.municipality.name_fi == theirs


@pytest.mark.parametrize("text", ["Itse asun Helsingissä enkä pääse käymään kuin kerran kuussa",
                                  "I myself live in Espoo, so I can only visit"])
def test_for_someone_else_the_writers_own_home_alone_is_no_answer(text: str) -> None:
    named = find_municipalities(text, expecting_place=True)
    assert named
    assert home_municipality(text, named, answer=True, for_close_one=True) is None
    assert home_municipality(text, named, answer=True) is not None  # for the writer it is the home


@pytest.mark.parametrize("text", ["Olen ihan yksin. Lapset asuvat Tampereella ja soittavat harvoin.",
                                  "I'm so lonely since my son lives in Espoo now"])
def test_for_the_writer_someone_elses_home_is_not_theirs(text: str) -> None:
    named = find_municipalities(text)
    assert named
    assert home_municipality(text, named) is None  # Ovi asks where the writer lives
    assert home_municipality(text, named, for_close_one=True) is not None  # for the son: his home


@pytest.mark.parametrize(("text", "name"), [
    ("tamperella", "Tampere"),  # Tampereella
    ("asun hämenlinassa", "Hämeenlinna"),
    ("lapenranta", "Lappeenranta"),
    ("rovanieimellä", "Rovaniemi"),  # two letters swapped
    ("espoosa", "Espoo"),  # spoken inessive on top
    ("Helsingfor", "Helsinki"),  # Swedish, a letter short
    # An inflected stem too far from the name for the edit distance: Voikko's suggestion reaches it.
    ("uudestkaupungist", "Uusikaupunki"),
    ("mä oon uudestkaupungista kotosin", "Uusikaupunki"),
])
def test_an_answer_with_a_typo_in_the_name_is_understood(text: str, name: str) -> None:
    assert [m.municipality.name_fi for m in find_municipalities(text, expecting_place=True)] == [name]
    assert find_municipalities(text) == []  # elsewhere a typo is not guessed at


@pytest.mark.parametrize("text", ["ihalassa", "kotona", "kaupungissa asun", "oulusa"])
def test_no_guess_from_a_known_word_a_short_name_or_nothing_near(text: str) -> None:
    # "oulusa": Oulu has four letters, too close to too many words to guess from.
    assert find_municipalities(text, expecting_place=True) == []
