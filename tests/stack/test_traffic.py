"""The traffic of the benchmarks: residents' messages, conversations that do not open alike."""

from __future__ import annotations

import itertools

from ovi_lang.municipalities import find_municipalities, home_municipality
from ovi_stack import traffic


def test_no_opening_comes_again_before_all_have_been_used() -> None:
    pool = traffic.openings()
    assert len(pool) >= 500 and len(set(pool)) == len(pool)
    scripts = list(itertools.islice(traffic.conversations(seed=3), len(pool)))
    assert len({script[0] for script in scripts}) == len(pool)
    assert all(len(script) == 4 for script in scripts)


def test_the_same_seed_plays_the_same_traffic() -> None:
    first = list(itertools.islice(traffic.conversations(seed=5), 20))
    assert first == list(itertools.islice(traffic.conversations(seed=5), 20))
    assert first != list(itertools.islice(traffic.conversations(seed=6), 20))


def test_every_place_answer_is_in_the_county_of_the_demo_directory() -> None:
    places = traffic.places()
    # Residents writing for themselves; of those only the odd answer names no place Ovi can tell.
    assert len(places) >= 0.7 * len(traffic.place_answers())
    for answer in places:
        # The place Ovi takes from the answer: "Sisko asuu Haminan keskustassa, minä Tampereella" names two.
        home = home_municipality(answer, find_municipalities(answer, expecting_place=True), answer=True)
        assert home is not None and home.municipality.county_name == "Kymenlaakson hyvinvointialue", answer


def test_need_openings_name_no_place_and_are_no_crisis() -> None:
    openings = traffic.need_openings()
    assert len(openings) >= 50 and len(set(openings)) == len(openings)
    assert not [text for text in openings if find_municipalities(text)]
    assert set(openings) <= set(traffic.openings())
