"""The crisis classifier's lexical model (ovi_lang/crisis/lexical.py): it learns word pieces that carry over
to other inflections and to text typed without ä/ö, and the stored classifier keeps it through a save."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ovi_lang.crisis.classifier import default_classifier, load
from ovi_lang.crisis.lexical import fit_lexical, pieces

ACUTE = ["nielin kaikki pillerit äsken", "otin koko purkin pillereitä", "söin pillerit yhdellä kertaa",
         "veljeni nieli pillereitä ja nukahti"]
ORDINARY = ["ostin maitoa ja leipää", "kävin kaupassa äidin kanssa", "mietin mitä söisin tänään",
            "veljeni osti uuden pyörän"]


def test_pieces_of_a_message_typed_without_diacritics_meet_the_written_form() -> None:
    shared = set(pieces("en jaksa enää")) & set(pieces("en jaksa enaa"))
    assert {" ena", "enaa ", "w:jaksa"} <= shared


def test_word_pieces_carry_over_to_inflections_it_never_saw() -> None:
    model = fit_lexical(ACUTE + ORDINARY, [True] * len(ACUTE) + [False] * len(ORDINARY))
    acute, ordinary = model.p_acute(["nielaisin pillerin", "kävin kaupassa ostamassa leipää"])
    assert acute > 0.5 > ordinary


def test_the_stored_classifier_keeps_its_lexical_model_through_save_and_load(tmp_path: Path) -> None:
    stored = default_classifier()
    stored.save(tmp_path / "copy.npz")
    copy = load(tmp_path / "copy.npz")
    texts = ["otin kaikki unilääkkeet", "tää homma tappaa mut"]
    assert np.allclose(copy.lexical.p_acute(texts), stored.lexical.p_acute(texts))
    # It is a trained model, not zeros: the two messages get clearly different probabilities.
    first, second = stored.lexical.p_acute(texts)
    assert first - second > 0.3
