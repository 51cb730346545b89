"""The second intent reading over the e5 vector (ovi_lang.vector_intents): it learns from a few Finnish
examples what a Swedish or English message means, and pooling keeps agreement sure, disagreement not."""

from __future__ import annotations

import numpy as np
import pytest

from ovi_lang.embeddings import default_encoder
from ovi_lang.vector_intents import VectorIntentModel, fit, mix

TRAINING = {
    "debt": ["velkaa on kertynyt liikaa", "pikavipit kasaantuu", "ulosotto vie palkan",
             "en pysty maksamaan lainoja", "luottotiedot meni", "laskut rästissä ja perintäkirjeitä"],
    "homelessness": ["mulla ei oo asuntoa", "vuokranantaja häätää mut", "nukun kavereilla",
                     "tarvitsen yösijan", "asunnoton", "kämppä lähtee alta"],
    "gambling": ["pelaan liikaa nettikasinolla", "rahapelit vie kaikki rahat", "en pääse irti peleistä",
                 "mies pelaa palkkansa", "vedonlyönti karkas käsistä", "raaputan arpoja joka päivä"],
}  # fmt: skip


@pytest.fixture(scope="module")
def model() -> VectorIntentModel:
    texts = [t for examples in TRAINING.values() for t in examples]
    labels = [label for label, examples in TRAINING.items() for _ in examples]
    return fit(default_encoder().embed_queries(texts), labels)


@pytest.mark.parametrize(("text", "intent"), [
    ("Jag har stora skulder och klarar inte av räkningarna", "debt"),
    ("I was evicted and have nowhere to sleep", "homelessness"),
    ("my husband loses all our money on online casinos", "gambling"),
])  # fmt: skip
def test_a_few_finnish_examples_teach_what_other_languages_mean(model: VectorIntentModel, text: str,
                                                                 intent: str) -> None:
    probabilities = model.probabilities(default_encoder().embed_queries([text])[0])
    assert max(probabilities, key=probabilities.__getitem__) == intent
    assert sum(probabilities.values()) == pytest.approx(1.0)


def test_the_model_survives_saving_as_arrays(model: VectorIntentModel) -> None:
    vector = default_encoder().embed_queries(["velat kasvaa"])[0]
    again = VectorIntentModel.from_arrays({k: np.array(v) for k, v in model.arrays().items()})
    assert again.probabilities(vector) == pytest.approx(model.probabilities(vector))


def test_pooling_keeps_agreement_sure_and_lets_the_vector_break_a_close_call() -> None:
    agreed = mix([("debt", 0.9), ("gambling", 0.1)], {"debt": 0.8, "gambling": 0.2})
    assert agreed[0][0] == "debt" and agreed[0][1] > 0.8
    # DIET hesitates between two needs; the vector is clear: the vector's need wins.
    close = mix([("violence", 0.55), ("families", 0.45)], {"violence": 0.1, "families": 0.9})
    assert close[0][0] == "families"
    # An intent one classifier did not rank at all is not lifted above one both ranked.
    unranked = mix([("debt", 0.6), ("gambling", 0.4)], {"debt": 0.3, "gambling": 0.3, "greet": 0.4})
    assert unranked[-1][0] == "greet" and unranked[-1][1] < 0.05
    assert sum(p for _, p in unranked) == pytest.approx(1.0)


def test_fit_refuses_vectors_and_labels_that_do_not_pair() -> None:
    with pytest.raises(ValueError, match="one vector per label"):
        fit(np.zeros((3, 4)), ["a", "b"])
