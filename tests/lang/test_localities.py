"""Parts of town, villages and former municipalities as the answer to "where do you live?"."""

from __future__ import annotations

from pathlib import Path

import pytest

from ovi_lang import check_localities, localities
from ovi_lang.municipalities import find_municipalities


def _codes(text: str, *, expecting_place: bool = True) -> list[str]:
    return [m.municipality.code for m in find_municipalities(text, expecting_place=expecting_place)]


def test_the_table_passes_its_check() -> None:
    rows = check_localities.load()
    assert {row.kind for row in rows} == set(check_localities.KINDS)
    assert check_localities.main([]) == 0


def test_every_name_of_the_table_answers_where_do_you_live() -> None:
    wrong = [(row.name, row.municipality_code, _codes(row.name)) for row in localities.load()
             if _codes(row.name) != [row.municipality_code]]
    assert wrong == []


@pytest.mark.parametrize(("text", "code"), [
    ("karhulassa", "285"),  # a former municipality, part of Kotka since 1977
    ("kuusankoskella", "286"),  # part of Kouvola since 2009
    ("mummo asuu virojoella", "935"),  # a village of Virolahti that Voikko reads as a common compound
    ("jylpyssä", "285"),  # a part of Kotka Voikko does not know: stem and case ending
    ("runosmäessä", "853"),  # unknown to Voikko, its last part is "mäki" with its gradation (mäe-)
    ("asumme pyterlahdella", "935"),  # Pyter + lahti → "lahdella"
    ("tikkurilas", "092"),  # spoken inessive
    ("hervannassa", "837"),
    ("i Karis", "710"),  # Swedish, Raasepori
    ("asun kalliossa", "091"),  # a common word, in a place case after "asun"
    ("Inkeroisten suunnalla", "286"),  # a genitive before a word of place (Voikko: a common noun)
    ("inkerosten suunnalla asun", "286"),  # spoken: the i of -isten dropped
    ("karhulan kulmilla", "285"),
    ("kpo keskusta", "297"),  # the town's abbreviation
    ("asun hesassa", "091"),  # a nickname too short for the stem rule, inflected
    ("treellä", "837"),
    ("stadissa", "091"),
    ("ilpoisissa", "853"),  # a name in -nen inflects on its s-stem: Ilpoinen → Ilpoisissa
    ("halisis", "853"),  # and spoken: Halinen → "halisis"
    ("ukissa, ihan keskustan vieressä", "895"),  # Uki, Uusikaupunki
])
def test_a_locality_in_any_form_names_its_municipality(text: str, code: str) -> None:
    assert _codes(text) == [code]


@pytest.mark.parametrize("text", [
    "joudun maksamaan vuokraa",  # Maksamaa is a village, "maksamaan" (to pay) a verb
    "tiukkaa on",  # Tiukka is a village, "tiukkaa" (tight) an adjective
    "velkaa on paljon",  # not Velkua
    "kämppää ei oo",  # not Kamppi
    "we talk on Sunday",  # not Sundom
    "tredje gången",  # Swedish "third", not Tre (Tampere)
    "hesari kertoi",  # the newspaper, not Hesa
])
def test_words_that_only_look_like_a_locality_name_no_place(text: str) -> None:
    assert _codes(text) == []


def test_a_locality_counts_only_where_a_place_is_expected() -> None:
    assert _codes("Kuusankoskella on kiva kesä", expecting_place=False) == []
    assert _codes("Inkeroisten suunnalla on hyvä sieniapaja", expecting_place=False) == []
    assert _codes("oon simon puolella tässä riidassa", expecting_place=False) == []  # Simo's side
    assert _codes("asun Kuusankoskella ja velat kasvaa", expecting_place=False) == ["286"]
    assert _codes("Vi bor i Siltakylä", expecting_place=False) == ["624"]


def test_a_named_municipality_wins_over_a_locality() -> None:
    # The mother lives in Kuusankoski (Kouvola), the person in Kotka.
    assert _codes("asun kotkassa, äiti asuu kuusankoskella") == ["285"]


def test_a_bad_row_is_named_by_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "localities.csv"
    rows = ["# comment", "name,municipality_code,kind,language", "Karhula,285,part,fi", "Jylppy,999,part,fi"]
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(check_localities.LocalityError, match="line 4, field municipality_code"):
        check_localities.load(bad)
