"""The sentence encoder: multilingual, normalised vectors of a fixed size."""

from __future__ import annotations

import numpy as np
import pytest

from ovi_lang.embeddings import default_encoder, embed_message

DIM = 384


@pytest.mark.parametrize("method", ["embed_queries", "embed_passages"])
def test_vectors_are_384_dim_normalised_float32(method: str) -> None:
    encoder = default_encoder()
    assert encoder.dim == DIM
    vectors = getattr(encoder, method)(["mulla ei oo kämppää", "jag har skulder", "thanks a lot", " "])
    assert vectors.dtype == np.float32
    assert vectors.shape == (4, DIM)
    assert np.all(np.isfinite(vectors))
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_one_message_gives_one_vector() -> None:
    vector = embed_message("tarviin apua vuokran kanssa")
    assert vector.shape == (DIM,)
    assert vector.dtype == np.float32
    np.testing.assert_allclose(vector, default_encoder().embed_queries(["tarviin apua vuokran kanssa"])[0],
                               atol=1e-6)


@pytest.mark.parametrize(("fi", "sv", "unrelated"), [
    ("minulla ei ole asuntoa", "jag har ingen bostad", "kissani pitää kalasta"),
    ("kiitos paljon avusta", "tack så mycket för hjälpen", "huomenna sataa lunta"),
])
def test_the_same_sentence_in_finnish_and_swedish_is_closer_than_an_unrelated_one(
        fi: str, sv: str, unrelated: str) -> None:
    v_fi, v_sv, v_other = default_encoder().embed_queries([fi, sv, unrelated])
    assert float(v_fi @ v_sv) > float(v_fi @ v_other)


@pytest.mark.parametrize("method", ["embed_queries", "embed_passages"])
def test_empty_input_gives_no_rows(method: str) -> None:
    vectors = getattr(default_encoder(), method)([])
    assert vectors.shape == (0, DIM)
