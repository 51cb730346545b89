"""The age of the person the help is for, and who that person is to the writer (ovi_lang/person.py)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from ovi_lang.person import PersonWordsError, age_group, find_age, find_for_whom, parse_words, words

# --- age -----------------------------------------------------------------------------------------------

# (message, years, group, the words of the span)
AGES = [
    ("oon 19", 19, "youth", "19"),
    ("mä oon 19 enkä tiiä mitä teen", 19, "youth", "19"),
    ("olen 45 ja työtön", 45, "adult", "45"),
    ("19v", 19, "youth", "19v"),
    ("19 v mies, asunnoton", 19, "youth", "19 v"),
    ("oon 17v ja mulla on paha olla", 17, "youth", "17v"),
    ("16-vuotias poika juo joka viikonloppu", 16, "youth", "16-vuotias"),
    ("meillä on 16 vuotias tytär joka karkailee", 16, "youth", "16 vuotias"),
    ("tarviin apua 82-vuotiaalle äidille", 82, "elderly", "82-vuotiaalle"),
    ("yli 70", 70, "elderly", "yli 70"),
    ("oon yli 60-vuotias", 60, "adult", "yli 60-vuotias"),
    ("alle 25 nuorille on jotain?", 25, "youth", "alle 25"),
    ("äiti on 82", 82, "elderly", "82"),
    ("äiti on 82 ja dementoitunut", 82, "elderly", "82"),
    ("poikani on 8", 8, None, "8"),
    ("täytin 30 viime viikolla", 30, "adult", "30"),
    ("täytän 18 ensi kuussa", 18, "youth", "18"),
    ("ikä 45", 45, "adult", "45"),
    ("olen 54 vuotta vanha", 54, "adult", "54 vuotta vanha"),
    ("isä on 67 vuotta", 67, "elderly", "67 vuotta"),
    ("jag är 23", 23, "youth", "23"),
    ("jag är 23 år och har skulder", 23, "youth", "23 år"),
    ("min pappa är 88 år gammal", 88, "elderly", "88 år gammal"),
    ("en 23-åring som behöver bostad", 23, "youth", "23-åring"),
    ("I'm 67", 67, "elderly", "67"),
    ("I’m 67 and lonely", 67, "elderly", "67"),
    ("im 17 and my parents kicked me out", 17, "youth", "17"),
    ("I am 34.", 34, "adult", "34"),
    ("my mom is 82 years old", 82, "elderly", "82 years old"),
    ("he is 16", 16, "youth", "16"),
    ("my 15-year-old son", 15, "youth", "15-year-old"),
    ("67yo man", 67, "elderly", "67yo"),
    ("over 70 and living alone", 70, "elderly", "over 70"),
    ("tytär 15v karkaillut", 15, "youth", "15v"),
    ("isä 89v kaatuillut", 89, "elderly", "89v"),
    ("asiakas 34v", 34, "adult", "34v"),
    ("mun mutsi on 75 ja tarvii kotiapua", 75, "elderly", "75"),
    ("I need help for my client who is 45", 45, "adult", "45"),
]


@pytest.mark.parametrize(("text", "years", "group", "span"), AGES, ids=[a[0] for a in AGES])
def test_stated_ages(text: str, years: int, group: str | None, span: str) -> None:
    mention = find_age(text)
    assert mention is not None
    assert (mention.years, mention.group) == (years, group)
    assert text[mention.span[0]:mention.span[1]] == span


GROUP_WORDS = [
    ("eläkeläinen", "elderly"), ("oon eläkeläinen ja rahat ei riitä", "elderly"),
    ("vanhus asuu yksin", "elderly"), ("isä on jo vanhus", "elderly"), ("ikäihminen", "elderly"),
    ("palveluja ikäihmisille?", "elderly"), ("iäkäs naapuri", "elderly"),
    ("jag är pensionär", "elderly"), ("pensioner", "elderly"), ("I'm retired and alone", "elderly"),
    ("older people", "elderly"),
    ("nuori", "youth"), ("oon nuori ja asunnoton", "youth"), ("teini", "youth"),
    ("teini-ikäinen tytär", "youth"), ("nuorten mielenterveyspalvelut", "youth"), ("ung", "youth"),
    ("tonåring", "youth"), ("young person", "youth"), ("help for young people", "youth"),
    ("my teenager", "youth"),
]


@pytest.mark.parametrize(("text", "group"), GROUP_WORDS, ids=[g[0] for g in GROUP_WORDS])
def test_age_groups_from_words(text: str, group: str) -> None:
    mention = find_age(text)
    assert mention is not None
    assert (mention.years, mention.group) == (None, group)


def test_a_number_wins_over_a_word_and_the_span_points_at_the_words() -> None:
    text = "nuori mies, oon 22"
    mention = find_age(text)
    assert mention is not None and mention.years == 22
    text = "mun mummo on eläkeläinen"
    mention = find_age(text)
    assert mention is not None and text[mention.span[0]:mention.span[1]] == "eläkeläinen"


NOT_AGES = [
    "maksoin 19 euroa", "vuokra on 700", "velkaa on 7000", "19€ jäi tilille", "mulla on 19e",
    "tilil on 12 euroo", "pari kymppii jäi, 15 egee",
    "19.3. on aika sossuun", "tavataan 19.3.2025", "klo 19", "kello on 19", "19:00 alkaa ryhmä",
    "2 kuukautta", "oon ollu 2 vuotta työttömänä", "2 vuotta sitten muutin", "mulla on 2 lasta",
    "mulla on 2", "äidillä on 3 koiraa", "meitä on 5", "juon 6 kaljaa päivässä", "nukuin 3 tuntia",
    "soita 040 123 4567", "numero on 0401234567", "+358 40 123", "huone 19", "bussi 70 kulkee",
    "asuin siellä vuonna 1990", "16-vuotiaana aloin juoda", "kun olin nuorena", "nuorempi veli",
    "vanha asunto", "jag har bott här i 23 år", "det kostar 70 kr", "I have 3 kids",
    "I waited 2 weeks", "it costs 19 euros", "at 19 o'clock", "kiitos", "mulla ei oo kämppää",
    "19,5 prosenttia", "yli 200 euroa", "alle 5 kertaa", "lapsia on 5", "velkaa on 70",
    "yli 70 hakemusta lähetetty", "klockan är 19", "I'm 5 minutes away", "I'm 100% sure",
]


@pytest.mark.parametrize("text", NOT_AGES)
def test_numbers_and_words_that_are_no_age(text: str) -> None:
    assert find_age(text) is None


@pytest.mark.parametrize(("years", "group"), [
    (14, None), (15, "youth"), (29, "youth"), (30, "adult"), (64, "adult"), (65, "elderly"), (101, "elderly"),
])
def test_group_bounds(years: int, group: str | None) -> None:
    assert age_group(years) == group


def test_bounds_take_the_group_past_the_number() -> None:
    over = find_age("yli 64")
    under = find_age("alle 30")
    assert over is not None and over.group == "elderly"
    assert under is not None and under.group == "youth"


# --- for whom ------------------------------------------------------------------------------------------

CLOSE_ONES = [
    ("äitini juo liikaa", "äiti", "äitini"),
    ("aitini juo liikaa", "äiti", "aitini"),
    ("mun kaveri", "kaveri", "mun kaveri"),
    ("mun kaveri on masentunu eikä syö", "kaveri", "mun kaveri"),
    ("poikani", "poika", "poikani"),
    ("poikani käyttää huumeita", "poika", "poikani"),
    ("mun poika polttaa pilveä", "poika", "mun poika"),
    ("naapuri", "naapuri", "naapuri"),
    ("naapuri juo ja huutaa öisin", "naapuri", "naapuri"),
    ("faija juo joka päivä", "faija", "faija"),
    ("mun faijalla on velkoja", "faija", "mun faijalla"),
    ("mutsi on masentunut", "mutsi", "mutsi"),
    ("mummo on yksinäinen", "mummo", "mummo"),
    ("isä on sairas eikä pärjää kotona", "isä", "isä"),
    ("mun mies juo liikaa", "mies", "mun mies"),
    ("miehelläni on masennus", "mies", "miehelläni"),
    ("vaimoni pelaa kaikki rahat", "vaimo", "vaimoni"),
    ("kaverilla on velkaa", "kaveri", "kaverilla"),
    ("oon huolissani isästä", "isä", "isästä"),
    ("isän juominen huolettaa", "isä", "isän"),
    ("miten voin auttaa äitiäni", "äiti", "äitiäni"),
    ("siskoni viiltelee", "sisko", "siskoni"),
    ("tyttäreni ei käy koulussa", "tytär", "tyttäreni"),
    ("min pappa", "pappa", "min pappa"),
    ("min mamma dricker för mycket", "mamma", "min mamma"),
    ("jag är orolig för min son", "son", "min son"),
    ("min bror har skulder", "bror", "min bror"),
    ("my brother", "brother", "my brother"),
    ("my brother drinks too much", "brother", "my brother"),
    ("I'm worried about my son", "son", "my son"),
    ("is there help for my mother", "mother", "my mother"),
    ("my dad is 80 and can't cope alone", "dad", "my dad"),
    ("isä lyö äitiä", "äiti", "äitiä"),      # the writer saw it: the mother is the one hurt
    ("mun kumppanin juominen on lisääntyny", "kumppani", "mun kumppanin"),
    ("mun vanhemmat juo joka päivä", "vanhempi", "mun vanhemmat"),
    ("kaveri otti liikaa pillereitä eikä herää", "kaveri", "kaveri"),
    ("kämppis juo joka ilta", "kämppis", "kämppis"),
    ("mun broidi on vankilassa", "broidi", "mun broidi"),
    ("mun tyttis on masentunu", "tyttis", "mun tyttis"),
    ("mun mutsi on 75 ja tarvii kotiapua", "mutsi", "mun mutsi"),
    ("ystäväni tarvitsee apua", "ystävä", "ystäväni"),
    ("tytär 15v karkaillut", "tytär", "tytär"),
    ("Min mormor är ensam", "mormor", "Min mormor"),
    ("my grandma is lonely", "grandma", "my grandma"),
]


@pytest.mark.parametrize(("text", "relation", "span"), CLOSE_ONES, ids=[c[0] for c in CLOSE_ONES])
def test_close_ones(text: str, relation: str, span: str) -> None:
    found = find_for_whom(text)
    assert (found.who, found.relation) == ("close_one", relation)
    assert found.span is not None and text[found.span[0]:found.span[1]] == span


CLIENTS = [
    ("asiakkaani", "asiakas"), ("asiakkaani tarvitsee asunnon", "asiakas"),
    ("asiakas tarvitsisi päihdehoitoa", "asiakas"),
    ("työskentelen sosiaalityöntekijänä ja asiakkaalla on velkoja", "asiakas"),
    ("olen ohjaaja, meidän asiakkaalle pitäisi löytää tukiasunto", "asiakas"),
    ("potilaani tarvitsee kotihoitoa", "potilas"),
    ("min klient", "klient"), ("min klient behöver boende", "klient"),
    ("my client", "client"), ("my client needs a shelter tonight", "client"),
    ("asiakkaani äiti juo", "asiakas"),
    ("asiakas 34v, asunnoton", "asiakas"),
    ("I need help for my client who is 45", "client"),
]


@pytest.mark.parametrize(("text", "relation"), CLIENTS, ids=[c[0] for c in CLIENTS])
def test_clients(text: str, relation: str) -> None:
    found = find_for_whom(text)
    assert (found.who, found.relation) == ("client", relation)


SELF = [
    "mun mies lyö mua",                    # the writer is the one hurt: help for them
    "mun mies juo ja lyö mua",
    "poikaystävä uhkailee minua",
    "mun exä uhkailee mua",
    "isä huutaa mulle joka päivä",
    "my husband hits me", "min man slår mig",
    "joku mies seuraa mua",                 # "mies" without an owner is any man
    "poika oli kaupassa",
    "asun äitini kanssa",
    "asun äidin luona enkä jaksa",
    "I live with my mother", "jag bor med min mamma",
    "olen Kelan asiakas", "oon ollu asiakkaana sossussa", "I am a client of the social office",
    "jag är patient på psyket",
    "mulla ei oo kavereita",
    "sain äidiltä rahaa", "soitin äidille eilen",
    "äiti on huolissaan musta", "mun vaimo sanoo että juon liikaa", "my wife says I drink too much",
    "hei tarviin apua", "oon 19 ja asun yksin", "juon liikaa", "en jaksa enää",
    "asiakaspalvelu ei vastaa",
    "puoliso on väkivaltainen", "tyttöystävä on väkivaltanen", "vaimo huutaa ja heittelee tavaroita",
    "poikaystävä kontrolloi kaikkea mitä teen", "my husband is violent", "min man är våldsam",
    "haluisin ystävän", "ystävät on kadonnu elämästä", "vanhempi mies kaipaa juttuseuraa",
    "kuka kirjotti seitsemän veljestä", "mä nukun kavereiden sohvilla",
]


@pytest.mark.parametrize("text", SELF)
def test_self(text: str) -> None:
    found = find_for_whom(text)
    assert found.who == "self", found
    assert found.relation is None and found.span is None


# --- the word file -------------------------------------------------------------------------------------


def _raw() -> dict[str, Any]:
    from importlib import resources

    loaded: dict[str, Any] = yaml.safe_load(
        resources.files("ovi_lang").joinpath("data/person_words.yml").read_text("utf-8"))
    return loaded


def test_the_word_file_loads() -> None:
    w = words()
    assert "äiti" in w.relations["fi"] and "asiakas" in w.clients["fi"]
    assert "on" in w.frame_before["fi"] and "no" in w.not_before["en"]  # quoted: YAML would read booleans


@pytest.mark.parametrize(("change", "message"), [
    (lambda raw: raw.pop("for_whom"), "for_whom"),
    (lambda raw: raw["age"]["groups"].pop("youth"), "age.groups"),
    (lambda raw: raw["age"]["frame_before"].update(fi=["olen", True]), "age.frame_before.fi"),
    (lambda raw: raw["for_whom"]["owners"].pop("sv"), "for_whom.owners"),
    (lambda raw: raw["for_whom"]["clients"].update(en=["Client"]), "for_whom.clients.en"),
], ids=["no-section", "no-group", "a-boolean", "a-language-missing", "upper-case"])
def test_a_broken_word_file_names_the_entry(change: Any, message: str) -> None:
    raw = _raw()
    change(raw)
    with pytest.raises(PersonWordsError, match=message.replace(".", r"\.")):
        parse_words(raw)
