"""data/ambiguous_municipalities.yml is what ovi_lang/ambiguous_places.py derives from Voikko and the rest."""

from __future__ import annotations

from ovi_lang import ambiguous_places
from ovi_lang.municipalities import all_municipalities, search_names


def test_the_generated_file_matches_voikko() -> None:
    assert ambiguous_places.load() == ambiguous_places.derive()
    assert ambiguous_places.OUTPUT.read_text(encoding="utf-8") == ambiguous_places.render(
        ambiguous_places.derive()), "run python -m ovi_lang.ambiguous_places"
    assert ambiguous_places.main(["--check"]) == 0


def test_the_hand_written_choices_name_real_municipalities() -> None:
    ctx = ambiguous_places.context()
    names = {n for m in all_municipalities().values() for n in search_names(m.name_fi, m.name_sv)}
    ambiguous = {a["name"] for a in ambiguous_places.load()}
    # An unambiguous name must have a reading, else the entry is stale.
    for name in ctx["keep_unambiguous"]:
        assert name in names and name not in ambiguous, name
        assert any(a.get("CLASS") != "paikannimi" for a in ambiguous_places.voikko.analyse(name)), name
    for name in ctx["external_locative"]:
        assert name in ambiguous, name
    for spelling in ctx["other_readings"]:
        assert spelling in {a for entry in ambiguous_places.load() for a in entry["spellings"]}, spelling
    for key in ("cue_before", "cue_after"):
        assert set(ctx[key]) == {"fi", "sv", "en"}
        assert all(isinstance(w, str) and w == w.lower() for words in ctx[key].values() for w in words)
    assert all(isinstance(w, str) for w in ctx["copulas"])


def test_the_first_name_list() -> None:
    firsts = ambiguous_places.first_names()
    assert len(firsts) == 400
    assert {"Simo", "Salla", "Matti", "Aino"} <= firsts
